/**
 * One page per policy (policy/docs/policies/<name>.md), kept true by the policies themselves:
 * every policy has a page and every page a policy; a page's configuration table names exactly
 * the settings of the policy's config schema, and its config example is valid against that
 * schema; its example violation, run through the gate (the engine's path), is reported by the
 * policy, and its fix is not. policy/README.md's index links every page.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { policies } from "../../policy/policies";
import { evaluatePolicies } from "../../tools/offline/gate";
import type { RecordedResource } from "../../tools/offline/types";
import { recorded } from "./fixtures";

const POLICY_DIR = path.join(__dirname, "..", "..", "policy");
const PAGES_DIR = path.join(POLICY_DIR, "docs", "policies");
const DAY = 86_400;

/** `## <title>` sections of a page, by title. */
function sections(page: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of page.split(/^## /m).slice(1)) {
    const newline = part.indexOf("\n");
    out.set(part.slice(0, newline).trim(), part.slice(newline + 1));
  }
  return out;
}

const jsonBlocks = (text: string): unknown[] =>
  [...text.matchAll(/^```json\n([\s\S]*?)^```/gm)].map(([, body]) => JSON.parse(body));

/** `"<now+20d>"`: a time relative to the test's clock, in Unix seconds (a fixed date would go stale). */
function withClock(value: unknown): unknown {
  if (typeof value === "string") {
    const m = /^<now([+-]\d+)d>$/.exec(value);
    return m ? Math.floor(Date.now() / 1000) + Number(m[1]) * DAY : value;
  }
  if (Array.isArray(value)) return value.map(withClock);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withClock(v)]));
  return value;
}

interface DocResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  protect?: boolean;
}

function resources(block: unknown): RecordedResource[] {
  assert.ok(Array.isArray(block), "an example is a JSON list of resources");
  return (withClock(block) as DocResource[]).map((r) => {
    assert.deepEqual(
      Object.keys(r).filter((k) => !["type", "name", "inputs", "outputs", "protect"].includes(k)),
      [],
      `resource ${r.name}: only type, name, inputs, outputs, protect`,
    );
    return recorded(r.type, r.name, r.inputs, { outputs: r.outputs, protect: r.protect });
  });
}

const pages = fs
  .readdirSync(PAGES_DIR)
  .filter((f) => f.endsWith(".md"))
  .map((f) => f.replace(/\.md$/, ""))
  .sort();

describe("policy pages (policy/docs/policies)", () => {
  it("every policy has a page, and every page a policy", () => {
    assert.equal(policies.length, 42);
    assert.deepEqual(pages, policies.map((p) => p.name).sort());
  });

  it("policy/README.md's index links every page, once", () => {
    const readme = fs.readFileSync(path.join(POLICY_DIR, "README.md"), "utf8");
    const linked = [...readme.matchAll(/\]\(docs\/policies\/([\w-]+)\.md\)/g)].map(([, n]) => n).sort();
    assert.deepEqual(linked, pages);
  });

  for (const policy of policies) {
    describe(policy.name, () => {
      const file = path.join(PAGES_DIR, `${policy.name}.md`);
      const page = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      const parts = sections(page);
      const settings = Object.keys(policy.configSchema?.properties ?? {}).sort();

      it("has the sections What it checks, Why, Configuration, Example violation, Fix", () => {
        assert.ok(page.startsWith(`# \`${policy.name}\`\n`), "title");
        assert.deepEqual(
          [...parts.keys()],
          ["What it checks", "Why", "Configuration", "Example violation", "Fix"],
        );
      });

      it(`names exactly its settings (${settings.join(", ") || "none"}), and its config example is valid`, () => {
        const config = parts.get("Configuration") ?? "";
        const named = [...config.matchAll(/^\| `(\w+)` *\|/gm)].map(([, k]) => k).sort();
        assert.deepEqual(named, settings);
        const examples = jsonBlocks(config);
        if (!settings.length) assert.equal(examples.length, 0);
        for (const example of examples) {
          const mine = (example as Record<string, unknown>)[policy.name];
          assert.ok(mine, `the example configures ${policy.name}`);
          const validate = new Ajv({ strict: false }).compile(policy.configSchema!);
          assert.ok(validate(mine), JSON.stringify(validate.errors));
        }
      });

      it("reports its example violation, and not its fix", async () => {
        const [violation] = jsonBlocks(parts.get("Example violation") ?? "");
        const [fix] = jsonBlocks(parts.get("Fix") ?? "");
        const judge = async (block: unknown) =>
          (await evaluatePolicies(resources(block), { environment: "prod", policies: [policy] })).filter(
            (v) => v.policyName === policy.name && v.enforcementLevel === policy.enforcementLevel,
          );
        const found = await judge(violation);
        assert.ok(found.length > 0, "the example violation is not reported");
        assert.deepEqual(
          (await judge(fix)).map((v) => v.message),
          [],
          "the fix is reported",
        );
      });
    });
  }
});
