/**
 * The login half of a dynamic role's SQL, shared by the catalog's roles (postgresql.ts,
 * mysql.ts: privileges through group roles or on the whole database) and by the library's
 * `VaultDatabaseCredentials` (privileges on named tables): how a fresh login is created, how it
 * is dropped on revocation, how its expiry is renewed, and how identifiers are quoted. Imports
 * nothing of the catalog, so the library can load it.
 *
 * Vault substitutes `{{name}}`, `{{password}}` and `{{expiration}}` and splits each entry on
 * `;`: identifiers written here come from `tableIdentifier` (letters, digits and `_` only), so no
 * caller's value can end a statement or carry a template.
 */
/** Statements of a dynamic role (a fresh login per lease). */
export interface DynamicRoleStatements {
  readonly creation: readonly string[];
  readonly revocation: readonly string[];
  /** Empty when the engine has no login expiry to extend (MySQL). */
  readonly renewal: readonly string[];
}

/** Double-quoted PostgreSQL identifier. */
export function pgIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Backquoted MySQL identifier. */
export function mysqlIdent(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}

export const postgresLogin = {
  /** A login that expires with its lease; `IN ROLE` memberships appended by the caller. */
  create: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'`,
  /**
   * Revocation: whatever the login owns goes to `reassignTo` (or is dropped when there is none),
   * its grants are dropped with DROP OWNED, then the login. REASSIGN/DROP OWNED need the
   * privileges of the login; Vault's admin created it but, without superuser, does not hold
   * them until it grants itself the role.
   */
  drop(reassignTo?: string): string[] {
    return [
      `GRANT "{{name}}" TO CURRENT_USER`,
      ...(reassignTo ? [`REASSIGN OWNED BY "{{name}}" TO ${pgIdent(reassignTo)}`] : []),
      `DROP OWNED BY "{{name}}"`,
      `DROP ROLE IF EXISTS "{{name}}"`,
    ];
  },
  renew: [`ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}'`],
} as const;

const MYSQL_ACCOUNT = `'{{name}}'@'%'`;

export const mysqlLogin = {
  /** Any host: Vault and the workload connect from wherever they run. */
  account: MYSQL_ACCOUNT,
  create(requireTls: boolean): string {
    return `CREATE USER ${MYSQL_ACCOUNT} IDENTIFIED BY '{{password}}'${requireTls ? " REQUIRE SSL" : ""}`;
  },
  drop: [`DROP USER IF EXISTS ${MYSQL_ACCOUNT}`],
  // MySQL logins have no expiry to extend; the lease alone bounds their life.
  renew: [] as string[],
} as const;

/** The privileges a table grant may give: data only, never DDL or GRANT OPTION. */
export const TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"] as const;
export type TablePrivilege = (typeof TABLE_PRIVILEGES)[number];

export interface TableGrant {
  readonly privileges: readonly TablePrivilege[];
  /** `table` or `schema.table`, checked by `tableIdentifier`. */
  readonly tables: readonly string[];
}

const IDENTIFIER_PART = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The parts of an exact table name, `table` or `schema.table`, each a plain SQL identifier
 * (letters, digits, `_`; at most 63 characters, PostgreSQL's limit); undefined for anything
 * else: wildcards, quotes, spaces, `;`, templates.
 */
export function tableIdentifier(name: string): string[] | undefined {
  const parts = name.split(".");
  return parts.length <= 2 && parts.every((p) => IDENTIFIER_PART.test(p)) ? parts : undefined;
}

function quotedTable(name: string, quote: (part: string) => string): string {
  const parts = tableIdentifier(name);
  if (!parts) throw new Error(`${JSON.stringify(name)} is not an exact table name`);
  return parts.map(quote).join(".");
}

/**
 * A dynamic role whose login holds exactly `grants` (each privilege on each named table) and
 * nothing else, dropped with its grants on revocation. PostgreSQL grants per table list; MySQL
 * one table per GRANT (unqualified names resolve in the connection's database).
 */
export function tableGrantRole(
  engine: "postgresql" | "mysql",
  grants: readonly TableGrant[],
): DynamicRoleStatements {
  const privileges = (g: TableGrant) => TABLE_PRIVILEGES.filter((p) => g.privileges.includes(p)).join(", ");
  if (engine === "postgresql") {
    return {
      creation: [
        postgresLogin.create,
        ...grants.map(
          (g) =>
            `GRANT ${privileges(g)} ON TABLE ${g.tables.map((t) => quotedTable(t, pgIdent)).join(", ")} TO "{{name}}"`,
        ),
      ],
      revocation: postgresLogin.drop(),
      renewal: [...postgresLogin.renew],
    };
  }
  return {
    creation: [
      mysqlLogin.create(false),
      ...grants.flatMap((g) =>
        g.tables.map(
          (t) => `GRANT ${privileges(g)} ON TABLE ${quotedTable(t, mysqlIdent)} TO ${mysqlLogin.account}`,
        ),
      ),
    ],
    revocation: [...mysqlLogin.drop],
    renewal: [...mysqlLogin.renew],
  };
}
