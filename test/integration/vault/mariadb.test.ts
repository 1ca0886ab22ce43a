/**
 * The MySQL/MariaDB role SQL on a real server: bootstrap as the server admin, every Vault
 * statement as a Vault admin holding only CREATE USER and grantable privileges on one schema.
 */
import * as assert from "node:assert/strict";
import * as mysql2 from "mysql2/promise";
import { tableGrantRole } from "../../../components/vault/sql/logins";
import { mysql } from "../../../components/vault/sql/mysql";
import type { Database } from "../../../stacks/schema";
import { type EngineSettings, requireEngine } from "../engines";
import { mysqlUsername, renderStatements, uniqueDatabaseName, vaultPassword } from "./vaultSql";

describe("MariaDB role SQL on a real server", function () {
  this.timeout(60_000);
  let engine: EngineSettings;
  const dbName = uniqueDatabaseName();
  const adminUser = `${dbName}_vault`;
  const adminPassword = vaultPassword();
  const staticUser = `${dbName}_rep`;
  const created: string[] = [];
  // The shared test server has no TLS; `tls: true` adds REQUIRE SSL, checked in the unit tests.
  const base: Database = {
    name: "ledger-mysql",
    engine: "mysql",
    host: "127.0.0.1",
    port: 3306,
    database: dbName,
    adminUsername: adminUser,
    adminPasswordConfigKey: "ledgerDbAdminPassword",
    tls: false,
    allowSchemaChanges: false,
  };
  const withDdl: Database = { ...base, allowSchemaChanges: true };

  const connect = (user: string, password: string) =>
    mysql2.createConnection({
      host: engine.mysqlHost,
      port: engine.mysqlPort,
      user,
      password,
      database: dbName,
    });
  const asServerAdmin = () =>
    mysql2.createConnection({
      host: engine.mysqlHost,
      port: engine.mysqlPort,
      user: engine.adminUser,
      password: engine.adminPassword,
    });
  const runAsVault = async (statements: readonly string[]) => {
    const conn = await connect(adminUser, adminPassword);
    try {
      for (const sql of statements) await conn.query(sql);
    } finally {
      await conn.end();
    }
  };
  const createLogin = async (database: Database, access: "read-only" | "read-write") => {
    const name = mysqlUsername(`${database.name}-${access}`);
    const password = vaultPassword();
    created.push(name);
    await runAsVault(renderStatements(mysql.dynamicRole(database, access).creation, { name, password }));
    return { name, password };
  };
  const revoke = (database: Database, access: "read-only" | "read-write", name: string) =>
    runAsVault(renderStatements(mysql.dynamicRole(database, access).revocation, { name }));
  const denied = (conn: mysql2.Connection, sql: string) =>
    assert.rejects(conn.query(sql), (err: Error) => /denied/.test(err.message));

  before(async function () {
    engine = await requireEngine(this, "mariadb");
    const admin = await asServerAdmin();
    try {
      await admin.query(`CREATE DATABASE \`${dbName}\``);
      await admin.query(`CREATE USER '${adminUser}'@'%' IDENTIFIED BY '${adminPassword}'`);
      await admin.query(`CREATE USER '${staticUser}'@'%' IDENTIFIED BY '${vaultPassword()}'`);
      await admin.query(`CREATE TABLE \`${dbName}\`.items (id int AUTO_INCREMENT PRIMARY KEY, label text)`);
      await admin.query(`INSERT INTO \`${dbName}\`.items (label) VALUES ('seed')`);
      await admin.query(`CREATE TABLE \`${dbName}\`.payments (id int PRIMARY KEY, amount int)`);
      // Bootstrap for the DDL-allowing variant: the admin may grant every privilege either variant uses.
      const { statements } = mysql.bootstrap(withDdl, [{ username: staticUser, access: "read-only" }]);
      for (const sql of statements) await admin.query(sql);
    } finally {
      await admin.end();
    }
  });

  after(async function () {
    if (!engine) return;
    const admin = await asServerAdmin();
    try {
      await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      for (const user of [...created, staticUser, adminUser])
        await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    } finally {
      await admin.end();
    }
  });

  it("read-only: logs in, reads, cannot write or change schema; revocation drops it", async () => {
    const login = await createLogin(base, "read-only");
    const conn = await connect(login.name, login.password);
    try {
      const [rows] = await conn.query("SELECT count(*) AS n FROM items");
      assert.equal(Number((rows as Array<{ n: number }>)[0].n), 1);
      await denied(conn, "INSERT INTO items (label) VALUES ('x')");
      await denied(conn, "CREATE TABLE evil (id int)");
    } finally {
      await conn.end();
    }
    await revoke(base, "read-only", login.name);
    await assert.rejects(connect(login.name, login.password), /Access denied/);
  });

  it("read-write without schema changes: DML only, no DROP, no CREATE", async () => {
    const login = await createLogin(base, "read-write");
    const conn = await connect(login.name, login.password);
    try {
      await conn.query("INSERT INTO items (label) VALUES ('rw')");
      await conn.query("DELETE FROM items WHERE label = 'rw'");
      await denied(conn, "DROP TABLE items");
      await denied(conn, "CREATE TABLE evil (id int)");
      await denied(conn, "ALTER TABLE items ADD COLUMN x int");
    } finally {
      await conn.end();
    }
    await revoke(base, "read-write", login.name);
  });

  it("read-write with schema changes: its tables survive revocation", async () => {
    const login = await createLogin(withDdl, "read-write");
    const conn = await connect(login.name, login.password);
    try {
      await conn.query("CREATE TABLE migrated (id int)");
      await conn.query("INSERT INTO migrated VALUES (1)");
    } finally {
      await conn.end();
    }
    await revoke(withDdl, "read-write", login.name);
    const admin = await asServerAdmin();
    try {
      const [rows] = await admin.query(`SELECT count(*) AS n FROM \`${dbName}\`.migrated`);
      assert.equal(Number((rows as Array<{ n: number }>)[0].n), 1);
      const [users] = await admin.query("SELECT user FROM mysql.user WHERE user = ?", [login.name]);
      assert.equal((users as unknown[]).length, 0);
    } finally {
      await admin.end();
    }
  });

  it("table grants (the library's VaultDatabaseCredentials): exactly the listed privileges on the listed tables; revocation drops the user", async () => {
    const statements = tableGrantRole("mysql", [
      { privileges: ["SELECT", "INSERT"], tables: ["items"] },
      { privileges: ["SELECT"], tables: [`${dbName}.payments`] },
    ]);
    const name = mysqlUsername("orders-tables");
    const password = vaultPassword();
    created.push(name);
    await runAsVault(renderStatements(statements.creation, { name, password }));
    const conn = await connect(name, password);
    try {
      await conn.query("INSERT INTO items (label) VALUES ('tables')");
      await conn.query("SELECT count(*) FROM items");
      await conn.query("SELECT count(*) FROM payments");
      await denied(conn, "UPDATE items SET label = 'x'");
      await denied(conn, "DELETE FROM items");
      await denied(conn, "INSERT INTO payments VALUES (1, 1)");
      await denied(conn, "CREATE TABLE evil (id int)");
    } finally {
      await conn.end();
    }
    await runAsVault(renderStatements(statements.revocation, { name }));
    await assert.rejects(connect(name, password), /Access denied/);
  });

  it("revocation of a login that is already gone succeeds", async () => {
    await revoke(base, "read-only", mysqlUsername("ledger-mysql-read-only"));
  });

  it("static rotation: the new password logs in, the old one does not, access stays read-only", async () => {
    const [first, second] = [vaultPassword(), vaultPassword()];
    const rotate = (password: string) =>
      runAsVault(
        renderStatements(mysql.staticRole(base, staticUser).rotation, { name: staticUser, password }),
      );
    await rotate(first);
    await rotate(second);
    await assert.rejects(connect(staticUser, first), /Access denied/);
    const conn = await connect(staticUser, second);
    try {
      await conn.query("SELECT * FROM items");
      await denied(conn, "INSERT INTO items (label) VALUES ('x')");
    } finally {
      await conn.end();
    }
  });
});
