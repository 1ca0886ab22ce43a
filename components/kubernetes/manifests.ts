/**
 * Workload namespaces and service accounts as typed plain objects. Pure functions: the
 * components register them, the tests validate them against the published Kubernetes schemas.
 */
import type { INamespace } from "kubernetes-models/v1/Namespace" with { "resolution-mode": "import" };
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount" with {
  "resolution-mode": "import",
};
import type { Workload } from "../../stacks/schema";

export const MANAGED_BY_LABELS = { "app.kubernetes.io/managed-by": "secrets-platform" } as const;

/** A workload's cloud identities with their values known (resolved from `WorkloadCloudIdentity`). */
export interface ResolvedCloudIdentity {
  readonly awsRoleArn?: string;
  readonly gcpServiceAccountEmail?: string;
  readonly azureClientId?: string;
}

/** Annotation keys each cloud's workload-identity mechanism reads from a service account. */
export const IDENTITY_ANNOTATIONS = {
  /** IRSA: the IAM role the pod's web-identity token may assume. */
  aws: "eks.amazonaws.com/role-arn",
  /** GKE Workload Identity: the Google service account the KSA impersonates. */
  gcp: "iam.gke.io/gcp-service-account",
  /** Azure Workload Identity: the user-assigned identity's client id. */
  azureClientId: "azure.workload.identity/client-id",
  azureTenantId: "azure.workload.identity/tenant-id",
} as const;

/**
 * Azure Workload Identity's webhook injects the token into a pod only when the pod (not the
 * service account) carries this label. ESO does not need it (it requests the token itself),
 * but workloads that call Azure directly do.
 */
export const AZURE_POD_LABEL = { "azure.workload.identity/use": "true" } as const;

export function namespaceManifest(name: string): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        ...MANAGED_BY_LABELS,
        // Workload namespaces hold application pods: the restricted profile is the safe default.
        "pod-security.kubernetes.io/enforce": "restricted",
      },
    },
  };
}

/** The annotations that let the service account act as the workload in each cloud it reads. */
export function cloudIdentityAnnotations(
  identity: ResolvedCloudIdentity,
  azureTenantId: string | undefined,
): Record<string, string> {
  const annotations: Record<string, string> = {};
  if (identity.awsRoleArn) annotations[IDENTITY_ANNOTATIONS.aws] = identity.awsRoleArn;
  if (identity.gcpServiceAccountEmail)
    annotations[IDENTITY_ANNOTATIONS.gcp] = identity.gcpServiceAccountEmail;
  if (identity.azureClientId) {
    annotations[IDENTITY_ANNOTATIONS.azureClientId] = identity.azureClientId;
    if (azureTenantId) annotations[IDENTITY_ANNOTATIONS.azureTenantId] = azureTenantId;
  }
  return annotations;
}

export function workloadServiceAccountManifest(
  workload: Workload,
  identity: ResolvedCloudIdentity,
  azureTenantId: string | undefined,
): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: workload.serviceAccount,
      namespace: workload.namespace,
      labels: { ...MANAGED_BY_LABELS, "secrets-platform.io/workload": workload.name },
      annotations: cloudIdentityAnnotations(identity, azureTenantId),
    },
    // Pods opt in to a token explicitly (projected volume or automount on the pod spec).
    automountServiceAccountToken: false,
  };
}

/** A bare service account, e.g. the one a ClusterSecretStore logs in to Vault as. */
export function serviceAccountManifest(name: string, namespace: string): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace, labels: { ...MANAGED_BY_LABELS } },
    automountServiceAccountToken: false,
  };
}
