/**
 * The shipped policy config files (`Pulumi.<stack>.policy-config.json`) and bad ones, judged by
 * the real CLI against the shipped pack (./shipped-pack.ts: built JavaScript, its own `npm ci`).
 *
 * Two ways a team meets the pack's config schema:
 *
 * - `pulumi policy validate-config <org>/<pack> <version> --config <file>`: the CLI validates
 *   against the schema of a *published* version, so it needs a cloud backend (on a DIY backend
 *   it answers "DIY backend does not support resource policy"). Here the pack is published with
 *   the real `pulumi policy publish` to a stand-in of the Pulumi Cloud API (./policy-service.ts)
 *   that keeps what the CLI posted and serves it back; the validation is the CLI's own.
 * - `--policy-pack-config <file>` given to `preview`, `up` or `policy analyze` with a local pack:
 *   the engine validates the file against the schemas the pack's policy server reports, before
 *   anything runs. Exercised with `pulumi policy analyze --file` of the foreign fixture's state.
 *
 * What the schemas cannot express (@pulumi/policy gives no way to forbid extra keys at a
 * policy's top level, and the CLI's validation only visits the pack's own policies) passes
 * `validate-config`. With a local pack, a setting the policy does not have is then reported by
 * the pack itself (policy/lib/settings.ts); a policy name the pack does not have stops the run
 * with an unclear message when it carries settings, and is ignored when it carries only a level
 * (the policy meant keeps its own level: a typo never relaxes a policy).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../support/offline";
import { type Engine, fileBackend, requirePulumi, type RunResult, runPulumi } from "./cli";
import { startAll } from "../support/start-all";
import { type PolicyService, startPolicyService } from "./policy-service";
import { installShippedPack, policyEvents } from "./shipped-pack";

const PRIVILEGED = "vault-policy-forbid-privileged-workload-paths";
const SHIPPED_CONFIGS = fs
  .readdirSync(PROJECT_DIR)
  .filter((f) => /^Pulumi\..+\.policy-config\.json$/.test(f))
  .sort();
const STATE = path.join(PROJECT_DIR, "test", "fixtures", "foreign-program", "cloud-state.insecure.json");
const VERSION = (
  JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policy", "package.json"), "utf8")) as { version: string }
).version;

/** Bad configs: each with the part of the message that must name what is wrong. */
const BAD = {
  wrongType: { [PRIVILEGED]: { exemptions: "platform-deployer" } },
  unknownKeyInExemption: {
    [PRIVILEGED]: { exemptions: [{ polcy: "platform-deployer", reason: "deploys" }] },
  },
  missingReason: { [PRIVILEGED]: { exemptions: [{ policy: "platform-deployer" }] } },
  badEnforcementLevel: { [PRIVILEGED]: "blocking" },
  badEnforcementLevelInObject: { [PRIVILEGED]: { enforcementLevel: "warn" } },
  badEnvironment: { "aws-kms-require-key-rotation": { environment: "production" } },
  belowMinimum: { "aws-kms-require-key-rotation": { maxKeyRotationDays: 30 } },
  unknownSetting: { [PRIVILEGED]: { exemption: [{ policy: "platform-deployer", reason: "deploys" }] } },
  unknownPolicy: { "vault-policy-forbid-privileged-workload-path": { exemptions: [] } },
  unknownPolicyLevel: { "aws-kms-require-key-rotations": "advisory" },
} as const;

describe("policy config files under the real CLI", function () {
  this.timeout(900_000);
  let engine: Engine;
  let root: string;
  let packDir: string;
  let service: PolicyService;
  let backend: ReturnType<typeof fileBackend>;
  let env: NodeJS.ProcessEnv;

  function pulumi(args: readonly string[], extra: Record<string, string> = {}): Promise<RunResult> {
    return runPulumi(engine, args, { cwd: root, env: { ...env, ...extra } });
  }

  /** One run of \`run\` per config the tests judge: each shipped file, and each bad one in a file of its own. */
  function runPerConfig(run: (file: string) => Promise<RunResult>): Record<string, () => Promise<RunResult>> {
    const files: Record<string, string> = {
      ...Object.fromEntries(SHIPPED_CONFIGS.map((f) => [f, path.join(PROJECT_DIR, f)])),
      ...Object.fromEntries(Object.entries(BAD).map(([name, config]) => [name, configFile(name, config)])),
    };
    return Object.fromEntries(Object.entries(files).map(([name, file]) => [name, () => run(file)]));
  }

  /** A config file in the temporary directory. */
  function configFile(name: string, config: unknown): string {
    const file = path.join(root, `${name}.policy-config.json`);
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    return file;
  }

  before(async function () {
    engine = requirePulumi(this);
    root = fs.mkdtempSync(path.join(os.tmpdir(), "sp-policy-config-"));
    packDir = (await installShippedPack()).dir;
    service = await startPolicyService();
    backend = fileBackend();
    // A PULUMI_HOME of its own: the login to the stand-in must not touch the engine's.
    const home = path.join(root, "pulumi-home");
    fs.mkdirSync(home);
    env = {
      ...process.env,
      ...engine.env,
      PULUMI_HOME: home,
      PULUMI_ACCESS_TOKEN: "pul-stand-in-token-for-tests",
      TMPDIR: root,
    };
  });

  after(async () => {
    await service?.close();
    backend?.remove();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  describe("pulumi policy validate-config (pack published with pulumi policy publish to a stand-in service)", () => {
    const cloud = () => ({ PULUMI_BACKEND_URL: service.url });
    const validate = (file: string) =>
      pulumi(
        ["policy", "validate-config", `${service.org}/secrets-platform`, VERSION, "--config", file],
        cloud(),
      );

    let validated: (name: string) => Promise<RunResult>;
    before(async () => {
      const login = await pulumi(["login", service.url], cloud());
      assert.equal(login.code, 0, login.stderr);
      const publish = await pulumi(["policy", "publish", service.org, "--cwd", packDir], cloud());
      assert.equal(publish.code, 0, publish.stdout + publish.stderr);
      validated = startAll(runPerConfig(validate));
    });

    it("publishes every policy with the config schema the pack declares", () => {
      const pack = service.published.get(`secrets-platform@${VERSION}`)!;
      assert.ok(pack, [...service.published.keys()].join(", "));
      const exemptions = pack.policies.find((p) => p.name === PRIVILEGED)!.configSchema as {
        type: string;
        properties: { exemptions: { items: { required: string[]; additionalProperties: boolean } } };
      };
      assert.equal(exemptions.type, "object");
      assert.deepEqual(exemptions.properties.exemptions.items.required, ["policy", "reason"]);
      assert.equal(exemptions.properties.exemptions.items.additionalProperties, false);
      assert.ok((service.uploads.get("secrets-platform") ?? 0) > 0);
    });

    for (const file of SHIPPED_CONFIGS)
      it(`accepts ${file}`, async () => {
        const result = await validated(file);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, new RegExp(`secrets-platform version ${VERSION} configuration is valid`));
      });

    const rejects: Array<[keyof typeof BAD, RegExp]> = [
      // The CLI prints the JSON-schema error's description only: it names the key for some
      // errors (additional property, required, enum) and not for others (type, minimum).
      ["wrongType", /policy pack configuration is invalid: Invalid type\. Expected: array, given: string/],
      ["unknownKeyInExemption", /Additional property polcy is not allowed/],
      ["missingReason", /reason is required/],
      [
        "badEnforcementLevel",
        new RegExp(
          `parsing enforcement level for "${PRIVILEGED}": "blocking" is not a valid enforcement level`,
        ),
      ],
      [
        "badEnforcementLevelInObject",
        new RegExp(`parsing enforcement level for "${PRIVILEGED}": "warn" is not a valid enforcement level`),
      ],
      ["badEnvironment", /environment must be one of the following: "dev", "staging", "prod"/],
      ["belowMinimum", /Must be greater than or equal to 90/],
    ];
    for (const [name, message] of rejects)
      it(`rejects ${name}`, async () => {
        const result = await validated(name);
        assert.notEqual(result.code, 0, result.stdout);
        assert.match(result.stderr, message);
      });

    it("accepts a setting the policy does not have, and a policy name the pack does not have (not expressible in the schema)", async () => {
      for (const name of ["unknownSetting", "unknownPolicy", "unknownPolicyLevel"] as const) {
        const result = await validated(name);
        assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      }
    });
  });

  describe("--policy-pack-config with the local pack (pulumi policy analyze)", () => {
    const analyze = (config: string) =>
      pulumi(
        [
          "policy",
          "analyze",
          "--policy-pack",
          packDir,
          "--policy-pack-config",
          config,
          "--file",
          STATE,
          "--json",
        ],
        { PULUMI_BACKEND_URL: backend.url },
      );
    let analysed: (name: string) => Promise<RunResult>;
    before(() => {
      analysed = startAll(runPerConfig(analyze));
    });

    for (const file of SHIPPED_CONFIGS)
      it(`accepts ${file} (the analysis runs)`, async () => {
        const result = await analysed(file);
        assert.doesNotMatch(result.stderr, /validating policy config|parsing enforcement level/);
        assert.ok(policyEvents(result.stdout).length > 0, result.stderr);
      });

    const rejects: Array<[keyof typeof BAD, RegExp]> = [
      [
        "wrongType",
        new RegExp(
          `validating policy config for "secrets-platform": ${PRIVILEGED}: exemptions: Invalid type\\. Expected: array, given: string`,
        ),
      ],
      [
        "unknownKeyInExemption",
        new RegExp(`${PRIVILEGED}: exemptions\\.0: Additional property polcy is not allowed`),
      ],
      ["missingReason", new RegExp(`${PRIVILEGED}: exemptions\\.0: reason is required`)],
      [
        "badEnforcementLevel",
        new RegExp(
          `parsing enforcement level for "${PRIVILEGED}": "blocking" is not a valid enforcement level`,
        ),
      ],
      [
        "badEnforcementLevelInObject",
        new RegExp(`parsing enforcement level for "${PRIVILEGED}": "warn" is not a valid enforcement level`),
      ],
      [
        "badEnvironment",
        /aws-kms-require-key-rotation: environment: environment must be one of the following: "dev", "staging", "prod"/,
      ],
      [
        "belowMinimum",
        /aws-kms-require-key-rotation: maxKeyRotationDays: Must be greater than or equal to 90/,
      ],
    ];
    for (const [name, message] of rejects)
      it(`rejects ${name} before analysing, naming the policy and the key`, async () => {
        const result = await analysed(name);
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, message);
        assert.deepEqual(policyEvents(result.stdout), []);
      });

    it("runs with a setting the policy does not have; the pack reports it as a violation naming the key", async () => {
      const result = await analysed("unknownSetting");
      assert.notEqual(result.code, 0);
      const notes = policyEvents(result.stdout).filter(
        (e) => e.policyName === PRIVILEGED && /is not a setting/.test(e.message),
      );
      assert.equal(notes.length, 1);
      assert.equal(notes[0].enforcementLevel, "mandatory");
      assert.match(
        notes[0].message,
        new RegExp(
          `policy config \`${PRIVILEGED}\\.exemption\` is not a setting of this policy, so it is ignored \\(its settings: exemptions, globAfterMount, globMinFixedSegments\\)`,
        ),
      );
    });

    it("stops at a policy name the pack does not have given settings, without naming it (the pack's configure fails)", async () => {
      const result = await analysed("unknownPolicy");
      assert.notEqual(result.code, 0);
      // The engine passes the entry on with an empty level, which @pulumi/policy 1.21 refuses.
      assert.match(result.stderr, /configuring policy pack "secrets-platform": invalid enforcement level ""/);
      assert.deepEqual(policyEvents(result.stdout), []);
    });

    it("ignores a policy name the pack does not have given only a level: the policy meant keeps its own level", async () => {
      const result = await analysed("unknownPolicyLevel");
      assert.notEqual(result.code, 0);
      const events = policyEvents(result.stdout);
      assert.ok(events.length > 0, result.stderr);
      assert.ok(events.every((e) => e.enforcementLevel === "mandatory"));
    });
  });
});
