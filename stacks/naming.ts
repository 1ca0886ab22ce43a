/**
 * Names shared by several components. Vault, ESO and the clouds must agree on them (a
 * SecretStore names the Vault role the Vault component created), so they are derived in
 * one place from the catalog rather than spelt out in each component.
 */
import { createHash } from "node:crypto";
import type { Catalog, Database, EsoSettings, SecretOf, Workload, WorkloadSecret } from "./schema";

type ClusterSecretStoreSettings = EsoSettings["clusterSecretStores"][number];

/** Cloud-side name of a workload's secret: `<prefix>-<env>-<workload>-<secret>`. */
export function cloudSecretName(catalog: Catalog, workload: Workload, secret: WorkloadSecret): string {
  return `${catalog.prefix}-${catalog.environment}-${workload.name}-${secret.name}`;
}

/**
 * GCP/Azure name of a database's admin-login secret, read by its rotation function:
 * `<prefix>-<env>--admin-<database>`. Workload names start with a letter, so no
 * `cloudSecretName` can contain the double dash after the environment.
 */
export function databaseAdminSecretName(catalog: Catalog, database: Database): string {
  return `${catalog.prefix}-${catalog.environment}--admin-${database.name}`;
}

/** Prefix for per-environment cloud objects (keys, vaults, topics). */
export function environmentName(catalog: Catalog, role: string): string {
  return `${catalog.prefix}-${catalog.environment}-${role}`;
}

export const vaultNames = {
  /** The environment's KV v2 mount. */
  kvMount: (catalog: Catalog) => `kv-${catalog.environment}`,
  databaseMount: (catalog: Catalog) => `database-${catalog.environment}`,
  /** Kubernetes auth mount of a cluster. */
  kubernetesAuthMount: (clusterName: string) => `kubernetes-${clusterName}`,
  /** AppRole, GitHub Actions and operator (OIDC) auth mounts. */
  appRoleMount: "approle",
  githubJwtMount: "jwt-github",
  oidcMount: "oidc",
  /**
   * Roles of the GitHub Actions mount, one per kind of job: the deploy job of the stack's
   * environment, pull-request previews, and the scheduled drift check.
   */
  githubRoles: { deploy: "deploy", preview: "preview", drift: "drift" },
  /** Roles of the operators' OIDC mount: day-to-day, and short-lived break-glass. */
  oidcRoles: { operator: "operator", breakGlass: "break-glass" },
  /** Kubernetes auth role and Vault policy of a workload. */
  workloadRole: (workload: Workload) => workload.name,
  workloadPolicy: (workload: Workload) => `workload-${workload.name}`,
  /**
   * Audience of the service-account tokens ESO presents to Vault's Kubernetes auth; the
   * Vault roles require it, so a token minted for Vault is useless anywhere else.
   */
  kubernetesAuthAudience: "vault",
  /**
   * Kubernetes auth role and Vault policy behind a catalog ClusterSecretStore (read-only on
   * its KV prefix), bound to `clusterStoreServiceAccount` in exactly the store's namespaces.
   */
  clusterStoreRole: (store: ClusterSecretStoreSettings) => `cluster-store-${store.name}`,
  clusterStorePolicy: (store: ClusterSecretStoreSettings) => `cluster-store-${store.name}`,
  /** Service account, created in each allowed namespace, a ClusterSecretStore logs in as. */
  clusterStoreServiceAccount: (store: ClusterSecretStoreSettings) => `eso-${store.name}`,
  /** Dynamic role per (database, access level); static role per (database, user). */
  databaseRole: (database: Database | string, secret: SecretOf<"vault-database">) => {
    const db = typeof database === "string" ? database : database.name;
    return secret.credential === "static" ? `${db}-static-${secret.username}` : `${db}-${secret.access}`;
  },
} as const;

/** Vault path a database credential is read from: dynamic leases from `creds/`, static-role passwords from `static-creds/`. */
export function databaseCredentialPath(catalog: Catalog, secret: SecretOf<"vault-database">): string {
  const endpoint = secret.credential === "static" ? "static-creds" : "creds";
  return `${vaultNames.databaseMount(catalog)}/${endpoint}/${vaultNames.databaseRole(secret.database, secret)}`;
}

/** Kubernetes Secret an ExternalSecret writes for a workload's secret. */
export function kubernetesSecretName(workload: Workload, secret: WorkloadSecret): string {
  return `${workload.name}-${secret.name}`;
}

/**
 * Azure Key Vault names are global and at most 24 characters: prefix, environment and a
 * short digest of the subscription and resource group keep them unique and stable.
 */
export function keyVaultName(catalog: Catalog): string {
  const scope = `${catalog.azure?.subscriptionId ?? ""}/${catalog.azure?.resourceGroup ?? ""}`;
  return `${catalog.prefix}-${catalog.environment}-${createHash("sha256").update(scope).digest("hex").slice(0, 6)}`;
}

/** IAM role / Google service account / Azure identity name of a workload. */
export function workloadIdentityName(catalog: Catalog, workload: Workload): string {
  return `${catalog.prefix}-${catalog.environment}-${workload.name}`;
}

/** The ESO SecretStore through which a workload reads one backend (one per workload: least privilege). */
export function esoStoreName(workload: Workload, backend: "vault" | "aws" | "gcp" | "azure"): string {
  return `${workload.name}-${backend}`;
}

/**
 * Key Vault holding Vault's Azure auto-unseal key: global, at most 24 characters, so a short
 * digest of the subscription and resource group keeps it unique.
 */
export function unsealKeyVaultName(catalog: Catalog): string {
  const scope = `${catalog.azure?.subscriptionId ?? ""}/${catalog.azure?.resourceGroup ?? ""}/unseal`;
  return `${catalog.prefix}-${catalog.environment}-u-${createHash("sha256").update(scope).digest("hex").slice(0, 5)}`;
}

/**
 * AWS names shared with the rotation component. Workload names are `[a-z0-9-]`, so the `_` and
 * `/` separators here can never collide with a workload's role or secret name.
 */
export const awsNames = {
  /**
   * Execution role of the rotation function of one database (one function per admin login).
   * Secret and key policies admit exactly this role ARN, so the function's role must carry it.
   */
  rotationFunctionRole: (catalog: Catalog, database: Database) =>
    `${catalog.prefix}-${catalog.environment}_rotation-${database.name}`,
  /** The rotation function itself: named so the deploy role's Lambda grant can be scoped to it. */
  rotationFunction: (catalog: Catalog, database: Database) =>
    `${catalog.prefix}-${catalog.environment}-rotation-${database.name}`,
  /** Secret holding a database's administrative login, which the rotation function uses. */
  databaseAdminSecret: (catalog: Catalog, database: Database) =>
    `${catalog.prefix}-${catalog.environment}/database-admin/${database.name}`,
} as const;
