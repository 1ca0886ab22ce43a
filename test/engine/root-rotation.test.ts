/**
 * Database root credentials only Vault knows, under the real Pulumi engine (CLI, Node language
 * host, the vault provider built from source) against a real Vault, PostgreSQL and MariaDB: the
 * shipped `local` stack (without its ESO section) seeds each connection from stack config, and
 * the same `up` has Vault rotate the admin's password (`rotate-root`). The password in config
 * then no longer logs in, dynamic credentials still do, later runs change nothing, the seed key
 * may be removed, a connection Vault lacks cannot be created without it, and the runbook's
 * re-seed (docs/runbooks/database-root.md) works.
 *
 * Each database's Vault admin is a login of this run only (`<database>_vault`, created by
 * local-catalog.ts from the engines' shared admin with what the bootstrap grants, and dropped
 * at the end): rotating it touches no other suite.
 */
import * as assert from "node:assert/strict";
import { Client } from "pg";
import * as mysql2 from "mysql2/promise";
import { databaseRoles, vaultAdminOf } from "../../components/vault/plan";
import { vaultNames } from "../../stacks/naming";
import type { CatalogInput, Database } from "../../stacks/schema";
import { engineSettings } from "../integration/engines";
import { mysqlSession, pgSession } from "../integration/rotation/databases";
import { vaultPassword } from "../integration/vault/vaultSql";
import { type Engine, fileBackend, Project, requirePulumi } from "./cli";
import { type LocalPlatform, POLICY, STACK, startLocalPlatform, withCatalog } from "./local-platform";

/** How each engine refuses a wrong password: PostgreSQL's SQLSTATE, MariaDB's error code. */
const AUTH_FAILED: Record<Database["engine"], (err: unknown) => boolean> = {
  postgresql: (err) => (err as { code?: string }).code === "28P01",
  mysql: (err) => (err as { code?: string }).code === "ER_ACCESS_DENIED_ERROR",
};

/** Logs in as `username` and counts the bootstrap's seed row (1): proof of a working login. */
async function countItems(database: Database, username: string, password: string): Promise<number> {
  const target = {
    host: database.host,
    port: database.port,
    username,
    password,
    dbname: database.database,
  };
  if (database.engine === "postgresql")
    return pgSession(target, async (db) =>
      Number((await db.query("SELECT count(*) AS n FROM items")).rows[0].n),
    );
  return mysqlSession(target, async (db) => {
    const [rows] = await db.query("SELECT count(*) AS n FROM items");
    return Number((rows as Array<{ n: number }>)[0].n);
  });
}

/** Whether `password` logs in as the database's Vault admin; any other failure throws. */
async function adminLogsIn(database: Database, password: string): Promise<boolean> {
  const { username } = vaultAdminOf(database);
  const target = { host: database.host, port: database.port, username, password, dbname: database.database };
  try {
    if (database.engine === "postgresql") await pgSession(target, async () => undefined);
    else await mysqlSession(target, async () => undefined);
    return true;
  } catch (err) {
    if (AUTH_FAILED[database.engine](err)) return false;
    throw err;
  }
}

/** What a DBA does when the admin is lost: a new password, set as the engines' own admin. */
async function resetAdminPassword(database: Database, password: string): Promise<void> {
  const engine = engineSettings();
  if (!engine) throw new Error("the integration engines are not set up (no .integration/env)");
  const { username } = vaultAdminOf(database);
  if (database.engine === "postgresql") {
    const root = new Client({
      host: engine.pgHost,
      port: engine.pgPort,
      user: engine.adminUser,
      password: engine.adminPassword,
      database: "postgres",
    });
    await root.connect();
    try {
      const literal = (await root.query<{ l: string }>("SELECT quote_literal($1) AS l", [password])).rows[0]
        .l;
      await root.query(`ALTER ROLE "${username}" WITH PASSWORD ${literal}`);
    } finally {
      await root.end();
    }
    return;
  }
  const root = await mysql2.createConnection({
    host: engine.mysqlHost,
    port: engine.mysqlPort,
    user: engine.adminUser,
    password: engine.adminPassword,
  });
  try {
    // mysql2 fills values in on the client and attaches the whole statement to its errors.
    await root.query(`ALTER USER ?@'%' IDENTIFIED BY ?`, [username, password]).catch((err: unknown) => {
      throw new Error(`ALTER USER of ${username} failed: ${(err as { code?: string }).code}`);
    });
  } finally {
    await root.end();
  }
}

describe("database root credentials under the real Pulumi engine: only Vault knows them", function () {
  this.timeout(900_000);
  let engine: Engine;
  let platform: LocalPlatform;
  let backend: ReturnType<typeof fileBackend>;
  let project: Project;
  let stackFile: string;
  const databases = () => platform.catalog().databases;
  const seedKey = (d: Database) => vaultAdminOf(d).passwordConfigKey;
  const seedOf = (d: Database) => platform.local.adminPasswords.get(seedKey(d))!;

  before(async function () {
    engine = requirePulumi(this);
    platform = await startLocalPlatform(this, { eso: false });
    backend = fileBackend();
    project = Project.create(engine, backend.url, "root-rotation", platform.env);
    stackFile = await platform.initStack(project);
  });

  after(async () => {
    if (project)
      await project
        .run(["destroy", "--yes", "--stack", STACK], { allow: [0, 1, 255] })
        .catch(() => undefined);
    await platform?.stop();
    project?.remove();
    backend?.remove();
  });

  /** Dynamic credentials of each database, issued by Vault through its connection, log in. */
  async function dynamicCredentialsLogIn(): Promise<void> {
    const catalog = platform.catalog();
    for (const database of databases()) {
      const role = databaseRoles(catalog).find(
        (r) => r.database.name === database.name && r.credential === "dynamic",
      )!;
      const lease = await platform.server.root.read<{ username: string; password: string }>(
        `${vaultNames.databaseMount(catalog)}/creds/${role.name}`,
      );
      assert.equal(await countItems(database, lease.data.username, lease.data.password), 1, database.name);
      await platform.server.root.write("sys/leases/revoke", { lease_id: lease.lease_id, sync: true });
    }
  }

  it("covers PostgreSQL and MariaDB, each seed logging in before the first up", async () => {
    assert.deepEqual(
      databases()
        .map((d) => d.engine)
        .sort(),
      ["mysql", "postgresql"],
    );
    for (const database of databases())
      assert.equal(await adminLogsIn(database, seedOf(database)), true, database.name);
  });

  it("after up, the admin password from config no longer logs in; dynamic credentials do", async () => {
    await project.run(["up", "--yes", "--stack", STACK, ...POLICY]);
    for (const database of databases())
      assert.equal(
        await adminLogsIn(database, seedOf(database)),
        false,
        `${database.name}: the seed still logs in`,
      );
    await dynamicCredentialsLogIn();
  });

  it("a second up changes nothing and puts no stale password back; preview --expect-no-changes passes", async () => {
    await project.run(["up", "--yes", "--expect-no-changes", "--stack", STACK, ...POLICY]);
    await project.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
    await dynamicCredentialsLogIn();
  });

  it("with the seed keys removed (pulumi config rm), preview --expect-no-changes and up still pass", async () => {
    for (const database of databases())
      await project.run(["config", "rm", seedKey(database), "--stack", STACK]);
    await project.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
    await project.run(["up", "--yes", "--expect-no-changes", "--stack", STACK, ...POLICY]);
    await dynamicCredentialsLogIn();
  });

  it("a connection Vault does not have yet, without its seed, stops the preview naming the key; nothing changes", async () => {
    // The same database under a new name: a new connection, whose seed key was removed above.
    const [database] = databases();
    const index = platform.catalogInput.databases!.findIndex((d) => d.name === database.name);
    const renamed: CatalogInput = structuredClone(platform.catalogInput);
    const name = `${database.name}-new`;
    renamed.databases![index].name = name;
    for (const w of renamed.workloads)
      for (const s of w.secrets as Array<{ database?: string }>)
        if (s.database === database.name) s.database = name;
    const committed = project.read(`Pulumi.${STACK}.yaml`);
    project.write(`Pulumi.${STACK}.yaml`, withCatalog(committed, renamed));
    try {
      const preview = await project.run(["preview", "--stack", STACK, ...POLICY], { allow: [255, 1] });
      assert.notEqual(preview.code, 0);
      const output = preview.stdout + preview.stderr;
      const at = database.vaultAdmin ? "vaultAdmin.passwordConfigKey" : "adminPasswordConfigKey";
      assert.match(
        output,
        new RegExp(
          `databases\\[${index}\\]\\.${at}: config key "${seedKey(database)}" is not set and Vault has no connection`,
        ),
      );
    } finally {
      project.write(`Pulumi.${STACK}.yaml`, committed);
    }
    await project.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
  });

  for (const engineName of ["postgresql", "mysql"] as const)
    it(`the runbook re-seeds a ${engineName} connection whose admin the DBA reset; Vault then rotates it again`, async () => {
      const database = databases().find((d) => d.engine === engineName)!;
      const reset = vaultPassword();
      await resetAdminPassword(database, reset);
      assert.equal(await adminLogsIn(database, reset), true);
      // The password on stdin, never in argv (docs/runbooks/database-root.md).
      await project.run(["config", "set", "--secret", seedKey(database), "--stack", STACK], { input: reset });
      const { stdout } = await project.run(["stack", "--show-urns", "--stack", STACK]);
      const urns = stdout.match(/urn:pulumi:\S+/g) ?? [];
      const urn = (type: string, name: string) => {
        const found = urns.filter((u) => u.includes(`$${type}::`) && u.endsWith(name));
        assert.equal(found.length, 1, `URNs of ${type} ${name}: ${found.join(", ")}`);
        return found[0];
      };
      const connection = urn(
        "vault:database/secretBackendConnection:SecretBackendConnection",
        `-db-${database.name}`,
      );
      const rotation = urn("vault:generic/endpoint:Endpoint", `-db-${database.name}-rotate-root`);
      await project.run([
        "up",
        "--yes",
        "--stack",
        STACK,
        "--target",
        connection,
        "--target",
        rotation,
        "--replace",
        rotation,
      ]);
      assert.equal(await adminLogsIn(database, reset), false, "the DBA's password still logs in");
      await dynamicCredentialsLogIn();
      await project.run(["config", "rm", seedKey(database), "--stack", STACK]);
      await project.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
    });

  it("keeps no seed in the committed stack file", () => {
    for (const database of databases()) assert.ok(!stackFile.includes(seedOf(database)), database.name);
  });
});
