/**
 * A catalog (a shipped one, or the `local` stack's), moved onto this machine: its databases become fresh databases on
 * the local PostgreSQL and MariaDB (no TLS there), each with its own non-superuser Vault admin
 * and static logins, prepared with the bootstrap SQL the runbook has an administrator run.
 * Nothing else in the catalog changes.
 */
import * as mysql2 from "mysql2/promise";
import { Client } from "pg";
import { databaseRoles, vaultAdminOf } from "../../../../components/vault/plan";
import { dialectOf } from "../../../../components/vault/sql";
import type { Catalog, CatalogInput, Database } from "../../../../stacks/schema";
import { validateCatalog } from "../../../../stacks/validate";
import type { EngineSettings } from "../../engines";
import { uniqueDatabaseName, vaultPassword } from "../vaultSql";

export interface LocalCatalog {
  /** The localised catalog as stack config holds it (what a user would write). */
  readonly input: CatalogInput;
  readonly catalog: Catalog;
  /** Config key → the password of that database's Vault admin (never printed). */
  readonly adminPasswords: ReadonlyMap<string, string>;
  /** Creates the databases, admins and static logins, and runs the bootstrap SQL. */
  prepare(): Promise<void>;
  /** Drops everything `prepare` and Vault created. */
  cleanUp(): Promise<void>;
}

export function localCatalog(catalogInput: CatalogInput, engine: EngineSettings): LocalCatalog {
  const input = structuredClone(catalogInput);
  const adminPasswords = new Map<string, string>();
  for (const database of input.databases ?? []) {
    const name = uniqueDatabaseName();
    const pg = database.engine === "postgresql";
    Object.assign(database, {
      host: pg ? engine.pgHost : engine.mysqlHost,
      port: pg ? engine.pgPort : engine.mysqlPort,
      database: name,
      adminUsername: database.vaultAdmin ? `${name}_rotation` : `${name}_vault`,
      tls: false,
    });
    if (database.vaultAdmin) database.vaultAdmin.username = `${name}_vault`;
    adminPasswords.set(vaultAdminOf(database).passwordConfigKey, vaultPassword());
  }
  // Logins are server-wide: give static ones names no other test uses.
  for (const workload of input.workloads ?? []) {
    for (const secret of workload.secrets as Array<{ username?: string; database?: string }>) {
      if (!secret.username) continue;
      const database = input.databases!.find((d) => d.name === secret.database)!;
      const local = `${database.database}_${secret.username}`.slice(0, 32);
      secret.username = local;
    }
  }
  const catalog = validateCatalog(input);
  const databases = catalog.databases;
  const staticUsers = (database: Database) =>
    databaseRoles(catalog)
      .filter((r) => r.database.name === database.name && r.credential === "static")
      .map((r) => ({ username: r.username!, access: r.access }));
  const pgAdmin = (database = "postgres") => pgAdminOf(engine, database);
  const mysqlAdmin = () => mysqlAdminOf(engine);

  async function preparePostgres(database: Database) {
    const root = pgAdmin();
    await root.connect();
    try {
      await root.query(`CREATE DATABASE "${database.database}"`);
      // As on RDS: the Vault admin may create roles but is not a superuser.
      const admin = vaultAdminOf(database);
      await root.query(
        `CREATE ROLE "${admin.username}" WITH LOGIN CREATEROLE PASSWORD '${adminPasswords.get(admin.passwordConfigKey)}'`,
      );
      for (const { username } of staticUsers(database))
        await root.query(`CREATE ROLE "${username}" WITH LOGIN PASSWORD '${vaultPassword()}'`);
    } finally {
      await root.end();
    }
    const db = pgAdmin(database.database);
    await db.connect();
    try {
      await db.query("CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL)");
      await db.query("INSERT INTO items (label) VALUES ('seed')");
      for (const sql of dialectOf(database).bootstrap(database, staticUsers(database)).statements)
        await db.query(sql);
      await db.query(`ALTER TABLE items OWNER TO "${database.database}_owner"`);
    } finally {
      await db.end();
    }
  }

  async function prepareMysql(database: Database) {
    const admin = await mysqlAdmin();
    try {
      await admin.query(`CREATE DATABASE \`${database.database}\``);
      const vaultAdmin = vaultAdminOf(database);
      await admin.query(
        `CREATE USER '${vaultAdmin.username}'@'%' IDENTIFIED BY '${adminPasswords.get(vaultAdmin.passwordConfigKey)}'`,
      );
      for (const { username } of staticUsers(database))
        await admin.query(`CREATE USER '${username}'@'%' IDENTIFIED BY '${vaultPassword()}'`);
      await admin.query(
        `CREATE TABLE \`${database.database}\`.items (id int AUTO_INCREMENT PRIMARY KEY, label text)`,
      );
      await admin.query(`INSERT INTO \`${database.database}\`.items (label) VALUES ('seed')`);
      for (const sql of dialectOf(database).bootstrap(database, staticUsers(database)).statements)
        await admin.query(sql);
    } finally {
      await admin.end();
    }
  }

  return {
    input,
    catalog,
    adminPasswords,
    async prepare() {
      for (const d of databases) await (d.engine === "postgresql" ? preparePostgres(d) : prepareMysql(d));
    },
    async cleanUp() {
      for (const d of databases) await dropLocalDatabase(d, engine).catch(() => {});
    },
  };
}

const pgAdminOf = (engine: EngineSettings, database = "postgres") =>
  new Client({
    host: engine.pgHost,
    port: engine.pgPort,
    user: engine.adminUser,
    password: engine.adminPassword,
    database,
  });
const mysqlAdminOf = (engine: EngineSettings) =>
  mysql2.createConnection({
    host: engine.mysqlHost,
    port: engine.mysqlPort,
    user: engine.adminUser,
    password: engine.adminPassword,
  });

/**
 * Drops a database `localCatalog` made, with its logins and whatever Vault left of them (a
 * person's `npm run local:down` finds its name in the stack file).
 */
export function dropLocalDatabase(database: Database, engine: EngineSettings): Promise<void> {
  return database.engine === "postgresql" ? cleanPostgres(database, engine) : cleanMysql(database, engine);
}

async function cleanPostgres(database: Database, engine: EngineSettings) {
  const root = pgAdminOf(engine);
  await root.connect();
  try {
    await root.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [
      database.database,
    ]);
    await root.query(`DROP DATABASE IF EXISTS "${database.database}"`);
    // Whatever Vault left (it should have revoked its logins) goes too: members of this
    // database's groups, then the groups, admin and static logins named after it.
    const { rows } = await root.query<{ rolname: string }>(
      `SELECT DISTINCT m.rolname FROM pg_auth_members am
         JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
        WHERE g.rolname LIKE $1 AND m.rolname NOT LIKE $1
       UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE $1`,
      [`${database.database}%`],
    );
    for (const { rolname } of rows) await root.query(`DROP ROLE IF EXISTS "${rolname.replace(/"/g, '""')}"`);
  } finally {
    await root.end();
  }
}

async function cleanMysql(database: Database, engine: EngineSettings) {
  const admin = await mysqlAdminOf(engine);
  try {
    const [rows] = await admin.query(
      "SELECT DISTINCT User, Host FROM mysql.db WHERE Db = ? UNION SELECT User, Host FROM mysql.user WHERE User LIKE ?",
      [database.database, `${database.database}%`],
    );
    for (const { User, Host } of rows as Array<{ User: string; Host: string }>)
      await admin.query(`DROP USER IF EXISTS '${User}'@'${Host}'`);
    await admin.query(`DROP DATABASE IF EXISTS \`${database.database}\``);
  } finally {
    await admin.end();
  }
}
