/**
 * The Vault inventory of the pack (`policy/lib/vault-acl.ts`) against the vault SDK it is
 * pinned to: every resource type with an argument named like a policy, or able to write any
 * API path, is classified, and every classified type and field exists. A provider upgrade that
 * adds a way to hand out or write a policy fails here until the pack covers it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ATTACHERS, GENERIC_WRITERS, NOT_ACL_ATTACHMENTS, POLICY_TYPE } from "../../policy/lib/vault-acl";

const SDK = path.dirname(
  require.resolve("@pulumi/vault/package.json", { paths: [path.join(__dirname, "../../policy")] }),
);

/** Flags that only take a policy away (no default policy) or say policies are managed elsewhere. */
const FLAGS = new Set(["tokenNoDefaultPolicy", "noDefaultPolicy", "externalPolicies"]);

/** Type token → argument names, read from the SDK's `.js` (`__pulumiType`) and `.d.ts` (`<Name>Args`). */
function sdkResources(dir = SDK, found = new Map<string, Set<string>>()): Map<string, Set<string>> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "types") sdkResources(file, found);
      continue;
    }
    if (!entry.name.endsWith(".js")) continue;
    const token = /\.__pulumiType = '([^']+)'/.exec(fs.readFileSync(file, "utf8"))?.[1];
    if (!token) continue;
    const dts = fs.readFileSync(file.replace(/\.js$/, ".d.ts"), "utf8");
    const className = token.split(":").pop()!;
    const body = new RegExp(`export interface ${className}Args \\{([\\s\\S]*?)\\n\\}`).exec(dts)?.[1] ?? "";
    found.set(token, new Set([...body.matchAll(/^ {4}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1])));
  }
  return found;
}

describe("the pack's Vault ACL inventory against the vault SDK", () => {
  const resources = sdkResources();

  it("reads the SDK (sanity: every resource type of vault 7.8.0, the policy type among them)", () => {
    assert.ok(resources.size >= 150, `${resources.size} types`);
    assert.deepEqual([...resources.get(POLICY_TYPE)!].sort(), ["name", "namespace", "policy"]);
  });

  it("classifies every argument named like a policy", () => {
    const unclassified: string[] = [];
    for (const [token, args] of resources) {
      for (const arg of args) {
        if (!/polic/i.test(arg) || FLAGS.has(arg)) continue;
        const spec = ATTACHERS[token];
        const covered =
          (token === POLICY_TYPE && arg === "policy") ||
          spec?.names.includes(arg) ||
          spec?.globs?.includes(arg) ||
          `${token} ${arg}` in NOT_ACL_ATTACHMENTS;
        if (!covered) unclassified.push(`${token} ${arg}`);
      }
    }
    assert.deepEqual(unclassified, []);
  });

  it("treats every type that writes any API path (path + dataJson) as a generic writer", () => {
    const writers = [...resources]
      .filter(([, args]) => args.has("path") && args.has("dataJson"))
      .map(([token]) => token)
      .sort();
    assert.deepEqual(writers, Object.keys(GENERIC_WRITERS).sort());
  });

  it("names only types and fields that exist", () => {
    for (const [token, spec] of Object.entries(ATTACHERS)) {
      const args = resources.get(token);
      assert.ok(args, `${token} is not a type of the SDK`);
      for (const field of [...spec.names, ...(spec.globs ?? [])])
        assert.ok(args.has(field), `${token} ${field}`);
    }
    for (const key of Object.keys(NOT_ACL_ATTACHMENTS)) {
      const [token, field] = key.split(" ");
      assert.ok(resources.get(token)?.has(field), key);
    }
  });
});
