/**
 * Vault ACL policies as data, rendered to HCL. Workload policies are derived from the
 * catalog and hold `read` only; the human policies are fixed shapes over the catalog's mounts.
 */
import { vaultNames } from "../../stacks/naming";
import type { Catalog, EsoSettings, VaultSettings, Workload } from "../../stacks/schema";
import { databaseRoles, vaultAuthMounts, vaultDatabases, workloadReadPaths } from "./plan";

export type Capability = "create" | "read" | "update" | "patch" | "delete" | "list" | "sudo" | "deny";

export interface PolicyRule {
  readonly path: string;
  readonly capabilities: readonly Capability[];
}

export function renderPolicy(rules: readonly PolicyRule[]): string {
  return rules
    .map((r) => `path ${JSON.stringify(r.path)} {\n  capabilities = ${JSON.stringify(r.capabilities)}\n}\n`)
    .join("\n");
}

export const OPERATOR_POLICY = "operator";
export const BREAK_GLASS_POLICY = "break-glass";
export const DEPLOYER_POLICY = "platform-deployer";
export const PREVIEW_POLICY = "platform-preview";
export const appRolePolicyName = (name: string) => `approle-${name}`;

const readOnly = (path: string): PolicyRule => ({ path, capabilities: ["read"] });

export function workloadPolicy(catalog: Catalog, workload: Workload): PolicyRule[] {
  return workloadReadPaths(catalog, workload).map(readOnly);
}

export function appRolePolicy(catalog: Catalog, appRole: VaultSettings["appRoles"][number]): PolicyRule[] {
  return appRole.kvPaths.map((p) => readOnly(`${vaultNames.kvMount(catalog)}/data/${p}`));
}

/** A ClusterSecretStore reads everything below its KV prefix, and nothing else. */
export function clusterStorePolicy(
  catalog: Catalog,
  store: EsoSettings["clusterSecretStores"][number],
): PolicyRule[] {
  return [readOnly(`${vaultNames.kvMount(catalog)}/data/${store.kvPathPrefix}/*`)];
}

/**
 * Day-to-day operators: manage KV secrets and database credentials, inspect configuration.
 * No policy, auth or audit writes, so an operator cannot grant themselves break-glass.
 */
export function operatorPolicy(catalog: Catalog): PolicyRule[] {
  const kv = vaultNames.kvMount(catalog);
  const db = vaultNames.databaseMount(catalog);
  const rules: PolicyRule[] = [
    { path: `${kv}/data/*`, capabilities: ["create", "read", "update", "patch", "delete"] },
    { path: `${kv}/metadata/*`, capabilities: ["read", "list", "delete"] },
    { path: `${kv}/delete/*`, capabilities: ["update"] },
    { path: `${kv}/undelete/*`, capabilities: ["update"] },
    { path: "sys/policies/acl/*", capabilities: ["read", "list"] },
    { path: "sys/mounts", capabilities: ["read"] },
    { path: "sys/auth", capabilities: ["read"] },
    { path: "sys/leases/lookup/*", capabilities: ["update", "list"] },
    // Cluster health: raft voters and autopilot's view, read-only.
    { path: "sys/storage/raft/configuration", capabilities: ["read"] },
    { path: "sys/storage/raft/autopilot/state", capabilities: ["read"] },
  ];
  if (vaultDatabases(catalog).length > 0) {
    rules.push(
      { path: `${db}/roles/*`, capabilities: ["read", "list"] },
      { path: `${db}/static-roles/*`, capabilities: ["read", "list"] },
      { path: `${db}/rotate-role/*`, capabilities: ["update"] },
      { path: `sys/leases/revoke-prefix/${db}/creds/*`, capabilities: ["update", "sudo"] },
    );
  }
  return rules;
}

/**
 * The raft-snapshot job's: download a snapshot (`GET sys/storage/raft/snapshot`), nothing else.
 * Restoring (`sys/storage/raft/snapshot`, `snapshot-force` with update) is a person's break-glass act.
 */
export function snapshotPolicy(): PolicyRule[] {
  return [{ path: "sys/storage/raft/snapshot", capabilities: ["read"] }];
}

/** Everything, for incidents only: reachable through the break-glass auth role alone, with a short TTL. */
export function breakGlassPolicy(): PolicyRule[] {
  return [{ path: "*", capabilities: ["create", "read", "update", "patch", "delete", "list", "sudo"] }];
}

/**
 * The database engine's connections and roles, and the root rotation of exactly this catalog's
 * connections; never its credentials.
 */
function deployerDatabaseRules(catalog: Catalog, crud: readonly Capability[]): PolicyRule[] {
  const db = vaultNames.databaseMount(catalog);
  return [
    { path: `${db}/config/*`, capabilities: crud },
    { path: `${db}/roles/*`, capabilities: crud },
    { path: `${db}/static-roles/*`, capabilities: crud },
    ...vaultDatabases(catalog).map((d): PolicyRule => ({
      path: `${db}/rotate-root/${d.name}`,
      capabilities: ["update"],
    })),
  ];
}

/**
 * What the Pulumi configuration layer needs to manage this catalog's auth methods, mounts,
 * policies and audit devices; the init runbook creates the provider token with it.
 */
export function deployerPolicy(catalog: Catalog): PolicyRule[] {
  const crud: Capability[] = ["create", "read", "update", "delete", "list"];
  return [
    { path: "sys/auth", capabilities: ["read"] },
    { path: "sys/auth/*", capabilities: [...crud, "sudo"] },
    { path: "auth/*", capabilities: crud },
    { path: "sys/mounts", capabilities: ["read"] },
    { path: "sys/mounts/*", capabilities: crud },
    { path: "sys/policies/acl/*", capabilities: crud },
    { path: "sys/audit", capabilities: ["read", "sudo"] },
    { path: "sys/audit/*", capabilities: [...crud, "sudo"] },
    ...deployerDatabaseRules(catalog, crud),
    { path: `${vaultNames.kvMount(catalog)}/config`, capabilities: ["read", "update"] },
    { path: "identity/*", capabilities: crud },
  ];
}

/**
 * Read on a path Vault protects as root (`sys/audit`): even reading it needs `sudo`, which adds
 * no other operation to the `read` granted.
 */
const rootProtectedRead = (path: string): PolicyRule => ({ path, capabilities: ["read", "sudo"] });

/**
 * What `pulumi preview` and `pulumi refresh` of this configuration read, path by exact path,
 * for the logins of pull-request previews and drift checks: the provider's look-up of its own
 * token, and each managed object as the vault provider reads it back (policy texts, mounts,
 * auth methods with their tuning, config and roles, database connections and roles, the KV
 * mount's settings, audit devices). No secret data, no credential endpoint, no write and no
 * token creation: the provider acts with the login's own token (`skipChildToken`).
 * `policyNames` are the catalog's policies, this one included.
 */
export function previewPolicy(catalog: Catalog, policyNames: readonly string[]): PolicyRule[] {
  const kv = vaultNames.kvMount(catalog);
  const db = vaultNames.databaseMount(catalog);
  const rules: PolicyRule[] = [
    readOnly("auth/token/lookup-self"),
    ...policyNames.map((name) => readOnly(`sys/policies/acl/${name}`)),
    readOnly(`sys/mounts/${kv}`),
    readOnly(`${kv}/config`),
  ];
  const databases = vaultDatabases(catalog);
  if (databases.length > 0) {
    rules.push(readOnly(`sys/mounts/${db}`), ...databases.map((d) => readOnly(`${db}/config/${d.name}`)));
    for (const role of databaseRoles(catalog))
      rules.push(readOnly(`${db}/${role.credential === "static" ? "static-roles" : "roles"}/${role.name}`));
  }
  for (const mount of vaultAuthMounts(catalog)) {
    // The Vault API client reads an auth mount at sys/mounts/auth/<path>, which needs no sudo.
    rules.push(readOnly(`sys/mounts/auth/${mount.path}`), readOnly(`sys/mounts/auth/${mount.path}/tune`));
    if (mount.hasConfig) rules.push(readOnly(`auth/${mount.path}/config`));
    for (const role of mount.roles) {
      rules.push(readOnly(`auth/${mount.path}/role/${role}`));
      // An AppRole's role ID names it (like a user name); logging in also takes a secret ID.
      if (mount.path === vaultNames.appRoleMount)
        rules.push(readOnly(`auth/${mount.path}/role/${role}/role-id`));
    }
  }
  rules.push(rootProtectedRead("sys/audit"));
  return rules;
}
