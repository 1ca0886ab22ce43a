/**
 * kubernetes-externalsecrets-restrict-cluster-store-namespaces on foreign programs: conditions
 * that restrict nothing (empty or absence-based selectors, match-all or unanchored regexes),
 * other API versions and patches, any name, and values unknown during preview.
 */
import assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesExternalsecretsRestrictClusterStoreNamespaces as RULE } from "../../policy/policies";
import { evaluatePolicies } from "../../tools/offline/gate";
import type { RecordedResource } from "../../tools/offline/types";
import { recordResources } from "../support/offline";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: string };

const found = async (resources: readonly RecordedResource[]) =>
  (await evaluatePolicies(resources, { environment: "prod", policies: [RULE] })).map(
    (v) => `${v.enforcementLevel}: ${v.message}`,
  );

const store = (conditions: unknown, apiVersion = "external-secrets.io/v1", kind = "ClusterSecretStore") =>
  recordResources(() =>
    kind.endsWith("Patch")
      ? new k8s.apiextensions.CustomResourcePatch("anything", {
          apiVersion,
          kind: kind.replace(/Patch$/, ""),
          metadata: { name: "anything" },
          spec: conditions === undefined ? { provider: {} } : { conditions },
        })
      : new k8s.apiextensions.CustomResource("anything", {
          apiVersion,
          kind,
          metadata: { name: "anything" },
          spec: { provider: { vault: { server: "https://vault.internal" } }, conditions },
        }),
  );

describe("kubernetes-externalsecrets-restrict-cluster-store-namespaces", function () {
  this.timeout(60_000);

  it("passes listed namespaces, a selector on label values, an anchored regex", async () => {
    for (const conditions of [
      [{ namespaces: ["payments"] }],
      [{ namespaceSelector: { matchLabels: { team: "payments" } } }],
      [{ namespaceSelector: { matchExpressions: [{ key: "team", operator: "In", values: ["a"] }] } }],
      [{ namespaceRegexes: ["^(payments|orders)$"] }],
    ])
      assert.deepEqual(await found(await store(conditions)), [], JSON.stringify(conditions));
  });

  for (const [label, conditions, expected] of [
    ["no conditions", undefined, /spec.conditions is empty/],
    ["an empty condition", [{}], /names no namespaces/],
    ["an empty selector", [{ namespaceSelector: {} }], /empty selector matches every namespace/],
    [
      "a selector on the label every namespace has",
      [
        {
          namespaceSelector: {
            matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "Exists" }],
          },
        },
      ],
      /which every namespace has/,
    ],
    [
      "a selector by absence",
      [{ namespaceSelector: { matchExpressions: [{ key: "restricted", operator: "DoesNotExist" }] } }],
      /DoesNotExist/,
    ],
    ["a match-all regex", [{ namespaceRegexes: [".*"] }], /matches every namespace/],
    ["an unanchored regex", [{ namespaceRegexes: ["payments"] }], /not anchored/],
    [
      "a narrow part next to a match-all part",
      [{ namespaces: ["payments"] }, { namespaceRegexes: ["^.*$"] }],
      /conditions\[1\].*matches every namespace/,
    ],
  ] as const)
    it(`flags ${label}`, async () => {
      const messages = await found(await store(conditions));
      assert.equal(messages.length, 1, messages.join("\n"));
      assert.match(messages[0], /^mandatory: /);
      assert.match(messages[0], expected);
    });

  it("covers v1beta1 stores and patches that set conditions; a patch that leaves them alone passes", async () => {
    assert.equal(
      (await found(await store([{ namespaceSelector: {} }], "external-secrets.io/v1beta1"))).length,
      1,
    );
    assert.equal(
      (await found(await store([], "external-secrets.io/v1", "ClusterSecretStorePatch"))).length,
      1,
    );
    assert.deepEqual(
      await found(await store(undefined, "external-secrets.io/v1", "ClusterSecretStorePatch")),
      [],
    );
  });

  it("does not pass conditions unknown during preview: advisory, judged at up", async () => {
    const rs = await store([{ namespaces: ["payments"] }]);
    const cr = rs.find((r) => r.type.endsWith(":ClusterSecretStore"))!;
    (cr.inputs.spec as Record<string, unknown>).conditions = unknownStringValue;
    const messages = await found(rs);
    assert.equal(messages.length, 1);
    assert.match(messages[0], /^advisory: can't run policy .* during preview/);
  });
});
