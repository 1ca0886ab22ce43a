/**
 * PostgreSQL statements for Vault's database engine.
 *
 * Every object belongs to a NOLOGIN owner group, never to a generated login, so revoking a
 * login can always drop it without losing data (Vault's default revocation fails on owned
 * objects: hashicorp/vault#1857). Logins get privileges only through NOLOGIN groups:
 * `<db>_reader` (SELECT), `<db>_writer` (DML) and, when the catalog allows schema changes,
 * `<db>_owner` (DDL, because it owns the tables).
 */
import type { Database } from "../../../stacks/schema";
import { vaultAdminOf } from "../plan";
import type {
  AccessLevel,
  DatabaseBootstrap,
  DynamicRoleStatements,
  SqlDialect,
  StaticRoleStatements,
} from "./statements";
import { pgIdent, postgresLogin } from "./logins";

export { pgIdent };

/** The NOLOGIN group roles of a database, named after the SQL database. */
export function postgresGroups(database: Database): { owner: string; reader: string; writer: string } {
  return {
    owner: `${database.database}_owner`,
    reader: `${database.database}_reader`,
    writer: `${database.database}_writer`,
  };
}

function memberships(database: Database, access: AccessLevel): string[] {
  const groups = postgresGroups(database);
  if (access === "read-only") return [groups.reader];
  return database.allowSchemaChanges ? [groups.writer, groups.owner] : [groups.writer];
}

function dynamicRole(database: Database, access: AccessLevel): DynamicRoleStatements {
  const groups = postgresGroups(database);
  const inRoles = memberships(database, access).map(pgIdent).join(", ");
  const creation = [`${postgresLogin.create} IN ROLE ${inRoles}`];
  // Sessions start as the owner group, so tables created through migrations belong to it.
  if (access === "read-write" && database.allowSchemaChanges) {
    creation.push(`ALTER ROLE "{{name}}" SET role = ${pgIdent(groups.owner)}`);
  }
  return {
    creation,
    // What a login created (through migrations) stays, owned by the owner group.
    revocation: postgresLogin.drop(groups.owner),
    renewal: [...postgresLogin.renew],
  };
}

function staticRole(): StaticRoleStatements {
  return { rotation: [`ALTER ROLE "{{name}}" WITH PASSWORD '{{password}}'`] };
}

function bootstrap(
  database: Database,
  staticUsers: ReadonlyArray<{ username: string; access: AccessLevel }>,
): DatabaseBootstrap {
  const { owner, reader, writer } = postgresGroups(database);
  const [o, r, w, db, admin] = [
    owner,
    reader,
    writer,
    database.database,
    vaultAdminOf(database).username,
  ].map(pgIdent);
  const defaults = `ALTER DEFAULT PRIVILEGES FOR ROLE ${o} IN SCHEMA public GRANT`;
  return {
    statements: [
      `CREATE ROLE ${o} NOLOGIN`,
      `CREATE ROLE ${r} NOLOGIN`,
      `CREATE ROLE ${w} NOLOGIN`,
      `REVOKE ALL ON DATABASE ${db} FROM PUBLIC`,
      `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${r}, ${w}, ${o}`,
      `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
      `GRANT USAGE ON SCHEMA public TO ${r}, ${w}`,
      `GRANT USAGE, CREATE ON SCHEMA public TO ${o}`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${r}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${w}`,
      `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${w}`,
      `${defaults} SELECT ON TABLES TO ${r}`,
      `${defaults} SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${w}`,
      `${defaults} USAGE, SELECT, UPDATE ON SEQUENCES TO ${w}`,
      // Vault's admin login hands out exactly these groups and reassigns to the owner group.
      `GRANT ${o}, ${r}, ${w} TO ${admin} WITH ADMIN OPTION`,
      ...staticUsers.flatMap(({ username, access }) => [
        `GRANT ${memberships(database, access).map(pgIdent).join(", ")} TO ${pgIdent(username)}`,
      ]),
    ],
  };
}

/** Vault's own default, written out: a role may always change its own password. */
function rootRotation(): string[] {
  return [`ALTER ROLE "{{username}}" WITH PASSWORD '{{password}}'`];
}

export const postgresql: SqlDialect = {
  dynamicRole,
  staticRole,
  bootstrap,
  rootRotation,
  // PostgreSQL identifiers stop at 63 bytes.
  usernameTemplate:
    '{{ printf "v-%s-%s-%s" (.RoleName | truncate 24) (random 20) (unix_time) | truncate 63 }}',
};
