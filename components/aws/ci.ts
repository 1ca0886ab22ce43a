/**
 * GitHub Actions identities: the OIDC provider and two roles, a read-only one for pull-request
 * previews and a deploy role for the deploy branch only.
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
  const role = (purpose: string, subject: string, policy: PolicyDocument) => {
    const r = new aws.iam.Role(
      `${name}-github-${purpose}`,
      {
        name: `${namePrefix}_github-${purpose}`,
        assumeRolePolicy: providerArn.apply((arn) =>
          JSON.stringify(webIdentityTrustPolicy({ providerArn: arn, issuerUrl: GITHUB_OIDC_URL, subject })),
        ),
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
    previewRoleArn: role("preview", `repo:${repository}:pull_request`, previewRolePolicy(scope)),
    deployRoleArn: role(
      "deploy",
      `repo:${repository}:ref:refs/heads/${deployBranch}`,
      deployRolePolicy(scope),
    ),
  };
}
