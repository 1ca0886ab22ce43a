/**
 * What the library components' mock-runtime tests share: a component's children and resolved
 * outputs, a policy's paths as HashiCorp's HCL parser reads them, and the check that a plain
 * bad argument is refused before any child is registered.
 */
import * as assert from "node:assert/strict";
import { parse } from "@cdktf/hcl2json";
import * as pulumi from "@pulumi/pulumi";
import { runOffline } from "../../../tools/offline/runtime";
import type { RecordedResource } from "../../../tools/offline/types";
import { recordResources } from "../../support/offline";

export const POLICY = "vault:index/policy:Policy";
export const ROLE = "vault:kubernetes/authBackendRole:AuthBackendRole";

/** The resources `create` registers, and the named outputs of the component it returns, resolved. */
export async function recordComponent<K extends string>(
  create: () => Record<K, pulumi.Output<unknown>>,
  keys: readonly K[],
): Promise<{ resources: RecordedResource[]; outputs: () => Record<string, unknown> }> {
  let outputs: Record<string, unknown> = {};
  const resources = await recordResources(() => {
    const component = create();
    return pulumi.all(keys.map((k) => component[k])).apply((values) => {
      outputs = Object.fromEntries(keys.map((k, i) => [k, values[i]]));
    });
  });
  return { resources, outputs: () => outputs };
}

/** Path → capabilities of a recorded `vault.Policy`. */
export async function policyPaths(policy: RecordedResource): Promise<Record<string, string[]>> {
  const doc = (await parse("policy.hcl", String(policy.inputs.policy))) as {
    path: Record<string, Array<{ capabilities: string[] }>>;
  };
  return Object.fromEntries(
    Object.entries(doc.path).map(([p, blocks]) => [p, blocks.flatMap((b) => b.capabilities)]),
  );
}

/**
 * One test per case: the component created by `create(change)` fails with
 * `<component> orders: <message>` and no child is registered.
 */
export function itRefuses<A>(
  component: string,
  cases: ReadonlyArray<readonly [string, Partial<A>, RegExp]>,
  create: (change: Partial<A>) => unknown,
): void {
  for (const [what, change, message] of cases) {
    it(`refuses ${what} before registering any child, naming the component and the key`, async () => {
      const run = await runOffline({
        project: "orders-service",
        stack: "test",
        config: {},
        secretKeys: [],
        program: () => create(change),
      });
      assert.match(String(run.error?.message), new RegExp(`${component} orders: ${message.source}`));
      assert.deepEqual(
        run.resources.filter((r) => r.custom),
        [],
      );
    });
  }
}
