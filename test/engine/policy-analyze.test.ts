/**
 * The shipped cloud stacks through the real CLI: their aws, gcp and azure-native providers
 * cannot run here, so the offline preview exports the state `pulumi up` would leave
 * (`--export`), and `pulumi policy analyze --policy-pack ./policy --file <it>` judges it with
 * the real policy server. Its verdict must be the offline gate's, violation for violation, on
 * each shipped stack and on a violating variant.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENTS } from "../../stacks/schema";
import { evaluatePolicies } from "../../tools/offline/gate";
import { runPreview } from "../../tools/offline/preview";
import { toStackExport } from "../../tools/offline/stack-export";
import type { PolicyViolation, RecordedResource } from "../../tools/offline/types";
import { PROJECT_DIR } from "../support/offline";
import { type Engine, fileBackend, Project, requirePulumi } from "./cli";

interface PolicyEvent {
  readonly policyName: string;
  readonly enforcementLevel: string;
  readonly resourceUrn?: string;
  readonly message: string;
}

/** One line per verdict: policy, level and resource, comparable between the two gates. */
const verdicts = (vs: ReadonlyArray<{ policyName: string; enforcementLevel: string; urn?: string }>) =>
  vs.map((v) => `${v.enforcementLevel} ${v.policyName} ${v.urn ?? "(stack)"}`).sort();

describe("pulumi policy analyze over the exported state of the shipped stacks", function () {
  this.timeout(600_000);
  let engine: Engine;
  let backend: ReturnType<typeof fileBackend>;
  let project: Project;

  before(function () {
    engine = requirePulumi(this);
    backend = fileBackend();
    project = Project.create(engine, backend.url, "analyze");
  });
  after(() => {
    project?.remove();
    backend?.remove();
  });

  /** `pulumi policy analyze` of the export, with the stack's policy config as the gate used it. */
  async function analyze(resources: readonly RecordedResource[], env: string, label: string) {
    const file = path.join(project.tmp, `${label}.json`);
    fs.writeFileSync(file, JSON.stringify(toStackExport(resources)));
    const config = `Pulumi.${env}.policy-config.json`;
    const result = await project.run(
      [
        "policy",
        "analyze",
        "--policy-pack",
        "./policy",
        "--policy-pack-config",
        config,
        "--file",
        file,
        "--json",
      ],
      { allow: [0, 1, 255] },
    );
    const events = result.stdout
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => (JSON.parse(line) as { policyEvent?: PolicyEvent }).policyEvent)
      .filter((e): e is PolicyEvent => !!e);
    return {
      code: result.code,
      output: result.stdout + result.stderr,
      verdicts: verdicts(events.map((e) => ({ ...e, urn: e.resourceUrn }))),
    };
  }

  for (const env of ENVIRONMENTS) {
    describe(`the ${env} stack`, () => {
      let resources: RecordedResource[];
      let offline: readonly PolicyViolation[];
      before(async () => {
        const preview = await runPreview({
          stackFile: path.join(PROJECT_DIR, `Pulumi.${env}.yaml`),
          stackName: env,
        });
        resources = preview.resources;
        offline = preview.document.policyViolations;
      });

      it("passes analyze with the offline gate's verdict, violation for violation", async () => {
        const { code, verdicts: real, output } = await analyze(resources, env, env);
        assert.equal(code, 0, output.slice(-3000));
        assert.deepEqual(real, verdicts(offline));
      });

      it("keeps secret values out of the export: each is a secret whose plaintext is withheld", () => {
        const exported = JSON.stringify(toStackExport(resources));
        for (const r of resources.filter((x) => x.secretPaths.length > 0)) {
          for (const p of r.secretPaths) {
            const value = p
              .split(/\.|\[|\]/)
              .filter(Boolean)
              .reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], r.inputs);
            if (typeof value === "string" && value.length > 8)
              assert.ok(!exported.includes(JSON.stringify(value)), `${r.name} ${p}`);
          }
        }
      });
    });
  }

  it("a violating variant fails analyze with the offline gate's verdict", async () => {
    const preview = await runPreview({
      stackFile: path.join(PROJECT_DIR, "Pulumi.prod.yaml"),
      stackName: "prod",
    });
    // One Key Vault secret that never expires, and one workload policy granting sudo on sys/.
    // Plain copies: a recorded resource reads its outputs lazily from the mock runtime.
    const mutated = preview.resources.map((r): RecordedResource => ({
      ...r,
      inputs: structuredClone(r.inputs),
      displayInputs: r.displayInputs,
      outputs: structuredClone(r.outputs),
    }));
    const secret = mutated.find((r) => r.type === "azure-native:keyvault:Secret")!;
    delete (secret.inputs.properties as { attributes: { expires?: number } }).attributes.expires;
    const policy = mutated.find(
      (r) => r.type === "vault:index/policy:Policy" && String(r.inputs.name).startsWith("workload-"),
    )!;
    // Resource policies read inputs, stack policies outputs: the state carries both.
    for (const state of [policy.inputs, policy.outputs] as Array<{ policy: string }>)
      state.policy += '\npath "sys/*" {\n  capabilities = ["sudo", "read"]\n}\n';
    const config = JSON.parse(
      fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.policy-config.json"), "utf8"),
    ) as Record<string, unknown>;
    const offline = await evaluatePolicies(mutated, { environment: "prod", config });
    assert.ok(offline.some((v) => v.enforcementLevel === "mandatory"));
    const { code, verdicts: real } = await analyze(mutated, "prod", "prod-violating");
    assert.notEqual(code, 0);
    assert.deepEqual(real, verdicts(offline));
    assert.ok(real.some((v) => v.startsWith("mandatory azure-keyvault-require-secret-expiry")));
    assert.ok(real.some((v) => v.startsWith("mandatory vault-policy-forbid-privileged-workload-paths")));
  });
});
