/**
 * The SQL Vault's database engine runs for a role. Vault substitutes `{{name}}`,
 * `{{password}}` and `{{expiration}}` and splits each entry on `;`; the generators write one
 * statement per entry so that splitting never cuts inside a statement.
 */
import type { Database } from "../../../stacks/schema";
import type { DynamicRoleStatements } from "./logins";

/** Statements of a dynamic role (a fresh login per lease): defined with the login SQL. */
export type { DynamicRoleStatements };

export type AccessLevel = "read-only" | "read-write";

/** Statements of a static role (Vault rotates the password of an existing login). */
export interface StaticRoleStatements {
  readonly rotation: readonly string[];
}

/**
 * One-time preparation an administrator runs on the database before Vault manages it:
 * group roles, their grants, and what the Vault admin login may hand out.
 */
export interface DatabaseBootstrap {
  readonly statements: readonly string[];
}

export interface SqlDialect {
  dynamicRole(database: Database, access: AccessLevel): DynamicRoleStatements;
  staticRole(database: Database, username: string): StaticRoleStatements;
  bootstrap(
    database: Database,
    staticUsers: ReadonlyArray<{ username: string; access: AccessLevel }>,
  ): DatabaseBootstrap;
  /**
   * What Vault runs to rotate its own admin's password (rotate-root), for the account the
   * bootstrap grants to.
   */
  rootRotation(database: Database): readonly string[];
  /** Vault `username_template` keeping generated logins within the engine's length limit. */
  readonly usernameTemplate: string;
}
