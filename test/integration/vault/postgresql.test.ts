/**
 * The PostgreSQL role SQL on a real server: bootstrap as the superuser, every Vault statement
 * as a non-superuser CREATEROLE admin (as on RDS), credentials checked by logging in.
 */
import * as assert from "node:assert/strict";
import { Client } from "pg";
import { postgresGroups, postgresql } from "../../../components/vault/sql/postgresql";
import type { Database } from "../../../stacks/schema";
import { type EngineSettings, requireEngine } from "../engines";
import {
  pgExpiration,
  postgresUsername,
  renderStatements,
  uniqueDatabaseName,
  vaultPassword,
} from "./vaultSql";

const HOUR_MS = 3_600_000;

describe("PostgreSQL role SQL on a real server", function () {
  this.timeout(60_000);
  let engine: EngineSettings;
  const dbName = uniqueDatabaseName();
  const adminUser = `${dbName}_vault`;
  const adminPassword = vaultPassword();
  const staticUser = `${dbName}_reporting`;
  const created: string[] = [];
  const base: Database = {
    name: "orders-pg",
    engine: "postgresql",
    host: "127.0.0.1",
    port: 5432,
    database: dbName,
    adminUsername: adminUser,
    adminPasswordConfigKey: "ordersDbAdminPassword",
    tls: false,
    allowSchemaChanges: false,
  };
  const withDdl: Database = { ...base, allowSchemaChanges: true };
  const groups = postgresGroups(base);

  const connect = async (user: string, password: string, database = dbName) => {
    const client = new Client({ host: engine.pgHost, port: engine.pgPort, user, password, database });
    await client.connect();
    return client;
  };
  const asSuperuser = (database = dbName) => connect(engine.adminUser, engine.adminPassword, database);
  /** Runs rendered statements in one transaction, as Vault's plugin does. */
  const runAsVault = async (statements: readonly string[]) => {
    const client = await connect(adminUser, adminPassword);
    try {
      await client.query("BEGIN");
      for (const sql of statements) await client.query(sql);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK");
      throw err;
    } finally {
      await client.end();
    }
  };
  const createLogin = async (database: Database, access: "read-only" | "read-write", expiresAt: Date) => {
    const name = postgresUsername(`orders-pg-${access}`);
    const password = vaultPassword();
    created.push(name);
    const { creation } = postgresql.dynamicRole(database, access);
    await runAsVault(renderStatements(creation, { name, password, expiration: pgExpiration(expiresAt) }));
    return { name, password };
  };
  const revoke = (database: Database, access: "read-only" | "read-write", name: string) =>
    runAsVault(renderStatements(postgresql.dynamicRole(database, access).revocation, { name }));
  const rejects = async (client: Client, sql: string, pattern = /permission denied/) =>
    assert.rejects(client.query(sql), (err: Error) => pattern.test(err.message));

  before(async function () {
    engine = await requireEngine(this, "postgresql");
    const root = await asSuperuser("postgres");
    try {
      await root.query(`CREATE DATABASE "${dbName}"`);
      await root.query(`CREATE ROLE "${adminUser}" WITH LOGIN CREATEROLE PASSWORD '${adminPassword}'`);
      await root.query(`CREATE ROLE "${staticUser}" WITH LOGIN PASSWORD '${vaultPassword()}'`);
    } finally {
      await root.end();
    }
    const db = await asSuperuser();
    try {
      // An existing application table, created before the platform, then handed to the owner group.
      await db.query("CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL)");
      await db.query("INSERT INTO items (label) VALUES ('seed')");
      const { statements } = postgresql.bootstrap(base, [{ username: staticUser, access: "read-only" }]);
      for (const sql of statements) await db.query(sql);
      await db.query(`ALTER TABLE items OWNER TO "${groups.owner}"`);
    } finally {
      await db.end();
    }
  });

  after(async function () {
    if (!engine) return;
    const root = await asSuperuser("postgres");
    try {
      await root.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [dbName]);
      await root.query(`DROP DATABASE IF EXISTS "${dbName}"`);
      for (const role of [...created, staticUser, adminUser, groups.reader, groups.writer, groups.owner]) {
        await root.query(`DROP ROLE IF EXISTS "${role.replace(/"/g, '""')}"`);
      }
    } finally {
      await root.end();
    }
  });

  it("the Vault admin is not a superuser", async () => {
    const client = await asSuperuser();
    try {
      const { rows } = await client.query("SELECT rolsuper FROM pg_roles WHERE rolname = $1", [adminUser]);
      assert.deepEqual(rows, [{ rolsuper: false }]);
    } finally {
      await client.end();
    }
  });

  it("read-only: logs in, reads, cannot write or change schema; revocation drops it", async () => {
    const login = await createLogin(base, "read-only", new Date(Date.now() + HOUR_MS));
    const client = await connect(login.name, login.password);
    try {
      assert.equal((await client.query("SELECT count(*)::int AS n FROM items")).rows[0].n, 1);
      await rejects(client, "INSERT INTO items (label) VALUES ('x')");
      await rejects(client, "UPDATE items SET label = 'x'");
      await rejects(client, "CREATE TABLE evil (id int)");
    } finally {
      await client.end();
    }
    await revoke(base, "read-only", login.name);
    await assert.rejects(connect(login.name, login.password));
  });

  it("read-write without schema changes: DML only, no DROP, no CREATE", async () => {
    const login = await createLogin(base, "read-write", new Date(Date.now() + HOUR_MS));
    const client = await connect(login.name, login.password);
    try {
      await client.query("INSERT INTO items (label) VALUES ('rw')");
      await client.query("UPDATE items SET label = 'rw2' WHERE label = 'rw'");
      await client.query("DELETE FROM items WHERE label = 'rw2'");
      await rejects(client, "DROP TABLE items", /must be owner/);
      await rejects(client, "CREATE TABLE evil (id int)");
      await rejects(client, "ALTER TABLE items ADD COLUMN x int", /must be owner/);
    } finally {
      await client.end();
    }
    await revoke(base, "read-write", login.name);
  });

  it("read-write with schema changes: creates tables that survive revocation, owned by the owner group", async () => {
    const login = await createLogin(withDdl, "read-write", new Date(Date.now() + HOUR_MS));
    const client = await connect(login.name, login.password);
    try {
      // The session starts as the owner group, so this table belongs to it.
      await client.query("CREATE TABLE migrated (id int)");
      await client.query("INSERT INTO migrated VALUES (1)");
      // Stepping out of the group, the login owns what it creates: revocation must reassign it.
      await client.query("RESET ROLE");
      await client.query("CREATE TABLE personal (id int)");
      await client.query("INSERT INTO personal VALUES (2)");
    } finally {
      await client.end();
    }
    await revoke(withDdl, "read-write", login.name);
    const db = await asSuperuser();
    try {
      const { rows } = await db.query(
        "SELECT tablename, tableowner FROM pg_tables WHERE tablename IN ('migrated', 'personal') ORDER BY 1",
      );
      assert.deepEqual(rows, [
        { tablename: "migrated", tableowner: groups.owner },
        { tablename: "personal", tableowner: groups.owner },
      ]);
      assert.equal((await db.query("SELECT count(*)::int AS n FROM personal")).rows[0].n, 1);
      const gone = await db.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [login.name]);
      assert.equal(gone.rowCount, 0);
    } finally {
      await db.end();
    }
    // Tables a revoked login made stay usable by the next writer.
    const next = await createLogin(base, "read-write", new Date(Date.now() + HOUR_MS));
    const client2 = await connect(next.name, next.password);
    try {
      await client2.query("INSERT INTO migrated VALUES (3)");
    } finally {
      await client2.end();
    }
    await revoke(base, "read-write", next.name);
  });

  it("an expired credential cannot log in", async () => {
    const login = await createLogin(base, "read-only", new Date(Date.now() - 60_000));
    await assert.rejects(connect(login.name, login.password), /password authentication failed/);
    await revoke(base, "read-only", login.name);
  });

  it("renewal extends VALID UNTIL", async () => {
    const login = await createLogin(base, "read-only", new Date(Date.now() + 60_000));
    const renewedUntil = new Date(Date.now() + 2 * HOUR_MS);
    await runAsVault(
      renderStatements(postgresql.dynamicRole(base, "read-only").renewal, {
        name: login.name,
        expiration: pgExpiration(renewedUntil),
      }),
    );
    const db = await asSuperuser();
    try {
      const { rows } = await db.query("SELECT rolvaliduntil FROM pg_roles WHERE rolname = $1", [login.name]);
      assert.equal(
        Math.floor((rows[0].rolvaliduntil as Date).getTime() / 1000),
        Math.floor(renewedUntil.getTime() / 1000),
      );
    } finally {
      await db.end();
    }
    await revoke(base, "read-only", login.name);
  });

  it("static rotation: the new password logs in, the old one does not, access stays read-only", async () => {
    const first = vaultPassword();
    const second = vaultPassword();
    const rotate = (password: string) =>
      runAsVault(
        renderStatements(postgresql.staticRole(base, staticUser).rotation, { name: staticUser, password }),
      );
    await rotate(first);
    await rotate(second);
    await assert.rejects(connect(staticUser, first), /password authentication failed/);
    const client = await connect(staticUser, second);
    try {
      await client.query("SELECT * FROM items");
      await rejects(client, "INSERT INTO items (label) VALUES ('x')");
    } finally {
      await client.end();
    }
  });
});
