/**
 * GitHub Actions identities: the OIDC provider and two roles, a read-only one for pull-request
 * previews and the deploy branch's scheduled drift checks, and a deploy role for the stack's
 * GitHub environment only (`repo:<repository>:environment:<environment>`): jobs that name an
 * environment get that subject, and the environment's protection rules (deployment branch,
 * required reviewers for prod) decide who reaches it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsPlan } from "./plan";
import {
  GITHUB_OIDC_URL,
  STS_AUDIENCE,
  type PolicyDocument,
  deployRolePolicy,
  previewRolePolicy,
  webIdentityTrustPolicy,
} from "./policies";

export interface GithubCiRoles {
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly previewRoleArn: pulumi.Output<string>;
  readonly deployRoleArn: pulumi.Output<string>;
}

export function githubCiRoles(
  parent: pulumi.Resource,
  name: string,
  plan: AwsPlan,
  existingProviderArn: pulumi.Input<string> | undefined,
  environment: string,
): GithubCiRoles | undefined {
  const { settings, namePrefix, tags } = plan;
  if (!settings.github) return undefined;
  const { repository, deployBranch } = settings.github;
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
  const role = (purpose: string, subjects: readonly string[], policy: PolicyDocument) => {
    const r = new aws.iam.Role(
      `${name}-github-${purpose}`,
      {
        name: `${namePrefix}_github-${purpose}`,
        assumeRolePolicy: providerArn.apply((arn) => JSON.stringify(githubTrustPolicy(arn, subjects))),
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
    previewRoleArn: role(
      "preview",
      githubPreviewSubjects(repository, deployBranch),
      previewRolePolicy(scope),
    ),
    deployRoleArn: role("deploy", [githubDeploySubject(repository, environment)], deployRolePolicy(scope)),
  };
}

/** Pull requests of the repository, and runs on the deploy branch (scheduled drift checks). */
export function githubPreviewSubjects(repository: string, deployBranch: string): string[] {
  return [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/${deployBranch}`];
}

/** Jobs running in the stack's GitHub environment (named after the catalog's environment). */
export function githubDeploySubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/** One statement per subject, each an exact `sub` and `aud` (webIdentityTrustPolicy's). */
export function githubTrustPolicy(providerArn: string, subjects: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: subjects.map((subject, i) => ({
      ...webIdentityTrustPolicy({ providerArn, issuerUrl: GITHUB_OIDC_URL, subject }).Statement[0],
      ...(subjects.length > 1 ? { Sid: `AssumeWithExactSubject${i + 1}` } : {}),
    })),
  };
}
