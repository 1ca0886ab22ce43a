/**
 * VaultDatabaseCredentials under the mock runtime: the database role's SQL (exactly the listed
 * privileges on exactly the listed tables, quoted; the login dropped on revocation), its TTLs,
 * the policy (parsed by HashiCorp's HCL parser: `read` on the role's creds path and nothing
 * else), the login role's bindings, the documented defaults, and plain arguments refused before
 * any child is registered. The SQL runs on real engines in test/engine/library-consumers.test.ts
 * (PostgreSQL, through Vault) and test/integration/vault/mariadb.test.ts.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  DATABASE_CREDENTIALS_DEFAULTS,
  DATABASE_CREDENTIALS_TTL_LIMITS,
  VaultDatabaseCredentials,
  type VaultDatabaseCredentialsArgs,
} from "../../../library/src/vault-database-credentials";
import { THRESHOLDS } from "../../../policy/lib/thresholds";
import { named } from "../../support/offline";
import { itRefuses, POLICY, policyPaths, recordComponent, ROLE } from "./components";

const DB_ROLE = "vault:database/secretBackendRole:SecretBackendRole";

const BASE: VaultDatabaseCredentialsArgs = {
  namespace: "orders",
  serviceAccount: "orders-api",
  dbMount: "database",
  connection: "orders-db",
  engine: "postgresql",
  grants: [{ privileges: ["SELECT", "INSERT"], tables: ["orders"] }],
};

const record = (args: VaultDatabaseCredentialsArgs) =>
  recordComponent(
    () => new VaultDatabaseCredentials("orders", args),
    ["databaseRoleName", "credentialsPath", "policyName", "roleName", "loginPath"],
  );

describe("VaultDatabaseCredentials (library component, mock runtime)", () => {
  it("with the defaults: a role granting exactly the listed privileges, read on its creds path only, one bound login", async () => {
    const { resources, outputs } = await record({
      ...BASE,
      grants: [
        { privileges: ["INSERT", "SELECT"], tables: ["orders", "sales.order_lines"] },
        { privileges: ["SELECT"], tables: ["customers"] },
      ],
    });
    const component = named(resources, "secrets-platform:index:VaultDatabaseCredentials", "orders");
    const dbRole = named(resources, DB_ROLE, "orders-db-role");
    const policy = named(resources, POLICY, "orders-policy");
    const role = named(resources, ROLE, "orders-role");
    for (const child of [dbRole, policy, role]) assert.equal(child.parent, component.urn);
    assert.equal(resources.filter((r) => r.custom).length, 3, "a database role, a policy and a login role");
    assert.deepEqual(dbRole.inputs, {
      backend: "database",
      name: "orders-orders-api",
      dbName: "orders-db",
      creationStatements: [
        `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'`,
        `GRANT SELECT, INSERT ON TABLE "orders", "sales"."order_lines" TO "{{name}}"`,
        `GRANT SELECT ON TABLE "customers" TO "{{name}}"`,
      ],
      revocationStatements: [
        `GRANT "{{name}}" TO CURRENT_USER`,
        `DROP OWNED BY "{{name}}"`,
        `DROP ROLE IF EXISTS "{{name}}"`,
      ],
      renewStatements: [`ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}'`],
      defaultTtl: 3600,
      maxTtl: 14400,
    });
    assert.equal(policy.inputs.name, "workload-orders-orders-api-db");
    assert.deepEqual(await policyPaths(policy), { "database/creds/orders-orders-api": ["read"] });
    assert.deepEqual(role.inputs, {
      backend: "kubernetes",
      roleName: "orders-orders-api-db",
      boundServiceAccountNames: ["orders-api"],
      boundServiceAccountNamespaces: ["orders"],
      audience: "vault",
      tokenPolicies: ["workload-orders-orders-api-db"],
      tokenTtl: 900,
      tokenMaxTtl: 900,
    });
    assert.deepEqual(outputs(), {
      databaseRoleName: "orders-orders-api",
      credentialsPath: "database/creds/orders-orders-api",
      policyName: "workload-orders-orders-api-db",
      roleName: "orders-orders-api-db",
      loginPath: "auth/kubernetes/login",
    });
  });

  it("MySQL: one grant per table, the account dropped on revocation, nothing to renew", async () => {
    const { resources } = await record({
      ...BASE,
      engine: "mysql",
      grants: [{ privileges: ["DELETE", "SELECT"], tables: ["orders", "shop.items"] }],
    });
    const dbRole = named(resources, DB_ROLE, "orders-db-role");
    assert.deepEqual(dbRole.inputs.creationStatements, [
      `CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'`,
      "GRANT SELECT, DELETE ON TABLE `orders` TO '{{name}}'@'%'",
      "GRANT SELECT, DELETE ON TABLE `shop`.`items` TO '{{name}}'@'%'",
    ]);
    assert.deepEqual(dbRole.inputs.revocationStatements, [`DROP USER IF EXISTS '{{name}}'@'%'`]);
    assert.deepEqual(dbRole.inputs.renewStatements, []);
  });

  it("takes every name, mount, audience and TTL from its arguments, outputs of other resources included", async () => {
    const { resources, outputs } = await record({
      ...BASE,
      namespace: pulumi.output("payments"),
      dbMount: pulumi.output("database-prod"),
      connection: "ledger",
      engine: pulumi.output("postgresql"),
      grants: [
        pulumi.output({ privileges: ["UPDATE"], tables: ["ledger_entries"] }),
        { privileges: pulumi.output(["SELECT"]), tables: [pulumi.output("ledger_accounts")] },
      ],
      databaseRoleName: "ledger-writer",
      roleName: "ledger-db",
      policyName: "workload-ledger-db",
      authMount: "kubernetes-east",
      audience: "vault-east",
      tokenTtlSeconds: 600,
      defaultTtlSeconds: pulumi.output(300),
      maxTtlSeconds: 1200,
    });
    const dbRole = named(resources, DB_ROLE, "orders-db-role");
    assert.equal(dbRole.inputs.backend, "database-prod");
    assert.equal(dbRole.inputs.name, "ledger-writer");
    assert.equal(dbRole.inputs.dbName, "ledger");
    assert.deepEqual((dbRole.inputs.creationStatements as string[]).slice(1), [
      `GRANT UPDATE ON TABLE "ledger_entries" TO "{{name}}"`,
      `GRANT SELECT ON TABLE "ledger_accounts" TO "{{name}}"`,
    ]);
    assert.equal(dbRole.inputs.defaultTtl, 300);
    assert.equal(dbRole.inputs.maxTtl, 1200);
    assert.deepEqual(await policyPaths(named(resources, POLICY, "orders-policy")), {
      "database-prod/creds/ledger-writer": ["read"],
    });
    const role = named(resources, ROLE, "orders-role");
    assert.equal(role.inputs.backend, "kubernetes-east");
    assert.deepEqual(role.inputs.boundServiceAccountNamespaces, ["payments"]);
    assert.equal(role.inputs.audience, "vault-east");
    assert.deepEqual(role.inputs.tokenPolicies, ["workload-ledger-db"]);
    assert.equal(role.inputs.tokenMaxTtl, 600);
    assert.deepEqual(outputs(), {
      databaseRoleName: "ledger-writer",
      credentialsPath: "database-prod/creds/ledger-writer",
      policyName: "workload-ledger-db",
      roleName: "ledger-db",
      loginPath: "auth/kubernetes-east/login",
    });
  });

  it("bounds the lease TTLs by the policy pack's strictest environment, so the pack passes it anywhere", () => {
    const strictest = Object.values(THRESHOLDS);
    assert.equal(
      DATABASE_CREDENTIALS_TTL_LIMITS.defaultTtlSeconds,
      Math.min(...strictest.map((t) => t.dynamicCredentialTtlSeconds)),
    );
    assert.equal(
      DATABASE_CREDENTIALS_TTL_LIMITS.maxTtlSeconds,
      Math.min(...strictest.map((t) => t.dynamicCredentialMaxTtlSeconds)),
    );
    assert.ok(
      DATABASE_CREDENTIALS_DEFAULTS.defaultTtlSeconds <= DATABASE_CREDENTIALS_TTL_LIMITS.defaultTtlSeconds,
    );
    assert.ok(DATABASE_CREDENTIALS_DEFAULTS.maxTtlSeconds <= DATABASE_CREDENTIALS_TTL_LIMITS.maxTtlSeconds);
  });

  /** Table names that are not exact identifiers: globs, SQL, quotes, templates, three parts. */
  const badTables: Array<[string, string]> = [
    ["a wildcard table", "*"],
    ["a schema-wide grant", "public.*"],
    ["SQL pasted into a table name", 'orders; DROP TABLE "users"'],
    ["a quoted identifier", '"orders"'],
    ["a Vault template in a table name", "{{name}}"],
    ["a three-part name", "db.s.t"],
  ];
  const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const refused: Array<[string, Partial<VaultDatabaseCredentialsArgs>, RegExp]> = [
    ...badTables.map(([what, table]): [string, Partial<VaultDatabaseCredentialsArgs>, RegExp] => [
      what,
      { grants: [{ privileges: ["SELECT"], tables: [table] }] },
      new RegExp(`grants: \\[0\\]\\.tables: ${literally(JSON.stringify(table))} must be an exact table name`),
    ]),
    [
      "ALL PRIVILEGES",
      { grants: [{ privileges: ["ALL PRIVILEGES"], tables: ["orders"] }] },
      /grants: \[0\]\.privileges: "ALL PRIVILEGES" must be one of SELECT, INSERT, UPDATE, DELETE/,
    ],
    [
      "a DDL privilege",
      {
        grants: [
          { privileges: ["SELECT"], tables: ["orders"] },
          { privileges: ["DROP"], tables: ["orders"] },
        ],
      },
      /grants: \[1\]\.privileges: "DROP" must be one of/,
    ],
    ["no grant", { grants: [] }, /grants: must list at least one grant/],
    [
      "a grant of no table",
      { grants: [{ privileges: ["SELECT"], tables: [] }] },
      /grants: \[0\]\.tables: must list at least one table/,
    ],
    [
      "a grant of no privilege",
      { grants: [{ privileges: [], tables: ["orders"] }] },
      /grants: \[0\]\.privileges: must list at least one/,
    ],
    ["another engine", { engine: "oracle" }, /engine: "oracle" must be one of postgresql, mysql/],
    ["a mount path leaving the mount", { dbMount: "../sys" }, /dbMount: "\.\.\/sys" must be a mount path/],
    ["a connection with a slash", { connection: "a/b" }, /connection: "a\/b" must be a connection name/],
    [
      "a day-long default lease",
      { defaultTtlSeconds: 86400 },
      /defaultTtlSeconds: 86400 must be a whole number of seconds from 60 to 3600/,
    ],
    [
      "an unbounded maximum lease",
      { maxTtlSeconds: 0 },
      /maxTtlSeconds: 0 must be a whole number of seconds from 60 to 14400/,
    ],
    [
      "a maximum below the default",
      { defaultTtlSeconds: 3600, maxTtlSeconds: 600 },
      /maxTtlSeconds: 600 must be at least defaultTtlSeconds \(3600\)/,
    ],
    [
      "a wildcard service account",
      { serviceAccount: "*" },
      /serviceAccount: "\*" must be a DNS-1123 subdomain/,
    ],
    ["any audience", { audience: "*" }, /audience: must name one audience/],
    [
      "a database role name with a slash",
      { databaseRoleName: "a/b" },
      /databaseRoleName: "a\/b" must be a Vault name/,
    ],
  ];
  itRefuses<VaultDatabaseCredentialsArgs>("VaultDatabaseCredentials", refused, (change) => {
    return new VaultDatabaseCredentials("orders", { ...BASE, ...change });
  });
});
