/**
 * vault-audit-require-device judges the stack that configures Vault, not a team's stack that
 * only adds policies, login roles, dynamic database roles and KV entries inside it (as a program
 * using the library's VaultWorkloadAccess and VaultDatabaseCredentials does): such a stack passes
 * without an audit device, and the same stack with one mount, auth method, database connection,
 * static database role or unknown `vault:` type is caught.
 */
import assert from "node:assert/strict";
import { vaultAuditRequireDevice as RULE } from "../../policy/policies";
import { evaluatePolicies } from "../../tools/offline/gate";
import type { RecordedResource } from "../../tools/offline/types";
import { recorded } from "./fixtures";

const verdicts = async (resources: readonly RecordedResource[]) =>
  (await evaluatePolicies(resources, { environment: "prod", policies: [RULE] })).map(
    (v) => `${v.enforcementLevel}: ${v.message}`,
  );

const tenant = [
  recorded("vault:index/policy:Policy", "orders", {
    name: "workload-orders",
    policy: 'path "secret/data/orders/db" {}',
  }),
  recorded("vault:kubernetes/authBackendRole:AuthBackendRole", "orders", {
    backend: "kubernetes",
    roleName: "orders",
  }),
  recorded("vault:jwt/authBackendRole:AuthBackendRole", "ci", {
    backend: "jwt",
    roleName: "ci",
    roleType: "jwt",
  }),
  recorded("vault:appRole/authBackendRole:AuthBackendRole", "batch", {
    backend: "approle",
    roleName: "batch",
  }),
  recorded("vault:kv/secretV2:SecretV2", "orders-db", { mount: "secret", name: "orders/db" }),
  recorded("vault:database/secretBackendRole:SecretBackendRole", "orders-db-role", {
    backend: "database",
    name: "orders-orders-api",
    dbName: "orders-db",
    defaultTtl: 3600,
    maxTtl: 14400,
  }),
];
const MISSING =
  "mandatory: the stack configures Vault but enables no audit device: requests to Vault leave no trail.";

describe("vault-audit-require-device: a team's stack inside someone else's Vault", () => {
  it("passes policies, login roles, database roles and KV entries without an audit device", async () => {
    assert.deepEqual(await verdicts(tenant), []);
  });

  for (const [what, resource] of [
    ["an auth method", recorded("vault:index/authBackend:AuthBackend", "k8s", { type: "kubernetes" })],
    ["a secrets engine", recorded("vault:index/mount:Mount", "kv", { path: "kv", type: "kv-v2" })],
    ["an auth method's config", recorded("vault:kubernetes/authBackendConfig:AuthBackendConfig", "k8s", {})],
    ["a generic write", recorded("vault:generic/endpoint:Endpoint", "x", { path: "sys/mounts/x" })],
    [
      "a database connection",
      recorded("vault:database/secretBackendConnection:SecretBackendConnection", "db", {
        backend: "database",
      }),
    ],
    [
      "a static database role",
      recorded("vault:database/secretBackendStaticRole:SecretBackendStaticRole", "app", {
        backend: "database",
      }),
    ],
  ] as const) {
    it(`catches the same stack with ${what} and no audit device; an audit device satisfies it`, async () => {
      assert.deepEqual(await verdicts([...tenant, resource]), [MISSING]);
      const audit = recorded("vault:index/audit:Audit", "stdout", { type: "file" });
      assert.deepEqual(await verdicts([...tenant, resource, audit]), []);
    });
  }
});
