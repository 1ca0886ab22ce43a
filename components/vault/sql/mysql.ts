/**
 * MySQL/MariaDB statements for Vault's database engine. MySQL objects have no owning user,
 * so dropping a login never drops data; privileges are granted on the catalog database only,
 * and DDL only when the catalog allows schema changes.
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
import { mysqlIdent, mysqlLogin } from "./logins";

const READ = ["SELECT"];
const WRITE = ["SELECT", "INSERT", "UPDATE", "DELETE"];
/** No CREATE VIEW/ROUTINE: those objects carry the generated login as DEFINER and break when it is dropped. */
const SCHEMA = ["CREATE", "ALTER", "DROP", "INDEX", "REFERENCES"];

export function mysqlPrivileges(database: Database, access: AccessLevel): string[] {
  if (access === "read-only") return READ;
  return database.allowSchemaChanges ? [...WRITE, ...SCHEMA] : WRITE;
}

function schemaOf(database: Database): string {
  return `${mysqlIdent(database.database)}.*`;
}

function dynamicRole(database: Database, access: AccessLevel): DynamicRoleStatements {
  return {
    creation: [
      mysqlLogin.create(database.tls),
      `GRANT ${mysqlPrivileges(database, access).join(", ")} ON ${schemaOf(database)} TO ${mysqlLogin.account}`,
    ],
    revocation: [...mysqlLogin.drop],
    renewal: [...mysqlLogin.renew],
  };
}

function staticRole(): StaticRoleStatements {
  return { rotation: [`ALTER USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'`] };
}

/**
 * Vault's admin is `'<user>'@'%'`: it connects from wherever Vault runs. MySQL names an account
 * by user and host, so the rotation must name the same host as the bootstrap's grants, or it
 * fails on (or creates) another account.
 */
function adminAccount(username: string): string {
  return `'${username}'@'%'`;
}

function rootRotation(): string[] {
  return [`ALTER USER ${adminAccount("{{username}}")} IDENTIFIED BY '{{password}}'`];
}

function bootstrap(
  database: Database,
  staticUsers: ReadonlyArray<{ username: string; access: AccessLevel }>,
): DatabaseBootstrap {
  const admin = adminAccount(vaultAdminOf(database).username);
  const grantable = [
    ...new Set([...mysqlPrivileges(database, "read-only"), ...mysqlPrivileges(database, "read-write")]),
  ];
  return {
    statements: [
      // CREATE USER covers CREATE/ALTER/DROP USER; the admin may pass on only what the roles need.
      `GRANT CREATE USER ON *.* TO ${admin}`,
      `GRANT ${grantable.join(", ")} ON ${schemaOf(database)} TO ${admin} WITH GRANT OPTION`,
      ...staticUsers.map(
        ({ username, access }) =>
          `GRANT ${mysqlPrivileges(database, access).join(", ")} ON ${schemaOf(database)} TO '${username}'@'%'`,
      ),
    ],
  };
}

export const mysql: SqlDialect = {
  dynamicRole,
  staticRole,
  bootstrap,
  rootRotation,
  // MySQL 5.7+/8 user names stop at 32 characters (MariaDB allows 80).
  usernameTemplate: '{{ printf "v-%s-%s" (.RoleName | truncate 14) (random 15) | truncate 32 }}',
};
