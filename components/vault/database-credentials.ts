/**
 * One workload's dynamic database credentials, for a team that runs its own Pulumi program
 * against a Vault the platform operates: a role on the platform's database secrets engine whose
 * logins hold exactly the named privileges on exactly the named tables (and are dropped on
 * revocation), and a Kubernetes auth login for exactly one service account that may read that
 * role's credentials and nothing else. The catalog-driven program derives roles per access level
 * (config/secretEngines.ts); both write their SQL with sql/logins.ts.
 *
 * Public: exported by the npm package `secrets-platform` and, under the same type token, by its
 * Pulumi component package (which only serves the module `index`, hence `secrets-platform:index:`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { TABLE_PRIVILEGES, type TablePrivilege, tableGrantRole, tableIdentifier } from "./sql/logins";
import {
  type Check,
  checker,
  matches,
  mountPath,
  seconds,
  vaultName,
  WORKLOAD_LOGIN_DEFAULTS,
  type WorkloadLoginArgs,
  workloadLogin,
  loginSettings,
} from "./workload-login";

/**
 * The engines a connection may have. (Plain strings in the arguments: the component package's
 * schema, inferred from the declarations, takes no literal unions.)
 */
export const DATABASE_ENGINES = ["postgresql", "mysql"] as const;
/** The privileges a grant may list. */
export { TABLE_PRIVILEGES };

/** Privileges on tables, as the role's logins get them. */
export interface DatabaseGrant {
  /** At least one of `SELECT`, `INSERT`, `UPDATE`, `DELETE` (upper case). */
  readonly privileges: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Exact table names, `table` or `schema.table`: letters, digits and `_` (no wildcards, no
   * quotes). Quoted in the SQL, so PostgreSQL matches them case-sensitively. At least one.
   */
  readonly tables: pulumi.Input<pulumi.Input<string>[]>;
}

/** Defaults of `VaultDatabaseCredentialsArgs`, as the documentation states them. */
export const DATABASE_CREDENTIALS_DEFAULTS = {
  ...WORKLOAD_LOGIN_DEFAULTS,
  defaultTtlSeconds: 60 * 60,
  maxTtlSeconds: 4 * 60 * 60,
} as const;

/**
 * Bounds of the lease TTLs: the strictest environment's limits of the platform's policy pack
 * (`vault-database-limit-role-ttl` in prod, and for any stack it does not recognise), so the
 * component passes the pack wherever it runs.
 */
export const DATABASE_CREDENTIALS_TTL_LIMITS = {
  defaultTtlSeconds: 60 * 60,
  maxTtlSeconds: 4 * 60 * 60,
} as const;

export interface VaultDatabaseCredentialsArgs extends WorkloadLoginArgs {
  /** Path of the platform's database secrets engine, e.g. `database-prod`. */
  readonly dbMount: pulumi.Input<string>;
  /**
   * Name of the platform's connection in that mount; its `allowed_roles` must admit
   * `databaseRoleName`.
   */
  readonly connection: pulumi.Input<string>;
  /** The connection's database engine: `postgresql` or `mysql` (MySQL and MariaDB). */
  readonly engine: pulumi.Input<string>;
  /** What each login may do: privileges on exact tables. At least one grant. */
  readonly grants: pulumi.Input<pulumi.Input<DatabaseGrant>[]>;
  /** Name of the database role (`<dbMount>/roles/<name>`). Default `<namespace>-<serviceAccount>`. */
  readonly databaseRoleName?: pulumi.Input<string>;
  /** Name of the Kubernetes auth role. Default `<namespace>-<serviceAccount>-db`. */
  readonly roleName?: pulumi.Input<string>;
  /** Name of the Vault policy. Default `workload-<namespace>-<serviceAccount>-db`. */
  readonly policyName?: pulumi.Input<string>;
  /** Default lease TTL of a credential, in seconds: 60 to 3600. Default 3600. */
  readonly defaultTtlSeconds?: pulumi.Input<number>;
  /**
   * Maximum lease TTL of a credential (renewals included), in seconds: `defaultTtlSeconds` to
   * 14400. Default 14400.
   */
  readonly maxTtlSeconds?: pulumi.Input<number>;
}

const PRIVILEGES: ReadonlySet<string> = new Set(TABLE_PRIVILEGES);

/** An output or promise inside a plain argument: checked when the whole argument resolves. */
const later = (value: unknown) => pulumi.Output.isInstance(value) || value instanceof Promise;

/** Why a list of grants is refused, or undefined. */
const grantsProblem: Check<unknown> = (grants) => {
  if (!Array.isArray(grants) || grants.length === 0) return "must list at least one grant";
  for (const [i, grant] of grants.entries()) {
    if (later(grant)) continue;
    const { privileges, tables } = (grant ?? {}) as { privileges?: unknown; tables?: unknown };
    if (!later(privileges)) {
      if (!Array.isArray(privileges) || privileges.length === 0)
        return `[${i}].privileges: must list at least one of ${TABLE_PRIVILEGES.join(", ")}`;
      const bad = privileges.find((p) => !later(p) && !PRIVILEGES.has(p as string));
      if (bad !== undefined)
        return `[${i}].privileges: ${JSON.stringify(bad)} must be one of ${TABLE_PRIVILEGES.join(", ")}`;
    }
    if (!later(tables)) {
      if (!Array.isArray(tables) || tables.length === 0) return `[${i}].tables: must list at least one table`;
      const bad = tables.find((t) => !later(t) && (typeof t !== "string" || !tableIdentifier(t)));
      if (bad !== undefined)
        return `[${i}].tables: ${JSON.stringify(bad)} must be an exact table name, \`table\` or \`schema.table\` (letters, digits and '_')`;
    }
  }
  return undefined;
};

export class VaultDatabaseCredentials extends pulumi.ComponentResource {
  /** Name of the database role (`<dbMount>/roles/<name>`). */
  public readonly databaseRoleName: pulumi.Output<string>;
  /** Where the workload reads a credential: `<dbMount>/creds/<databaseRoleName>`. */
  public readonly credentialsPath: pulumi.Output<string>;
  /** Name of the Vault policy the login role grants (`read` on `credentialsPath` only). */
  public readonly policyName: pulumi.Output<string>;
  /** Name of the Kubernetes auth role to log in with (`role` of the login request). */
  public readonly roleName: pulumi.Output<string>;
  /** Where the workload logs in: `auth/<authMount>/login`. */
  public readonly loginPath: pulumi.Output<string>;

  constructor(name: string, args: VaultDatabaseCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:index:VaultDatabaseCredentials", name, {}, opts);
    const check = checker("VaultDatabaseCredentials", name);
    const login = loginSettings(check, args);
    const dbMount = check("dbMount", args.dbMount, mountPath);
    const connection = check(
      "connection",
      args.connection,
      matches(/^[A-Za-z0-9_.-]+$/, "a connection name (letters, digits, '_', '.', '-')"),
    );
    const engine = check("engine", args.engine, (v) =>
      (DATABASE_ENGINES as readonly string[]).includes(v)
        ? undefined
        : `${JSON.stringify(v)} must be one of ${DATABASE_ENGINES.join(", ")}`,
    ) as pulumi.Output<(typeof DATABASE_ENGINES)[number]>;
    const grants = check<unknown>("grants", args.grants, grantsProblem) as pulumi.Output<
      Array<{ privileges: TablePrivilege[]; tables: string[] }>
    >;
    const ttlInputs = [
      args.defaultTtlSeconds ?? DATABASE_CREDENTIALS_DEFAULTS.defaultTtlSeconds,
      args.maxTtlSeconds ?? DATABASE_CREDENTIALS_DEFAULTS.maxTtlSeconds,
    ] as const;
    const defaultTtl = check(
      "defaultTtlSeconds",
      ttlInputs[0],
      seconds(60, DATABASE_CREDENTIALS_TTL_LIMITS.defaultTtlSeconds),
    );
    const maxTtl = check(
      "maxTtlSeconds",
      ttlInputs[1],
      seconds(60, DATABASE_CREDENTIALS_TTL_LIMITS.maxTtlSeconds),
    );
    // Both plain: compared now, before any child; otherwise when they are known.
    const ttls = check<readonly [number, number]>(
      "maxTtlSeconds",
      ttlInputs.every((t) => typeof t === "number")
        ? (ttlInputs as readonly [number, number])
        : pulumi.all([defaultTtl, maxTtl]),
      ([d, m]) => (m >= d ? undefined : `${m} must be at least defaultTtlSeconds (${d})`),
    );
    const databaseRoleName = vaultName(check, "databaseRoleName", args.databaseRoleName, login.defaultName);
    const names = {
      policyName: vaultName(
        check,
        "policyName",
        args.policyName,
        pulumi.interpolate`workload-${login.defaultName}-db`,
      ),
      roleName: vaultName(check, "roleName", args.roleName, pulumi.interpolate`${login.defaultName}-db`),
    };

    const statements = pulumi.all([engine, grants]).apply(([e, g]) => tableGrantRole(e, g));
    const role = new vault.database.SecretBackendRole(
      `${name}-db-role`,
      {
        backend: dbMount,
        name: databaseRoleName,
        dbName: connection,
        creationStatements: statements.apply((s) => [...s.creation]),
        revocationStatements: statements.apply((s) => [...s.revocation]),
        renewStatements: statements.apply((s) => [...s.renewal]),
        defaultTtl: ttls.apply(([d]) => d),
        maxTtl: ttls.apply(([, m]) => m),
      },
      { parent: this },
    );
    this.databaseRoleName = role.name;
    this.credentialsPath = pulumi.interpolate`${role.backend}/creds/${role.name}`;
    const access = workloadLogin(
      this,
      name,
      login,
      names,
      pulumi.interpolate`${dbMount}/creds/${databaseRoleName}`.apply((p) => [p]),
    );
    ({ policyName: this.policyName, roleName: this.roleName, loginPath: this.loginPath } = access);
    this.registerOutputs({
      ...access,
      databaseRoleName: this.databaseRoleName,
      credentialsPath: this.credentialsPath,
    });
  }
}
