/**
 * GitHub Actions identities: the OIDC provider and three roles, one per kind of job.
 *
 * - **preview**: pull requests of the repository (`repo:<repository>:pull_request`). It runs the
 *   pull request's own code, so it reads metadata and nothing else: no secret value, no write,
 *   and no use of the stack-config key (a real `pulumi preview` of the stack would decrypt every
 *   secret with it; pull requests preview a redacted copy of the state instead).
 * - **drift**: the deploy branch's scheduled drift workflow only (`driftWorkflow`). It loads the stack, so it may
 *   decrypt the stack config, and changes nothing.
 * - **deploy**: the stack's GitHub environment, in the deploy workflow (`deployWorkflow`), on the
 *   deploy branch.
 *
 * AWS STS evaluates GitHub's individual claims as condition keys
 * (`token.actions.githubusercontent.com:job_workflow_ref`, `:ref`, `:environment`, …; AWS added
 * them in January 2026) besides `sub` and `aud`, so the roles pin the workflow file without a
 * customised subject template: the repository keeps GitHub's default `sub`
 * (`repo:<repository>:<context>`). See the README's "CI identities".
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsPlan } from "./plan";
import {
  GITHUB_OIDC_URL,
  STS_AUDIENCE,
  type PolicyDocument,
  deployRolePolicy,
  driftRolePolicy,
  issuerHost,
  previewRolePolicy,
} from "./policies";

export interface GithubCiRoles {
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly previewRoleArn: pulumi.Output<string>;
  readonly driftRoleArn: pulumi.Output<string>;
  readonly deployRoleArn: pulumi.Output<string>;
}

/** Claims of a GitHub Actions ID token, each required with exactly this value (`sub` always). */
export type GithubJobClaims = Readonly<{ sub: string } & Record<string, string>>;

export function githubCiRoles(
  parent: pulumi.Resource,
  name: string,
  plan: AwsPlan,
  existingProviderArn: pulumi.Input<string> | undefined,
  environment: string,
): GithubCiRoles | undefined {
  const { settings, namePrefix, tags } = plan;
  if (!settings.github) return undefined;
  const { repository, deployBranch, deployWorkflow, driftWorkflow } = settings.github;
  const providerArn =
    existingProviderArn !== undefined
      ? pulumi.output(existingProviderArn)
      : new aws.iam.OpenIdConnectProvider(
          `${name}-github-oidc`,
          { url: GITHUB_OIDC_URL, clientIdLists: [STS_AUDIENCE], tags },
          { parent },
        ).arn;
  const scope = {
    accountId: settings.accountId,
    regions: plan.regions,
    namePrefix,
    oidcIssuerUrls: [...plan.irsaClusters.map((c) => c.oidcIssuerUrl), GITHUB_OIDC_URL],
    podIdentity: settings.workloadIdentity === "pod-identity",
    rotationVpc: settings.rotationVpc !== undefined,
    configKeyAlias: settings.github.configKeyAlias,
  };
  const role = (purpose: string, claims: GithubJobClaims, policy: PolicyDocument) => {
    const r = new aws.iam.Role(
      `${name}-github-${purpose}`,
      {
        name: `${namePrefix}_github-${purpose}`,
        assumeRolePolicy: providerArn.apply((arn) => JSON.stringify(githubTrustPolicy(arn, claims))),
        maxSessionDuration: 3600,
        tags,
      },
      { parent },
    );
    new aws.iam.RolePolicy(
      `${name}-github-${purpose}`,
      { role: r.name, policy: JSON.stringify(policy) },
      { parent },
    );
    return r.arn;
  };
  return {
    oidcProviderArn: providerArn,
    previewRoleArn: role("preview", githubPreviewClaims(repository), previewRolePolicy(scope)),
    driftRoleArn: role(
      "drift",
      githubDriftClaims(repository, deployBranch, driftWorkflow),
      driftRolePolicy(scope),
    ),
    deployRoleArn: role(
      "deploy",
      githubDeployClaims(repository, deployBranch, environment, deployWorkflow),
      deployRolePolicy(scope),
    ),
  };
}

/** `<owner>/<repo>/<workflow path>@refs/heads/<branch>`: GitHub's `job_workflow_ref`. */
export function githubWorkflowRef(repository: string, workflow: string, branch: string): string {
  return `${repository}/${workflow}@refs/heads/${branch}`;
}

/**
 * Any pull request of the repository. A fork's pull request carries the same `sub`, but GitHub
 * gives fork runs no ID token (unless a private repository sends them write tokens: keep that
 * setting off).
 */
export function githubPreviewClaims(repository: string): GithubJobClaims {
  return { sub: `repo:${repository}:pull_request` };
}

/** The drift workflow's jobs on the deploy branch: not another workflow on that branch. */
export function githubDriftClaims(
  repository: string,
  deployBranch: string,
  driftWorkflow: string,
): GithubJobClaims {
  return {
    sub: `repo:${repository}:ref:refs/heads/${deployBranch}`,
    job_workflow_ref: githubWorkflowRef(repository, driftWorkflow, deployBranch),
  };
}

/**
 * A job in the stack's GitHub environment (named after the catalog's environment), running the
 * deploy workflow of the deploy branch: another environment, another workflow (even one that
 * names this environment), a dispatch from another branch or a pull request is refused.
 */
export function githubDeployClaims(
  repository: string,
  deployBranch: string,
  environment: string,
  deployWorkflow: string,
): GithubJobClaims {
  return {
    sub: `repo:${repository}:environment:${environment}`,
    job_workflow_ref: githubWorkflowRef(repository, deployWorkflow, deployBranch),
    ref: `refs/heads/${deployBranch}`,
  };
}

/** One statement: `aud` is STS and every claim has exactly its value. */
export function githubTrustPolicy(providerArn: string, claims: GithubJobClaims): PolicyDocument {
  const host = issuerHost(GITHUB_OIDC_URL);
  const required = Object.fromEntries(Object.entries(claims).map(([k, v]) => [`${host}:${k}`, v]));
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AssumeFromExactGithubJob",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: { StringEquals: { [`${host}:aud`]: STS_AUDIENCE, ...required } },
      },
    ],
  };
}
