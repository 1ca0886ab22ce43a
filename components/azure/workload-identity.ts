/**
 * A workload's user-assigned managed identity, and the federated credential that lets its
 * own Kubernetes service account, and nothing else, sign in as it (Azure Workload Identity).
 */
import * as azure from "@pulumi/azure-native";
import type * as pulumi from "@pulumi/pulumi";
import { workloadIdentityName } from "../../stacks/naming";
import type { AzureSettings, Catalog, KubernetesCluster, Workload } from "../../stacks/schema";

/** The audience Azure AD expects on a Kubernetes projected token. */
export const AZURE_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

export function serviceAccountSubject(workload: Workload): string {
  return `system:serviceaccount:${workload.namespace}:${workload.serviceAccount}`;
}

export function createWorkloadIdentity(
  name: string,
  parent: pulumi.Resource,
  catalog: Catalog,
  workload: Workload,
  tags: Readonly<Record<string, string>>,
): azure.managedidentity.UserAssignedIdentity {
  const settings = catalog.azure as AzureSettings;
  const cluster = catalog.kubernetes.clusters.find((c) => c.name === workload.cluster) as KubernetesCluster;
  const identityName = workloadIdentityName(catalog, workload);
  const identity = new azure.managedidentity.UserAssignedIdentity(
    `${name}-identity-${workload.name}`,
    {
      resourceName: identityName,
      resourceGroupName: settings.resourceGroup,
      location: settings.location,
      tags: { ...tags, workload: workload.name },
    },
    { parent },
  );
  new azure.managedidentity.FederatedIdentityCredential(
    `${name}-federation-${workload.name}`,
    {
      resourceName: identity.name,
      resourceGroupName: settings.resourceGroup,
      federatedIdentityCredentialResourceName: `kubernetes-${cluster.name}`,
      issuer: cluster.oidcIssuerUrl,
      subject: serviceAccountSubject(workload),
      audiences: [AZURE_TOKEN_EXCHANGE_AUDIENCE],
    },
    { parent },
  );
  return identity;
}
