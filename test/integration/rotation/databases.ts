/**
 * Per-test databases on the shared PostgreSQL and MariaDB servers: a fresh database and
 * application user named `rot_<random>`, so helpers running at the same time never collide.
 */
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { createConnection } from "mysql2/promise";
import type { EngineSettings } from "../engines";
import type { DatabaseSecret } from "../../../components/rotation/core";

export type Kind = "postgresql" | "mysql";

/** Each database kind the rotation core supports, and the engine it is proven on here. */
export const KINDS_ON_ENGINES = [
  ["postgresql", "postgresql"],
  ["mysql", "mariadb"],
] as const satisfies ReadonlyArray<readonly [Kind, "postgresql" | "mariadb"]>;

export interface TestDatabase {
  readonly kind: Kind;
  readonly label: string;
  /** The first application credential, before any rotation. */
  readonly initial: DatabaseSecret;
  readonly admin: DatabaseSecret;
  /** Logs in as `secret`, creates table `table` and inserts a row: owned by whoever created it. */
  createTable(secret: DatabaseSecret, table: string): Promise<void>;
  /** Logs in as `secret` and inserts into every table: fails if any is not accessible. */
  touchTables(secret: DatabaseSecret, tables: readonly string[]): Promise<void>;
  /** PostgreSQL only: the distinct owners of the tables in the test database. */
  tableOwners(): Promise<string[]>;
  /** MySQL only: SHOW GRANTS of a user, as the admin sees it. */
  grantsOf(user: string): Promise<string[]>;
  drop(): Promise<void>;
}

export const newPassword = () => randomBytes(24).toString("base64url");

function secretFor(
  kind: Kind,
  settings: EngineSettings,
  dbname: string,
  username: string,
  password: string,
): DatabaseSecret {
  const pg = kind === "postgresql";
  return {
    engine: pg ? "postgres" : "mariadb",
    kind,
    host: pg ? settings.pgHost : settings.mysqlHost,
    port: pg ? settings.pgPort : settings.mysqlPort,
    dbname,
    username,
    password,
    extra: {},
  };
}

/** Where and as whom a session logs in. */
export type SessionTarget = Pick<DatabaseSecret, "host" | "port" | "username" | "password" | "dbname">;

/** A PostgreSQL session for `work`, closed afterwards (also when the login fails). */
export async function pgSession<T>(secret: SessionTarget, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({
    host: secret.host,
    port: secret.port,
    user: secret.username,
    password: secret.password,
    database: secret.dbname,
  });
  await c.connect().catch(async (error: unknown) => {
    await c.end().catch(() => undefined);
    throw error;
  });
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** A MySQL/MariaDB session for `work`, closed afterwards. */
export async function mysqlSession<T>(
  secret: SessionTarget,
  work: (c: import("mysql2/promise").Connection) => Promise<T>,
): Promise<T> {
  const c = await createConnection({
    host: secret.host,
    port: secret.port,
    user: secret.username,
    password: secret.password,
    database: secret.dbname,
  });
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

export async function createTestDatabase(kind: Kind, settings: EngineSettings): Promise<TestDatabase> {
  const name = `rot_${randomBytes(4).toString("hex")}`;
  const appUser = `${name}_app`;
  const initial = secretFor(kind, settings, name, appUser, newPassword());
  const admin = secretFor(
    kind,
    settings,
    kind === "postgresql" ? "postgres" : "mysql",
    settings.adminUser,
    settings.adminPassword,
  );
  return kind === "postgresql"
    ? postgresDatabase(name, initial, admin)
    : mariadbDatabase(name, initial, admin);
}

async function postgresDatabase(
  name: string,
  initial: DatabaseSecret,
  admin: DatabaseSecret,
): Promise<TestDatabase> {
  const user = initial.username;
  await pgSession(admin, async (c) => {
    await c.query(`CREATE ROLE ${user} LOGIN PASSWORD ${c.escapeLiteral(initial.password)}`);
    await c.query(`CREATE DATABASE ${name} OWNER ${user}`);
  });
  // A table the original user owns before any rotation: rotation must hand it to the group.
  await pgSession(initial, (c) =>
    c.query("CREATE TABLE legacy (id serial PRIMARY KEY, at timestamptz DEFAULT now())"),
  );
  return {
    kind: "postgresql",
    label: "PostgreSQL",
    initial,
    admin,
    createTable: (secret, table) =>
      pgSession(secret, async (c) => {
        await c.query(`CREATE TABLE ${table} (id serial PRIMARY KEY, at timestamptz DEFAULT now())`);
        await c.query(`INSERT INTO ${table} DEFAULT VALUES`);
      }),
    touchTables: (secret, tables) =>
      pgSession(secret, async (c) => {
        for (const t of tables) await c.query(`INSERT INTO ${t} DEFAULT VALUES`);
        // Altering needs ownership, which only the shared group gives both users.
        for (const t of tables) await c.query(`ALTER TABLE ${t} ALTER COLUMN at SET DEFAULT now()`);
      }),
    tableOwners: () =>
      pgSession({ ...admin, dbname: name }, async (c) => {
        const { rows } = await c.query<{ owner: string }>(
          "SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'",
        );
        return rows.map((r) => r.owner);
      }),
    grantsOf: () => Promise.reject(new Error("grantsOf is MySQL only")),
    drop: () =>
      pgSession(admin, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        for (const role of [`${user}_clone`, user, `${user}_owner`])
          await c.query(`DROP ROLE IF EXISTS ${role}`);
      }),
  };
}

async function mariadbDatabase(
  name: string,
  initial: DatabaseSecret,
  admin: DatabaseSecret,
): Promise<TestDatabase> {
  const user = initial.username;
  await mysqlSession(admin, async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    await c.query(`CREATE USER '${user}'@'%' IDENTIFIED BY ?`, [initial.password]);
    // Escaped `_` and a `%` wildcard in a database pattern: what aws-samples #85 mangled.
    await c.query(`GRANT ALL PRIVILEGES ON \`${name.replace(/_/g, "\\_")}\`.* TO '${user}'@'%'`);
    await c.query(`GRANT SELECT ON \`${name.replace(/_/g, "\\_")}\\_report%\`.* TO '${user}'@'%'`);
  });
  await mysqlSession(initial, (c) =>
    c.query("CREATE TABLE legacy (id int AUTO_INCREMENT PRIMARY KEY, at timestamp DEFAULT now())"),
  );
  return {
    kind: "mysql",
    label: "MariaDB",
    initial,
    admin,
    createTable: (secret, table) =>
      mysqlSession(secret, async (c) => {
        await c.query(
          `CREATE TABLE ${table} (id int AUTO_INCREMENT PRIMARY KEY, at timestamp DEFAULT now())`,
        );
        await c.query(`INSERT INTO ${table} () VALUES ()`);
      }),
    touchTables: (secret, tables) =>
      mysqlSession(secret, async (c) => {
        for (const t of tables) await c.query(`INSERT INTO ${t} () VALUES ()`);
        for (const t of tables) await c.query(`ALTER TABLE ${t} ALTER COLUMN at SET DEFAULT now()`);
      }),
    tableOwners: () => Promise.reject(new Error("tableOwners is PostgreSQL only")),
    grantsOf: (u) =>
      mysqlSession(admin, async (c) => {
        const [rows] = await c.query<import("mysql2").RowDataPacket[]>(`SHOW GRANTS FOR '${u}'@'%'`);
        return rows.map((r) => String(Object.values(r)[0]));
      }),
    drop: () =>
      mysqlSession(admin, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
        await c.query(`DROP USER IF EXISTS '${user}'@'%', '${user}_clone'@'%'`);
      }),
  };
}
