/**
 * What the library's consumer suites share: the npm package as `npm pack` makes it, installed
 * into a team's program from the npm cache only; and the platform's side of Vault, set up the
 * way its operators would (a Kubernetes auth mount reviewing logins against the real API
 * server, a database secrets engine with a connection to a fresh PostgreSQL database through a
 * non-superuser admin only Vault knows the password of, a scoped token for the team, the
 * workload's namespace and service account).
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { renderPolicy } from "../../components/vault/policies";
import { LIBRARY_DIR } from "../../tools/build-library";
import type { EngineSettings } from "../integration/engines";
import { pgSession, type SessionTarget } from "../integration/rotation/databases";
import { type VaultClient, VaultError } from "../integration/vault/live/server";
import { uniqueDatabaseName, vaultPassword } from "../integration/vault/vaultSql";
import { PROJECT_DIR } from "../support/offline";
import {
  createNamespace,
  createReviewer,
  createServiceAccount,
  type Kube,
  removeNamespace,
  requestToken,
  uniqueName,
} from "./kube";

const run = promisify(execFile);
const npm = (args: readonly string[], cwd: string) =>
  run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    env: { ...process.env, npm_config_update_notifier: "false" },
    maxBuffer: 16 << 20,
  });

const seconds = (started: number) => (Date.now() - started) / 1000;

/** `npm pack` of library/ (its prepack builds it) into `dir`: the tarball's path, size and time. */
export async function packLibrary(dir: string): Promise<{ tarball: string; bytes: number; seconds: number }> {
  const started = Date.now();
  const { stdout } = await npm(["pack", "--pack-destination", dir], LIBRARY_DIR);
  const tarball = path.join(dir, stdout.trim().split("\n").pop()!);
  return { tarball, bytes: fs.statSync(tarball).size, seconds: seconds(started) };
}

/**
 * `npm ci --offline` in `dir` from a lockfile fitted to its package.json: the lockfile starts
 * from the repository's (every registry package named is pinned there, so the root's `npm ci`
 * has cached its tarball) and `npm install --package-lock-only --prefer-offline` fits it. The
 * fitting reads packages' registry metadata, which `npm ci` never caches: on a machine whose npm
 * cache holds only what the root's `npm ci` put there, `--offline` failed (ERESOLVE, "Found:
 * @pulumi/pulumi@undefined"), so the metadata may come from the registry; the install itself
 * stays offline, so a package missing from the cache fails (ENOTCACHED).
 */
async function installOffline(dir: string): Promise<void> {
  fs.copyFileSync(path.join(PROJECT_DIR, "package-lock.json"), path.join(dir, "package-lock.json"));
  await npm(["install", "--package-lock-only", "--prefer-offline", "--ignore-scripts"], dir);
  await npm(["ci", "--offline", "--ignore-scripts"], dir);
}

/** A TypeScript program naming the library as `file:secrets-platform.tgz`: the tarball copied in, installed. */
export async function installProgram(programDir: string, tarball: string): Promise<{ seconds: number }> {
  const started = Date.now();
  fs.copyFileSync(tarball, path.join(programDir, "secrets-platform.tgz"));
  await installOffline(programDir);
  return { seconds: seconds(started) };
}

/**
 * The component package as a program in another language holds it: the tarball unpacked into
 * `<programDir>/secrets-platform` with its dependencies installed there (the package is then
 * its own npm project: `@pulumi/pulumi` is its pinned devDependency). The CLI runs `npm
 * install` in a source plugin's directory before using it; with everything installed that
 * changes nothing.
 */
export async function installComponentPackage(programDir: string, tarball: string): Promise<string> {
  const unpacked = path.join(programDir, ".unpack");
  fs.mkdirSync(unpacked);
  await run("tar", ["-xzf", tarball, "-C", unpacked]);
  const dir = path.join(programDir, "secrets-platform");
  fs.renameSync(path.join(unpacked, "package"), dir);
  fs.rmSync(unpacked, { recursive: true });
  await installOffline(dir);
  return dir;
}

/** The KV v2 mount of Vault's dev server, and the auth and database mounts the platform enables. */
export const KV_MOUNT = "secret";
export const AUTH_MOUNT = "kubernetes";
export const DB_MOUNT = "database";
/** The platform's connection in DB_MOUNT, to the team's PostgreSQL database. */
export const DB_CONNECTION = "orders-db";
/** The table the consumer programs grant SELECT and INSERT on, and one they grant nothing on. */
export const GRANTED_TABLE = "orders";
export const OTHER_TABLE = "payments";

export interface PlatformSide {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** A token for the team: policies, roles and KV entries of its own names, nothing else. */
  readonly teamToken: string;
  remove(): Promise<void>;
}

/**
 * The platform operators' part: the workload's namespace and service account, a reviewer bound
 * to `system:auth-delegator` only, the Kubernetes auth mount configured with the API server's
 * URL and CA, and the team's token, scoped to names starting with `team`.
 */
export async function platformSide(
  kube: Kube,
  vault: VaultClient,
  team: string,
  serviceAccount: string,
): Promise<PlatformSide> {
  const namespace = uniqueName(`sp-${team}`);
  await createNamespace(kube.admin, namespace);
  await createServiceAccount(kube.admin, namespace, serviceAccount);
  const reviewer = await createReviewer(kube.admin, namespace, "vault-reviewer");
  await vault.write(`sys/auth/${AUTH_MOUNT}`, { type: "kubernetes" });
  await vault.write(`auth/${AUTH_MOUNT}/config`, {
    kubernetes_host: kube.settings.url,
    kubernetes_ca_cert: kube.caPem,
    disable_local_ca_jwt: true,
    token_reviewer_jwt: reviewer.token,
  });
  const crud = ["create", "read", "update", "delete", "list"] as const;
  await vault.request("PUT", `sys/policies/acl/team-${team}`, {
    policy: renderPolicy([
      { path: `sys/policies/acl/workload-${namespace}-*`, capabilities: crud },
      { path: `auth/${AUTH_MOUNT}/role/${namespace}-*`, capabilities: crud },
      { path: `${KV_MOUNT}/data/${team}/*`, capabilities: crud },
      { path: `${KV_MOUNT}/metadata/${team}/*`, capabilities: crud },
      // Database roles of the team's names on the platform's mount; not its connections.
      { path: `${DB_MOUNT}/roles/${namespace}-*`, capabilities: crud },
      // The Vault provider works with a child token of the one it is given.
      { path: "auth/token/create", capabilities: ["update"] },
    ]),
  });
  const { auth } = await vault.write("auth/token/create", { policies: [`team-${team}`], ttl: "2h" });
  return {
    namespace,
    serviceAccount,
    teamToken: auth!.client_token,
    async remove() {
      await kube.admin.delete(reviewer.bindingPath).catch(() => undefined);
      await removeNamespace(kube.admin, namespace);
    },
  };
}

/** The stack outputs every consumer program exports. */
export interface AccessOutputs {
  readonly role: string;
  readonly policy: string;
  readonly loginPath: string;
  readonly readPaths: readonly string[];
  readonly dbRole: string;
  readonly dbCredentialsPath: string;
  readonly dbLoginRole: string;
  readonly dbPolicy: string;
}

/** What the defaults of VaultWorkloadAccess give for the platform's namespace and `orders-api`. */
export function expectedOutputs(platform: PlatformSide): AccessOutputs {
  return {
    role: `${platform.namespace}-${platform.serviceAccount}`,
    policy: `workload-${platform.namespace}-${platform.serviceAccount}`,
    loginPath: `auth/${AUTH_MOUNT}/login`,
    readPaths: [`${KV_MOUNT}/data/orders/db`],
    dbRole: `${platform.namespace}-${platform.serviceAccount}`,
    dbCredentialsPath: `${DB_MOUNT}/creds/${platform.namespace}-${platform.serviceAccount}`,
    dbLoginRole: `${platform.namespace}-${platform.serviceAccount}-db`,
    dbPolicy: `workload-${platform.namespace}-${platform.serviceAccount}-db`,
  };
}

/**
 * The access as Vault holds it and as the workload sees it: the role binds exactly the service
 * account, namespace and audience with the policy; a TokenRequest token of that service account
 * for `vault` logs in and reads `orders/db` (its password: 32 letters and digits, returned);
 * everything else is denied; a token for another audience is refused.
 */
export async function assertWorkloadAccess(
  kube: Kube,
  vault: VaultClient,
  platform: PlatformSide,
  outputs: AccessOutputs,
): Promise<string> {
  const { data } = await vault.read<{
    bound_service_account_names: string[];
    bound_service_account_namespaces: string[];
    audience: string;
    token_policies: string[];
    token_ttl: number;
  }>(`auth/${AUTH_MOUNT}/role/${outputs.role}`);
  assert.deepEqual(data.bound_service_account_names, [platform.serviceAccount]);
  assert.deepEqual(data.bound_service_account_namespaces, [platform.namespace]);
  assert.equal(data.audience, "vault");
  assert.deepEqual(data.token_policies, [outputs.policy]);
  assert.equal(data.token_ttl, 900);

  const token = (audiences: string[]) =>
    requestToken(kube.admin, platform.namespace, platform.serviceAccount, {
      audiences,
      expirationSeconds: 600,
    });
  const { auth } = await vault.write(outputs.loginPath, { role: outputs.role, jwt: await token(["vault"]) });
  const workload = vault.withToken(auth!.client_token);
  const secret = await workload.read<{ data: { password: string } }>(`${KV_MOUNT}/data/orders/db`);
  assert.match(secret.data.data.password, /^[A-Za-z0-9]{32}$/);
  for (const denied of ["sys/mounts", `${KV_MOUNT}/data/orders/other`, `${KV_MOUNT}/metadata/orders/db`]) {
    await assert.rejects(workload.read(denied), (e) => e instanceof VaultError && e.status === 403, denied);
  }
  await assert.rejects(
    vault.write(outputs.loginPath, { role: outputs.role, jwt: await token(["not-vault"]) }),
    (e) => e instanceof VaultError && /invalid audience/.test(e.errors.join(" ")),
  );
  return secret.data.data.password;
}

/** After destroy: none of the roles and policies is left in Vault. */
export async function assertAccessRemoved(vault: VaultClient, outputs: AccessOutputs): Promise<void> {
  for (const apiPath of [
    `auth/${AUTH_MOUNT}/role/${outputs.role}`,
    `sys/policies/acl/${outputs.policy}`,
    `auth/${AUTH_MOUNT}/role/${outputs.dbLoginRole}`,
    `sys/policies/acl/${outputs.dbPolicy}`,
    `${DB_MOUNT}/roles/${outputs.dbRole}`,
  ]) {
    await assert.rejects(vault.read(apiPath), (e) => e instanceof VaultError && e.status === 404, apiPath);
  }
}

/** The platform's database: a fresh PostgreSQL database behind DB_MOUNT/config/DB_CONNECTION. */
export interface PlatformDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** Whether a login (role) of that name exists on the server. */
  loginExists(username: string): Promise<boolean>;
  /** Drops the database, Vault's admin and any login Vault issued that is left. */
  remove(issued: readonly string[]): Promise<void>;
}

/**
 * The platform operators' database part, as the runbook has them do it: a database with the
 * team's tables (owned by the server's admin), a non-superuser Vault admin that may create
 * logins and pass on only the data privileges on those tables, the database engine mounted with
 * a connection through that admin, admitting the roles of the workload's namespace, and the
 * admin's password rotated so that only Vault knows it.
 */
export async function platformDatabase(
  vault: VaultClient,
  engine: EngineSettings,
  namespace: string,
): Promise<PlatformDatabase> {
  const database = uniqueDatabaseName();
  const vaultAdmin = `${database}_vault`;
  const admin = (dbname: string): SessionTarget => ({
    host: engine.pgHost,
    port: engine.pgPort,
    username: engine.adminUser,
    password: engine.adminPassword,
    dbname,
  });
  const seed = vaultPassword();
  await pgSession(admin("postgres"), async (c) => {
    await c.query(`CREATE DATABASE "${database}"`);
    await c.query(`CREATE ROLE "${vaultAdmin}" WITH LOGIN CREATEROLE PASSWORD '${seed}'`);
  });
  await pgSession(admin(database), async (c) => {
    // No serial columns: a login granted INSERT on a table gets no sequence.
    await c.query(`CREATE TABLE ${GRANTED_TABLE} (id integer PRIMARY KEY, item text NOT NULL)`);
    await c.query(`CREATE TABLE ${OTHER_TABLE} (id integer PRIMARY KEY, amount integer NOT NULL)`);
    await c.query(`INSERT INTO ${OTHER_TABLE} VALUES (1, 100)`);
    await c.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ${GRANTED_TABLE}, ${OTHER_TABLE} TO "${vaultAdmin}" WITH GRANT OPTION`,
    );
  });
  await vault.write(`sys/mounts/${DB_MOUNT}`, { type: "database" });
  await vault.write(`${DB_MOUNT}/config/${DB_CONNECTION}`, {
    plugin_name: "postgresql-database-plugin",
    connection_url: `postgresql://{{username}}:{{password}}@${engine.pgHost}:${engine.pgPort}/${database}?sslmode=disable`,
    username: vaultAdmin,
    password: seed,
    password_authentication: "scram-sha-256",
    allowed_roles: [`${namespace}-*`],
    verify_connection: true,
  });
  await vault.write(`${DB_MOUNT}/rotate-root/${DB_CONNECTION}`);
  const loginExists = (username: string) =>
    pgSession(admin("postgres"), async (c) => {
      const { rowCount } = await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [username]);
      return rowCount === 1;
    });
  return {
    host: engine.pgHost,
    port: engine.pgPort,
    database,
    loginExists,
    async remove(issued) {
      await pgSession(admin("postgres"), async (c) => {
        await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [
          database,
        ]);
        await c.query(`DROP DATABASE IF EXISTS "${database}"`);
        for (const login of [...issued, vaultAdmin])
          await c.query(`DROP ROLE IF EXISTS "${login.replace(/"/g, '""')}"`);
      });
    },
  };
}

/** A credential Vault issued: the login, and the lease that bounds it. */
export interface IssuedCredential {
  readonly username: string;
  readonly password: string;
  readonly leaseId: string;
  /** The workload's Vault token the lease belongs to. */
  readonly token: VaultClient;
}

/** Logs in as the workload (a TokenRequest token of its service account) with the database login role. */
export async function workloadDatabaseLogin(
  kube: Kube,
  vault: VaultClient,
  platform: PlatformSide,
  outputs: AccessOutputs,
): Promise<VaultClient> {
  const jwt = await requestToken(kube.admin, platform.namespace, platform.serviceAccount, {
    audiences: ["vault"],
    expirationSeconds: 600,
  });
  const { auth } = await vault.write(outputs.loginPath, { role: outputs.dbLoginRole, jwt });
  return vault.withToken(auth!.client_token);
}

/** Reads a credential at the component's creds path with the workload's token. */
export async function issueCredential(
  workload: VaultClient,
  outputs: AccessOutputs,
): Promise<IssuedCredential> {
  const lease = await workload.read<{ username: string; password: string }>(outputs.dbCredentialsPath);
  return {
    username: lease.data.username,
    password: lease.data.password,
    leaseId: lease.lease_id!,
    token: workload,
  };
}

/** Waits (up to 30 s) until the server has no login `username`: Vault revokes leases in the background. */
export async function assertLoginDropped(db: PlatformDatabase, username: string): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 500) {
    if (!(await db.loginExists(username))) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(`the login ${username} is still on the server 30 s after its lease was revoked`);
}

/**
 * The database credentials as Vault holds them and as the workload uses them: the database role
 * on the platform's connection with the bounded TTLs; the login role bound to exactly the
 * service account with the policy; the workload's token reads a credential at the creds path
 * and nothing else (not the role, not another role's creds, not the KV secret of the other
 * component, not the mounts); with that credential PostgreSQL allows SELECT and INSERT on the
 * granted table and refuses UPDATE and DELETE there and any access to the other table. Revoking
 * the workload's token revokes the lease, and the login is dropped. Returns a second credential,
 * still leased, for the caller to check after destroy.
 */
export async function assertDatabaseCredentials(
  kube: Kube,
  vault: VaultClient,
  platform: PlatformSide,
  db: PlatformDatabase,
  outputs: AccessOutputs,
  issued: string[],
): Promise<IssuedCredential> {
  const { data: role } = await vault.read<{ db_name: string; default_ttl: number; max_ttl: number }>(
    `${DB_MOUNT}/roles/${outputs.dbRole}`,
  );
  assert.deepEqual(
    { db_name: role.db_name, default_ttl: role.default_ttl, max_ttl: role.max_ttl },
    { db_name: DB_CONNECTION, default_ttl: 3600, max_ttl: 14400 },
  );
  const { data: login } = await vault.read<{
    bound_service_account_names: string[];
    bound_service_account_namespaces: string[];
    token_policies: string[];
  }>(`auth/${AUTH_MOUNT}/role/${outputs.dbLoginRole}`);
  assert.deepEqual(login.bound_service_account_names, [platform.serviceAccount]);
  assert.deepEqual(login.bound_service_account_namespaces, [platform.namespace]);
  assert.deepEqual(login.token_policies, [outputs.dbPolicy]);

  const workload = await workloadDatabaseLogin(kube, vault, platform, outputs);
  const credential = await issueCredential(workload, outputs);
  issued.push(credential.username);
  for (const denied of [
    `${DB_MOUNT}/roles/${outputs.dbRole}`,
    `${DB_MOUNT}/creds/${platform.namespace}-other`,
    `${DB_MOUNT}/config/${DB_CONNECTION}`,
    `${KV_MOUNT}/data/orders/db`,
    "sys/mounts",
  ]) {
    await assert.rejects(workload.read(denied), (e) => e instanceof VaultError && e.status === 403, denied);
  }

  const target: SessionTarget = {
    host: db.host,
    port: db.port,
    username: credential.username,
    password: credential.password,
    dbname: db.database,
  };
  await pgSession(target, async (c) => {
    await c.query(`INSERT INTO ${GRANTED_TABLE} VALUES (1, 'first order')`);
    const { rows } = await c.query<{ item: string }>(`SELECT item FROM ${GRANTED_TABLE}`);
    assert.deepEqual(rows, [{ item: "first order" }]);
    for (const sql of [
      `UPDATE ${GRANTED_TABLE} SET item = 'changed'`,
      `DELETE FROM ${GRANTED_TABLE}`,
      `SELECT amount FROM ${OTHER_TABLE}`,
      `INSERT INTO ${OTHER_TABLE} VALUES (2, 1)`,
      `CREATE TABLE ${GRANTED_TABLE}_copy (id integer)`,
    ]) {
      await assert.rejects(
        c.query(sql),
        (e) => (e as { code?: string }).code === "42501",
        `${sql}: not refused for lack of privilege`,
      );
    }
  });

  // Revoking the workload's token revokes its lease: Vault drops the login.
  await credential.token.write("auth/token/revoke-self");
  await assertLoginDropped(db, credential.username);
  await assert.rejects(
    pgSession(target, async (c) => c.query("SELECT 1")),
    /password authentication failed|does not exist/,
  );

  const second = await issueCredential(await workloadDatabaseLogin(kube, vault, platform, outputs), outputs);
  issued.push(second.username);
  assert.equal(await db.loginExists(second.username), true);
  return second;
}
