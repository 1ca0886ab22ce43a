/**
 * VaultWorkloadAccess under the mock runtime: the policy (parsed by HashiCorp's HCL parser),
 * the role's bindings, the documented defaults, and plain arguments refused before any child is
 * registered. (A bad value known only at deployment fails in an apply; the mock runtime cannot
 * report that, it waits for the failed registration forever.)
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  VaultWorkloadAccess,
  type VaultWorkloadAccessArgs,
  WORKLOAD_ACCESS_DEFAULTS,
} from "../../../library/src/vault-workload-access";
import { named } from "../../support/offline";
import { itRefuses, POLICY, policyPaths, recordComponent, ROLE } from "./components";

const record = (args: VaultWorkloadAccessArgs) =>
  recordComponent(
    () => new VaultWorkloadAccess("orders", args),
    ["policyName", "roleName", "loginPath", "readPaths"],
  );

describe("VaultWorkloadAccess (library component, mock runtime)", () => {
  it("with the defaults: read on exactly the KV paths, a role bound to one namespace, account and audience", async () => {
    const { resources, outputs } = await record({
      namespace: "orders",
      serviceAccount: "orders-api",
      kvPaths: ["orders/db", "orders/stripe", "orders/db"],
    });
    const component = named(resources, "secrets-platform:index:VaultWorkloadAccess", "orders");
    const policy = named(resources, POLICY, "orders-policy");
    const role = named(resources, ROLE, "orders-role");
    assert.equal(policy.parent, component.urn);
    assert.equal(role.parent, component.urn);
    assert.equal(resources.filter((r) => r.custom).length, 2, "a policy and a role, nothing else");
    assert.equal(policy.inputs.name, "workload-orders-orders-api");
    assert.deepEqual(await policyPaths(policy), {
      "secret/data/orders/db": ["read"],
      "secret/data/orders/stripe": ["read"],
    });
    assert.deepEqual(role.inputs, {
      backend: WORKLOAD_ACCESS_DEFAULTS.authMount,
      roleName: "orders-orders-api",
      boundServiceAccountNames: ["orders-api"],
      boundServiceAccountNamespaces: ["orders"],
      audience: "vault",
      tokenPolicies: ["workload-orders-orders-api"],
      tokenTtl: 900,
      tokenMaxTtl: 900,
    });
    assert.deepEqual(outputs(), {
      policyName: "workload-orders-orders-api",
      roleName: "orders-orders-api",
      loginPath: "auth/kubernetes/login",
      readPaths: ["secret/data/orders/db", "secret/data/orders/stripe"],
    });
  });

  it("takes every name, mount, audience and TTL from its arguments, outputs of other resources included", async () => {
    const { resources, outputs } = await record({
      namespace: pulumi.output("payments"),
      serviceAccount: "ledger",
      kvPaths: [pulumi.output("payments/ledger-db")],
      kvMount: "kv-prod",
      authMount: "kubernetes-east",
      roleName: "ledger",
      policyName: "workload-ledger",
      audience: "vault-east",
      tokenTtlSeconds: 600,
    });
    const role = named(resources, ROLE, "orders-role");
    assert.deepEqual(await policyPaths(named(resources, POLICY, "orders-policy")), {
      "kv-prod/data/payments/ledger-db": ["read"],
    });
    assert.equal(role.inputs.backend, "kubernetes-east");
    assert.deepEqual(role.inputs.boundServiceAccountNamespaces, ["payments"]);
    assert.equal(role.inputs.audience, "vault-east");
    assert.deepEqual(role.inputs.tokenPolicies, ["workload-ledger"]);
    assert.equal(role.inputs.tokenMaxTtl, 600);
    assert.equal((outputs() as { loginPath: string }).loginPath, "auth/kubernetes-east/login");
  });

  const refused: Array<[string, Partial<VaultWorkloadAccessArgs>, RegExp]> = [
    ["a glob path", { kvPaths: ["orders/*"] }, /kvPaths: "orders\/\*" must be an exact relative path/],
    [
      "a path leaving the mount",
      { kvPaths: ["../sys/mounts"] },
      /kvPaths: "\.\.\/sys\/mounts" must be an exact/,
    ],
    ["no path", { kvPaths: [] }, /kvPaths: must list at least one path/],
    [
      "a wildcard service account",
      { serviceAccount: "*" },
      /serviceAccount: "\*" must be a DNS-1123 subdomain/,
    ],
    [
      "a namespace that is no label",
      { namespace: "Orders_NS" },
      /namespace: "Orders_NS" must be a DNS-1123 label/,
    ],
    ["any audience", { audience: "*" }, /audience: must name one audience/],
    [
      "a day-long token",
      { tokenTtlSeconds: 86400 },
      /tokenTtlSeconds: 86400 must be a whole number of seconds from 60 to 3600/,
    ],
    ["a policy name with a slash", { policyName: "a/b" }, /policyName: "a\/b" must be a Vault name/],
  ];
  itRefuses<VaultWorkloadAccessArgs>(
    "VaultWorkloadAccess",
    refused,
    (change) =>
      new VaultWorkloadAccess("orders", {
        namespace: "orders",
        serviceAccount: "orders-api",
        kvPaths: ["orders/db"],
        ...change,
      }),
  );
});
