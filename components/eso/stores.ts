/**
 * SecretStores and ClusterSecretStores as typed plain objects.
 *
 * Stores are per workload, not shared per namespace: a store authenticates as one service
 * account, and every ExternalSecret in the namespace may name any store there. A store shared
 * by two workloads would let each read what the other's identity can read; one store per
 * workload (named after it) keeps each workload's reach exactly its own grants.
 */
import type { IClusterSecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore" with {
  "resolution-mode": "import",
};
import type { ISecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore" with {
  "resolution-mode": "import",
};
import type { ISecretStoreProvider } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStoreProvider" with {
  "resolution-mode": "import",
};
import type { IVaultProvider } from "@kubernetes-models/external-secrets/external-secrets.io/v1/VaultProvider" with {
  "resolution-mode": "import",
};
import type { Backend } from "../../stacks/access";
import { backendOf } from "../../stacks/access";
import { keyVaultName, vaultNames } from "../../stacks/naming";
import type { Catalog, EsoSettings, Workload } from "../../stacks/schema";
import { MANAGED_BY_LABELS } from "../kubernetes/manifests";

export type ClusterSecretStoreSettings = EsoSettings["clusterSecretStores"][number];

/** Vault's connection with its values known (resolved from `VaultConnection`). */
export interface VaultEndpoint {
  readonly server: string;
  /** PEM bundle of the CA that signed Vault's certificate. */
  readonly caBundlePem: string;
}

/** Backends a workload reads through a SecretStore; Vault database credentials use a generator. */
export function storeBackends(workload: Workload): Backend[] {
  const backends = workload.secrets.filter((s) => s.source !== "vault-database").map(backendOf);
  return [...new Set(backends)];
}

export function secretStoreName(workload: Workload, backend: Backend): string {
  return `${workload.name}-${backend}`;
}

/** Vault connection and Kubernetes-auth login as `serviceAccount`, for stores and generators. */
export function vaultLogin(
  endpoint: VaultEndpoint,
  cluster: string,
  role: string,
  serviceAccount: string,
): IVaultProvider {
  return {
    server: endpoint.server,
    // The CRD field is []byte: base64 of the PEM text, not the PEM itself.
    caBundle: Buffer.from(endpoint.caBundlePem, "utf8").toString("base64"),
    auth: {
      kubernetes: {
        mountPath: vaultNames.kubernetesAuthMount(cluster),
        role,
        serviceAccountRef: { name: serviceAccount, audiences: [vaultNames.kubernetesAuthAudience] },
      },
    },
  };
}

function kvStore(catalog: Catalog, login: IVaultProvider): ISecretStoreProvider {
  return { vault: { ...login, path: vaultNames.kvMount(catalog), version: "v2" } };
}

/** `https://container.googleapis.com/v1/projects/<p>/locations/<l>/clusters/<n>` → its parts. */
export function gkeClusterOf(catalog: Catalog, clusterName: string) {
  const index = catalog.kubernetes.clusters.findIndex((c) => c.name === clusterName);
  const issuer = catalog.kubernetes.clusters[index]?.oidcIssuerUrl ?? "";
  const match =
    /^https:\/\/container\.googleapis\.com\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)\/?$/.exec(
      issuer,
    );
  if (!match) {
    throw new Error(
      `kubernetes.clusters[${index}].oidcIssuerUrl: GKE Workload Identity for ESO needs the GKE issuer ` +
        `https://container.googleapis.com/v1/projects/<project>/locations/<location>/clusters/<name>, got ${JSON.stringify(issuer)}`,
    );
  }
  return { clusterProjectID: match[1], clusterLocation: match[2], clusterName: match[3] };
}

function providerFor(
  catalog: Catalog,
  workload: Workload,
  backend: Backend,
  vault: VaultEndpoint | undefined,
): ISecretStoreProvider {
  const serviceAccountRef = { name: workload.serviceAccount };
  switch (backend) {
    case "vault":
      if (!vault) throw new Error(`workload ${workload.name} reads Vault but no Vault connection was given`);
      return kvStore(
        catalog,
        vaultLogin(vault, workload.cluster, vaultNames.workloadRole(workload), workload.serviceAccount),
      );
    case "aws":
      return {
        aws: {
          service: "SecretsManager",
          region: requireSection(catalog.aws, "aws", workload).region,
          // ESO exchanges the service account's token for the role in its IRSA annotation.
          auth: { jwt: { serviceAccountRef } },
        },
      };
    case "gcp":
      return {
        gcpsm: {
          projectID: requireSection(catalog.gcp, "gcp", workload).project,
          auth: { workloadIdentity: { ...gkeClusterOf(catalog, workload.cluster), serviceAccountRef } },
        },
      };
    case "azure":
      return {
        azurekv: {
          authType: "WorkloadIdentity",
          vaultUrl: `https://${keyVaultName(catalog)}.vault.azure.net`,
          tenantId: requireSection(catalog.azure, "azure", workload).tenantId,
          serviceAccountRef,
        },
      };
  }
}

function requireSection<T>(section: T | undefined, key: string, workload: Workload): T {
  if (!section)
    throw new Error(`workload ${workload.name} reads ${key} but the catalog has no "${key}" section`);
  return section;
}

export function secretStoreManifest(
  catalog: Catalog,
  workload: Workload,
  backend: Backend,
  vault: VaultEndpoint | undefined,
): ISecretStore {
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "SecretStore",
    metadata: {
      name: secretStoreName(workload, backend),
      namespace: workload.namespace,
      labels: { ...MANAGED_BY_LABELS, "secrets-platform.io/workload": workload.name },
    },
    spec: { provider: providerFor(catalog, workload, backend, vault) },
  };
}

/**
 * A catalog ClusterSecretStore: reads Vault KV (its policy limits it to `kvPathPrefix`) and is
 * usable only from the named namespaces. Its service-account reference has no namespace, so
 * ESO logs in with the account of that name in the ExternalSecret's own namespace, one of
 * those the Vault role is bound to.
 */
export function clusterSecretStoreManifest(
  catalog: Catalog,
  store: ClusterSecretStoreSettings,
  vault: VaultEndpoint,
): IClusterSecretStore {
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ClusterSecretStore",
    metadata: { name: store.name, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      provider: kvStore(
        catalog,
        vaultLogin(
          vault,
          store.cluster,
          vaultNames.clusterStoreRole(store),
          vaultNames.clusterStoreServiceAccount(store),
        ),
      ),
      conditions: [{ namespaces: [...store.namespaces] }],
    },
  };
}
