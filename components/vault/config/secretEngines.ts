/**
 * Secrets engines: the environment's KV v2 mount, and the database engine with a connection
 * per catalog database that some workload reads, allowed exactly the roles the catalog implies.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { vaultNames } from "../../../stacks/naming";
import type { Database } from "../../../stacks/schema";
import { type DatabaseRolePlan, rolesOf, vaultDatabases } from "../plan";
import { dialectOf } from "../sql";
import { type ConfigContext, requiredSecret } from "./context";

export function createKv(ctx: ConfigContext): void {
  const { catalog, profile } = ctx.stack;
  const mount = new vault.Mount(
    `${ctx.name}-kv`,
    {
      path: vaultNames.kvMount(catalog),
      type: "kv",
      options: { version: "2" },
      description: `Static secrets of ${catalog.environment}`,
    },
    ctx.opts,
  );
  new vault.kv.SecretBackendV2(
    `${ctx.name}-kv-config`,
    { mount: mount.path, maxVersions: profile.vault.kvMaxVersions, casRequired: true },
    ctx.opts,
  );
}

function connectionUrl(database: Database): string {
  const address = `${database.host}:${database.port}`;
  if (database.engine === "postgresql") {
    const sslmode = database.tls ? "verify-full" : "disable";
    return `postgresql://{{username}}:{{password}}@${address}/${database.database}?sslmode=${sslmode}`;
  }
  return `{{username}}:{{password}}@tcp(${address})/${database.database}${database.tls ? "?tls=true" : ""}`;
}

/**
 * A connection or role lives inside the database mount: when the mount goes, they go with it,
 * and are not deleted first. Unmounting revokes every outstanding lease, which runs each role's
 * revocation SQL through its connection; deleted first, they would leave Vault unable to revoke
 * (the unmount then fails, hashicorp/vault#9420) and the issued logins in the database.
 */
function insideDatabaseMount(ctx: ConfigContext, backend: vault.Mount): pulumi.CustomResourceOptions {
  return { ...ctx.opts, deletedWith: backend };
}

function createRole(
  ctx: ConfigContext,
  backend: vault.Mount,
  connection: vault.database.SecretBackendConnection,
  role: DatabaseRolePlan,
): void {
  const { profile } = ctx.stack;
  const dialect = dialectOf(role.database);
  const common = { backend: backend.path, name: role.name, dbName: connection.name };
  const opts = insideDatabaseMount(ctx, backend);
  if (role.credential === "static") {
    new vault.database.SecretBackendStaticRole(
      `${ctx.name}-db-static-${role.name}`,
      {
        ...common,
        username: role.username!,
        rotationSchedule: profile.staticRotation.vaultSchedule,
        rotationWindow: profile.staticRotation.windowSeconds,
        rotationStatements: [...dialect.staticRole(role.database, role.username!).rotation],
      },
      opts,
    );
    return;
  }
  const statements = dialect.dynamicRole(role.database, role.access);
  new vault.database.SecretBackendRole(
    `${ctx.name}-db-role-${role.name}`,
    {
      ...common,
      creationStatements: [...statements.creation],
      revocationStatements: [...statements.revocation],
      renewStatements: [...statements.renewal],
      defaultTtl: profile.dynamicCredential.ttlSeconds,
      maxTtl: profile.dynamicCredential.maxTtlSeconds,
    },
    opts,
  );
}

export function createDatabaseEngine(ctx: ConfigContext): void {
  const { catalog } = ctx.stack;
  const databases = vaultDatabases(catalog);
  if (databases.length === 0) return;
  const backend = new vault.Mount(
    `${ctx.name}-database`,
    {
      path: vaultNames.databaseMount(catalog),
      type: "database",
      description: `Database credentials of ${catalog.environment}`,
    },
    ctx.opts,
  );
  for (const database of databases) {
    const roles = rolesOf(catalog, database);
    const index = catalog.databases.indexOf(database);
    const plugin = {
      connectionUrl: connectionUrl(database),
      username: database.adminUsername,
      password: requiredSecret(
        ctx.stack,
        database.adminPasswordConfigKey,
        `databases[${index}].adminPasswordConfigKey`,
      ),
      usernameTemplate: dialectOf(database).usernameTemplate,
    };
    const connection = new vault.database.SecretBackendConnection(
      `${ctx.name}-db-${database.name}`,
      {
        backend: backend.path,
        name: database.name,
        allowedRoles: roles.map((r) => r.name),
        verifyConnection: true,
        ...(database.engine === "postgresql"
          ? { postgresql: { ...plugin, passwordAuthentication: "scram-sha-256" } }
          : { mysql: plugin }),
      },
      insideDatabaseMount(ctx, backend),
    );
    for (const role of roles) createRole(ctx, backend, connection, role);
  }
}
