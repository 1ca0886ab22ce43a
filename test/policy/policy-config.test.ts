/**
 * The shipped policy config files (`Pulumi.<stack>.policy-config.json`, given to `pulumi
 * preview --policy-pack-config` and picked up by the offline preview) against the pack's
 * config schemas, validated as the Pulumi CLI validates them (pkg/resource/analyzer/config.go:
 * each policy's properties against `{ type: object, properties, required }` with a JSON-schema
 * validator), and a bad file rejected with a message naming what is wrong.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { policies } from "../../policy/policies";
import { PROJECT_DIR } from "../support/offline";

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** The CLI's errors for a config document; empty when it accepts it. */
function validate(config: Record<string, unknown>): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const errors: string[] = [];
  const byName = new Map(policies.map((p) => [p.name, p]));
  for (const [name, value] of Object.entries(config)) {
    if (name !== "all" && !byName.has(name)) errors.push(`${name}: not a policy of the pack`);
    if (typeof value === "string") {
      if (!LEVELS.includes(value))
        errors.push(`${name}: ${JSON.stringify(value)} is not a valid enforcement level`);
    } else if (typeof value !== "object" || value === null)
      errors.push(`${name}: must be a string or object`);
  }
  for (const policy of policies) {
    if (!policy.configSchema) continue;
    const own = config[policy.name];
    const { enforcementLevel, ...properties } =
      typeof own === "object" && own !== null ? (own as Record<string, unknown>) : {};
    if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as string))
      errors.push(`${policy.name}: ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`);
    const check = ajv.compile({
      type: "object",
      properties: policy.configSchema.properties,
      ...(policy.configSchema.required ? { required: policy.configSchema.required } : {}),
    });
    if (!check(properties))
      for (const e of check.errors ?? [])
        errors.push(`${policy.name}: ${e.instancePath || "(root)"} ${e.message}`);
  }
  return errors;
}

const shipped = fs
  .readdirSync(PROJECT_DIR)
  .filter((f) => /^Pulumi\..+\.policy-config\.json$/.test(f))
  .sort();

describe("shipped policy config files", () => {
  it("exist for every shipped stack", () => {
    const stacks = fs
      .readdirSync(PROJECT_DIR)
      .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
      .map((f) => f.split(".")[1]);
    assert.deepEqual(shipped, stacks.map((s) => `Pulumi.${s}.policy-config.json`).sort());
  });

  for (const file of shipped)
    it(`${file} is valid against the pack's config schemas`, () => {
      assert.deepEqual(validate(JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8"))), []);
    });

  it("rejects an exemption without a reason, with an unknown key, or not a list, naming the policy and field", () => {
    const rule = "vault-policy-forbid-privileged-workload-paths";
    assert.deepEqual(validate({ [rule]: { exemptions: [{ policy: "platform-deployer" }] } }), [
      `${rule}: /exemptions/0 must have required property 'reason'`,
    ]);
    assert.deepEqual(validate({ [rule]: { exemptions: [{ policy: "x", reason: "y", until: "2027" }] } }), [
      `${rule}: /exemptions/0 must NOT have additional properties`,
    ]);
    assert.deepEqual(validate({ [rule]: { exemptions: "platform-deployer" } }), [
      `${rule}: /exemptions must be array`,
    ]);
    assert.deepEqual(validate({ [rule]: { exemptions: [{ policy: "", reason: "y" }] } }), [
      `${rule}: /exemptions/0/policy must NOT have fewer than 1 characters`,
    ]);
  });
});
