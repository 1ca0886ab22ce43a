/**
 * What the catalog implies for Vault, as plain data: the database roles to create and the
 * paths each workload may read. The components and the tests both read this, so the
 * policies the tests parse are the ones the component writes.
 */
import { vaultNames } from "../../stacks/naming";
import type { Catalog, Database, SecretOf, Workload } from "../../stacks/schema";
import { SNAPSHOT_IDENTITY } from "./serverNames";
import type { AccessLevel } from "./sql";

export interface DatabaseRolePlan {
  /** Vault role name (`vaultNames.databaseRole`). */
  readonly name: string;
  readonly database: Database;
  readonly access: AccessLevel;
  readonly credential: "dynamic" | "static";
  /** The existing login a static role rotates. */
  readonly username?: string;
}

function databaseSecrets(
  catalog: Catalog,
): Array<{ workload: Workload; secret: SecretOf<"vault-database"> }> {
  return catalog.workloads.flatMap((workload) =>
    workload.secrets.flatMap((secret) => (secret.source === "vault-database" ? [{ workload, secret }] : [])),
  );
}

function databaseNamed(catalog: Catalog, name: string, where: string): Database {
  const database = catalog.databases.find((d) => d.name === name);
  if (!database)
    throw new Error(`${where}: unknown database ${JSON.stringify(name)}; declare it under databases`);
  return database;
}

/**
 * One role per (database, access) used by a dynamic secret and per (database, user) of a
 * static one. Two workloads asking a static user for different access levels would share a
 * password with the wider grant, so that is refused.
 */
export function databaseRoles(catalog: Catalog): DatabaseRolePlan[] {
  const roles = new Map<string, DatabaseRolePlan>();
  for (const { workload, secret } of databaseSecrets(catalog)) {
    const where = `workloads.${workload.name}.secrets.${secret.name}`;
    const database = databaseNamed(catalog, secret.database, where);
    const name = vaultNames.databaseRole(database, secret);
    const existing = roles.get(name);
    if (existing && existing.access !== secret.access) {
      throw new Error(
        `${where}: static user ${JSON.stringify(secret.username)} of ${database.name} is requested as ${secret.access} and as ${existing.access}; use one access level per static user`,
      );
    }
    roles.set(name, {
      name,
      database,
      access: secret.access,
      credential: secret.credential,
      username: secret.credential === "static" ? secret.username : undefined,
    });
  }
  return [...roles.values()];
}

export function rolesOf(catalog: Catalog, database: Database): DatabaseRolePlan[] {
  return databaseRoles(catalog).filter((r) => r.database.name === database.name);
}

/** The login of Vault's connection to a database, and the config key that seeds its password. */
export function vaultAdminOf(
  database: Pick<Database, "vaultAdmin" | "adminUsername" | "adminPasswordConfigKey">,
): { username: string; passwordConfigKey: string } {
  return (
    database.vaultAdmin ?? {
      username: database.adminUsername,
      passwordConfigKey: database.adminPasswordConfigKey,
    }
  );
}

/** Databases some workload reads through Vault; only these get a connection. */
export function vaultDatabases(catalog: Catalog): Database[] {
  const used = new Set(databaseRoles(catalog).map((r) => r.database.name));
  return catalog.databases.filter((d) => used.has(d.name));
}

/** API paths a workload reads: KV v2 data paths and database credential endpoints. */
export function workloadReadPaths(catalog: Catalog, workload: Workload): string[] {
  const kv = vaultNames.kvMount(catalog);
  const db = vaultNames.databaseMount(catalog);
  const paths = workload.secrets.flatMap((secret) => {
    if (secret.source === "vault-kv") return [`${kv}/data/${secret.path}`];
    if (secret.source === "vault-database") {
      const endpoint = secret.credential === "static" ? "static-creds" : "creds";
      return [`${db}/${endpoint}/${vaultNames.databaseRole(secret.database, secret)}`];
    }
    return [];
  });
  return [...new Set(paths)];
}

/** Workloads with at least one Vault secret: they get a policy and an auth role. */
export function vaultWorkloads(catalog: Catalog): Workload[] {
  return catalog.workloads.filter((w) => workloadReadPaths(catalog, w).length > 0);
}

/** Who logs in to a cluster's auth mount: a service account in some namespaces, for one policy. */
export interface KubernetesLogin {
  readonly cluster: string;
  readonly roleName: string;
  readonly policy: string;
  readonly serviceAccount: string;
  readonly namespaces: readonly string[];
}

/**
 * One login per Vault-reading workload (its own namespace and account), per catalog
 * ClusterSecretStore (ESO's per-store account in each of the store's namespaces), and the
 * snapshot job's account when the deployed cluster takes snapshots.
 */
export function kubernetesLogins(catalog: Catalog): KubernetesLogin[] {
  const vault = catalog.vault;
  return [
    ...(vault?.deploy && vault.snapshots && vault.cluster
      ? [
          {
            cluster: vault.cluster,
            roleName: SNAPSHOT_IDENTITY,
            policy: SNAPSHOT_IDENTITY,
            serviceAccount: SNAPSHOT_IDENTITY,
            namespaces: [vault.namespace],
          },
        ]
      : []),
    ...vaultWorkloads(catalog).map((w) => ({
      cluster: w.cluster,
      roleName: vaultNames.workloadRole(w),
      policy: vaultNames.workloadPolicy(w),
      serviceAccount: w.serviceAccount,
      namespaces: [w.namespace],
    })),
    ...(catalog.eso?.clusterSecretStores ?? []).map((store) => ({
      cluster: store.cluster,
      roleName: vaultNames.clusterStoreRole(store),
      policy: vaultNames.clusterStorePolicy(store),
      serviceAccount: vaultNames.clusterStoreServiceAccount(store),
      namespaces: store.namespaces,
    })),
  ];
}

/** An auth mount the configuration manages: its path, its roles, whether it has a config object. */
export interface AuthMountPlan {
  readonly path: string;
  readonly roles: readonly string[];
  /** Kubernetes, JWT and OIDC mounts hold their settings at `auth/<path>/config`; AppRole none. */
  readonly hasConfig: boolean;
}

/** Every auth mount this catalog implies, with its roles. */
export function vaultAuthMounts(catalog: Catalog): AuthMountPlan[] {
  const vault = catalog.vault;
  if (!vault) return [];
  const logins = kubernetesLogins(catalog);
  const clusters = [...new Set(logins.map((l) => l.cluster))];
  return [
    ...clusters.map((cluster) => ({
      path: vaultNames.kubernetesAuthMount(cluster),
      roles: logins.filter((l) => l.cluster === cluster).map((l) => l.roleName),
      hasConfig: true,
    })),
    ...(vault.appRoles.length > 0
      ? [{ path: vaultNames.appRoleMount, roles: vault.appRoles.map((r) => r.name), hasConfig: false }]
      : []),
    ...(vault.jwt
      ? [{ path: vaultNames.githubJwtMount, roles: Object.values(vaultNames.githubRoles), hasConfig: true }]
      : []),
    ...(vault.oidc
      ? [{ path: vaultNames.oidcMount, roles: Object.values(vaultNames.oidcRoles), hasConfig: true }]
      : []),
  ];
}
