/**
 * A workload's user-assigned managed identity, and the federated credential that lets its
 * own Kubernetes service account, and nothing else, sign in as it (Azure Workload Identity).
 */
import * as azure from "@pulumi/azure-native";
import type * as pulumi from "@pulumi/pulumi";
import { workloadIdentityName } from "../../stacks/naming";
import { serviceAccountSubject as kubernetesServiceAccountSubject } from "../aws/policies";
import type { AzureSettings, Catalog, KubernetesCluster, Workload } from "../../stacks/schema";

/** The audience Azure AD expects on a Kubernetes projected token. */
export const AZURE_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

export function serviceAccountSubject(workload: Workload): string {
  return kubernetesServiceAccountSubject(workload.namespace, workload.serviceAccount);
}

/**
 * A user-assigned managed identity only one Kubernetes service account of `cluster` may sign
 * in as (a federated credential pinning the cluster's issuer, the account and the token
 * exchange audience). Children: `${name}-identity${suffix}` and `${name}-federation${suffix}`.
 */
export function createFederatedIdentity(
  name: string,
  suffix: string,
  parent: pulumi.Resource,
  args: {
    readonly settings: AzureSettings;
    readonly identityName: string;
    readonly cluster: KubernetesCluster;
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly tags: Readonly<Record<string, string>>;
  },
): azure.managedidentity.UserAssignedIdentity {
  const { settings, cluster } = args;
  const identity = new azure.managedidentity.UserAssignedIdentity(
    `${name}-identity${suffix}`,
    {
      resourceName: args.identityName,
      resourceGroupName: settings.resourceGroup,
      location: settings.location,
      tags: args.tags,
    },
    { parent },
  );
  new azure.managedidentity.FederatedIdentityCredential(
    `${name}-federation${suffix}`,
    {
      resourceName: identity.name,
      resourceGroupName: settings.resourceGroup,
      federatedIdentityCredentialResourceName: `kubernetes-${cluster.name}`,
      issuer: cluster.oidcIssuerUrl,
      subject: kubernetesServiceAccountSubject(args.namespace, args.serviceAccount),
      audiences: [AZURE_TOKEN_EXCHANGE_AUDIENCE],
    },
    { parent },
  );
  return identity;
}

export function createWorkloadIdentity(
  name: string,
  parent: pulumi.Resource,
  catalog: Catalog,
  workload: Workload,
  tags: Readonly<Record<string, string>>,
): azure.managedidentity.UserAssignedIdentity {
  return createFederatedIdentity(name, `-${workload.name}`, parent, {
    settings: catalog.azure as AzureSettings,
    identityName: workloadIdentityName(catalog, workload),
    cluster: catalog.kubernetes.clusters.find((c) => c.name === workload.cluster) as KubernetesCluster,
    namespace: workload.namespace,
    serviceAccount: workload.serviceAccount,
    tags: { ...tags, workload: workload.name },
  });
}
