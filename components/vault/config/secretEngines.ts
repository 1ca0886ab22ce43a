/**
 * Secrets engines: the environment's KV v2 mount, and the database engine with a connection
 * per catalog database that some workload reads, allowed exactly the roles the catalog implies.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { vaultNames } from "../../../stacks/naming";
import { type Database, setSecretHint } from "../../../stacks/schema";
import { type DatabaseRolePlan, rolesOf, vaultAdminOf, vaultDatabases } from "../plan";
import { dialectOf } from "../sql";
import type { ConfigContext } from "./context";

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
function insideDatabaseMount(
  ctx: ConfigContext,
  backend: vault.Mount,
): ConfigContext["opts"] & pulumi.CustomResourceOptions {
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

/**
 * The admin password a connection is created with. The config key only seeds it: Vault rotates
 * the password right after (`rotateRoot`), so once Vault has the connection the key may be
 * removed. Without it the password is left out and the engine keeps the one in state
 * (`ignoreChanges`), which the provider never sends again; with it, a changed value re-seeds
 * the connection. Whether Vault has the connection is asked only when the key is absent, and
 * a connection Vault does not have fails the preview naming the key, before anything changes.
 */
function seedPassword(
  ctx: ConfigContext,
  backend: string,
  database: Database,
): { password?: pulumi.Input<string>; ignoreChanges: string[] } {
  const { passwordConfigKey } = vaultAdminOf(database);
  const seed = ctx.stack.secrets.get(passwordConfigKey);
  if (seed) return { password: seed, ignoreChanges: [] };
  const index = ctx.stack.catalog.databases.indexOf(database);
  const where = database.vaultAdmin
    ? `databases[${index}].vaultAdmin.passwordConfigKey`
    : `databases[${index}].adminPasswordConfigKey`;
  const path = `${backend}/config/${database.name}`;
  const existing = vault.generic
    .getSecret({ path }, { provider: ctx.opts.provider, parent: ctx.opts.parent })
    .then(
      () => undefined,
      (err: unknown) => {
        throw new Error(
          `${where}: config key ${JSON.stringify(passwordConfigKey)} is not set and Vault has no connection ${path} to keep (${err instanceof Error ? err.message : String(err)}); to seed it, ${setSecretHint(passwordConfigKey)} (docs/runbooks/database-root.md)`,
        );
      },
    );
  // Resolves to undefined (the SDK then leaves the property out), typed as the input it stands for.
  const kept = pulumi.output(existing) as pulumi.Output<unknown> as pulumi.Output<string>;
  return { password: kept, ignoreChanges: [`${database.engine}.password`] };
}

/**
 * Vault replaces the seeded admin password with one only it knows (`rotate-root`): once when
 * the connection is created, and again whenever it is replaced or re-seeded (a new seed changes
 * the connection's stored password, the trigger). Vault offers no read or delete there, and
 * scheduled root rotation is Vault Enterprise only.
 */
function rotateRoot(
  ctx: ConfigContext,
  backend: vault.Mount,
  database: Database,
  connection: vault.database.SecretBackendConnection,
): void {
  const stored =
    database.engine === "postgresql"
      ? connection.postgresql.apply((p) => p?.password)
      : connection.mysql.apply((m) => m?.password);
  const opts = insideDatabaseMount(ctx, backend);
  new vault.generic.Endpoint(
    `${ctx.name}-db-${database.name}-rotate-root`,
    {
      // Known in every preview (the connection's outputs hold its secret password).
      path: pulumi.interpolate`${backend.path}/rotate-root/${database.name}`,
      dataJson: "{}",
      disableRead: true,
      disableDelete: true,
    },
    {
      ...opts,
      dependsOn: [...(opts.dependsOn ?? []), connection],
      replaceWith: [connection],
      replacementTrigger: seedDigest(stored),
    },
  );
}

/**
 * What the rotate-root trigger compares: a digest of the stored seed, not the seed. The CLI
 * (3.274.1) cannot print a plan whose trigger is a secret (`pulumi preview --json` panics with
 * "attempt to encrypt value"), and the digest gives nothing away that still works: rotate-root
 * replaces that password as soon as Vault has stored it.
 */
function seedDigest(stored: pulumi.Output<string | undefined>): pulumi.Output<string> {
  return pulumi.unsecret(
    stored.apply((seed) => (seed === undefined ? "" : createHash("sha256").update(seed).digest("hex"))),
  );
}

export function createDatabaseEngine(ctx: ConfigContext): void {
  const { catalog } = ctx.stack;
  const databases = vaultDatabases(catalog);
  if (databases.length === 0) return;
  const mountPath = vaultNames.databaseMount(catalog);
  const backend = new vault.Mount(
    `${ctx.name}-database`,
    {
      path: mountPath,
      type: "database",
      description: `Database credentials of ${catalog.environment}`,
    },
    ctx.opts,
  );
  for (const database of databases) {
    const roles = rolesOf(catalog, database);
    const dialect = dialectOf(database);
    const { password, ignoreChanges } = seedPassword(ctx, mountPath, database);
    const plugin = {
      connectionUrl: connectionUrl(database),
      username: vaultAdminOf(database).username,
      password,
      usernameTemplate: dialect.usernameTemplate,
    };
    const connection = new vault.database.SecretBackendConnection(
      `${ctx.name}-db-${database.name}`,
      {
        backend: backend.path,
        name: database.name,
        allowedRoles: roles.map((r) => r.name),
        verifyConnection: true,
        rootRotationStatements: [...dialect.rootRotation(database)],
        ...(database.engine === "postgresql"
          ? { postgresql: { ...plugin, passwordAuthentication: "scram-sha-256" } }
          : { mysql: plugin }),
      },
      // Replaced in place (same Vault path): the old one must go first, or deleting it would
      // remove the new one.
      { ...insideDatabaseMount(ctx, backend), ignoreChanges, deleteBeforeReplace: true },
    );
    rotateRoot(ctx, backend, database, connection);
    for (const role of roles) createRole(ctx, backend, connection, role);
  }
}
