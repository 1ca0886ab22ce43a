/**
 * The shipped policy config files (`Pulumi.<stack>.policy-config.json`, given to `pulumi
 * preview --policy-pack-config` and picked up by the offline preview) against the pack's
 * config schemas, validated as the Pulumi CLI validates them (pkg/resource/analyzer/config.go:
 * each policy's properties against `{ type: object, properties, required }` with a JSON-schema
 * validator), and a bad file rejected with a message naming what is wrong. This emulation is
 * stricter than the CLI on one point, as the offline gate is: a policy name the pack does not
 * have. test/engine/policy-validate-config.test.ts shows what the real CLI does with each case.
 *
 * A setting a policy does not have passes the CLI (no schema can forbid it); the pack reports
 * it itself each time the policy runs (`policy/lib/settings.ts`), checked at the end.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import type { ResourceValidation, StackValidation } from "@pulumi/policy";
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

describe("settings a policy does not have (policy/lib/settings.ts, as the pack runs them)", () => {
  const byName = (name: string) => policies.find((p) => p.name === name)!;
  /** Runs one validator of a policy with this config; what it reports. */
  async function run(name: string, config: Record<string, unknown>, type?: string): Promise<string[]> {
    const policy = byName(name);
    const reports: string[] = [];
    const report = (m: unknown) =>
      reports.push(typeof m === "string" ? m : (m as { message: string }).message);
    if ("validateStack" in policy && policy.validateStack) {
      await (policy.validateStack as StackValidation)(
        { resources: [], getConfig: () => config } as never,
        report as never,
      );
    } else if ("validateResource" in policy && policy.validateResource) {
      const validators = ([] as ResourceValidation[]).concat(policy.validateResource);
      const v = validators.find((x) => (x as { __pulumiType?: string }).__pulumiType === type)!;
      assert.ok(v, `${name} has a validator for ${type}`);
      await v(
        {
          type,
          props: {},
          urn: `urn:pulumi:dev::p::${type}::r`,
          name: "r",
          opts: {},
          getConfig: () => config,
          isType: () => false,
          notApplicable: () => undefined,
          asType: () => undefined,
        } as never,
        report as never,
      );
    }
    return reports;
  }

  it("a stack policy reports a misspelt setting, naming it and the settings it has", async () => {
    const reports = await run("vault-policy-forbid-privileged-workload-paths", { exemption: [] });
    assert.deepEqual(
      reports.filter((m) => /not a setting/.test(m)),
      [
        "policy config `vault-policy-forbid-privileged-workload-paths.exemption` is not a setting of this policy, so it is ignored (its settings: exemptions, globAfterMount, globMinFixedSegments): fix or remove it.",
      ],
    );
  });

  it("a resource policy reports it on each resource it judges, and keeps its validators typed", async () => {
    const reports = await run("aws-kms-require-key-rotation", { maxRotationDays: 30 }, "aws:kms/key:Key");
    assert.ok(
      reports.includes(
        "policy config `aws-kms-require-key-rotation.maxRotationDays` is not a setting of this policy, so it is ignored (its settings: environment, maxKeyRotationDays): fix or remove it.",
      ),
      reports.join("\n"),
    );
    for (const policy of policies)
      if (
        "validateResource" in policy &&
        policy.validateResource &&
        policy.name !== "pulumi-resource-detect-credential-literals"
      )
        for (const v of ([] as ResourceValidation[]).concat(policy.validateResource))
          assert.equal(typeof (v as { __pulumiType?: string }).__pulumiType, "string", policy.name);
  });

  it("reports nothing for the settings a policy has, nor for the engine's enforcementLevel", async () => {
    assert.deepEqual(
      (
        await run(
          "aws-kms-require-key-rotation",
          { environment: "dev", enforcementLevel: "advisory" },
          "aws:kms/key:Key",
        )
      ).filter((m) => /not a setting/.test(m)),
      [],
    );
  });

  it("names a policy without settings as such", async () => {
    const reports = await run(
      "aws-secretsmanager-require-cmk",
      { environment: "dev" },
      "aws:secretsmanager/secret:Secret",
    );
    assert.ok(
      reports.some((m) => m.includes("(it has no settings)")),
      reports.join("\n"),
    );
  });
});
