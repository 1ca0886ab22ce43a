/**
 * Workload identities: per workload an IAM role its Kubernetes service account assumes (IRSA
 * through the cluster's OIDC provider, or EKS Pod Identity), and once its secrets exist the
 * inline policy reading exactly them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsPlan, PlannedWorkload } from "./plan";
import {
  STS_AUDIENCE,
  podIdentityTrustPolicy,
  secretArnInRegion,
  serviceAccountSubject,
  webIdentityTrustPolicy,
  workloadPolicy,
} from "./policies";

/** Workload name → its role. Registers one OIDC provider per IRSA cluster issuer. */
export function workloadRoles(
  parent: pulumi.Resource,
  name: string,
  plan: AwsPlan,
): Map<string, aws.iam.Role> {
  const { settings, tags } = plan;
  const providers = new Map(
    plan.irsaClusters.map((cluster) => [
      cluster.name,
      new aws.iam.OpenIdConnectProvider(
        `${name}-oidc-${cluster.name}`,
        { url: cluster.oidcIssuerUrl, clientIdLists: [STS_AUDIENCE], tags },
        { parent },
      ).arn,
    ]),
  );
  const trustOf = (w: PlannedWorkload): pulumi.Output<string> => {
    const { namespace, serviceAccount } = w.workload;
    const providerArn = providers.get(w.cluster.name);
    if (providerArn) {
      const subject = serviceAccountSubject(namespace, serviceAccount);
      return providerArn.apply((arn) =>
        JSON.stringify(
          webIdentityTrustPolicy({ providerArn: arn, issuerUrl: w.cluster.oidcIssuerUrl, subject }),
        ),
      );
    }
    const clusterName = w.cluster.name;
    return pulumi.output(
      JSON.stringify(
        podIdentityTrustPolicy({ accountId: settings.accountId, clusterName, namespace, serviceAccount }),
      ),
    );
  };
  return new Map(
    plan.workloads.map((w) => [
      w.workload.name,
      new aws.iam.Role(
        `${name}-workload-${w.workload.name}`,
        {
          name: w.roleName,
          description: `Reads ${w.workload.name}'s Secrets Manager secrets (${w.workload.namespace}/${w.workload.serviceAccount})`,
          assumeRolePolicy: trustOf(w),
          maxSessionDuration: 3600,
          tags: { ...tags, workload: w.workload.name },
        },
        { parent },
      ),
    ]),
  );
}

/** The role's inline policy and, with Pod Identity, the association naming its service account. */
export function grantWorkload(
  parent: pulumi.Resource,
  name: string,
  plan: AwsPlan,
  w: PlannedWorkload,
  role: aws.iam.Role,
  secretArns: pulumi.Output<string[]>,
  keyArns: pulumi.Output<string[]>,
): void {
  const { regions } = plan;
  new aws.iam.RolePolicy(
    `${name}-workload-${w.workload.name}`,
    {
      role: role.name,
      policy: pulumi.all([secretArns, keyArns]).apply(([arns, keys]) =>
        JSON.stringify(
          workloadPolicy({
            secretArns: arns.flatMap((arn) => regions.map((r) => secretArnInRegion(arn, r))),
            keyArns: keys,
            regions,
          }),
        ),
      ),
    },
    { parent },
  );
  if (plan.settings.workloadIdentity === "pod-identity") {
    new aws.eks.PodIdentityAssociation(
      `${name}-pod-identity-${w.workload.name}`,
      {
        clusterName: w.cluster.name,
        namespace: w.workload.namespace,
        serviceAccount: w.workload.serviceAccount,
        roleArn: role.arn,
        tags: plan.tags,
      },
      { parent },
    );
  }
}
