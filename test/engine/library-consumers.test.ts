/**
 * The library as other teams use it, under the real engine. `npm pack` of library/ makes one
 * tarball; three programs written like another team's (test/fixtures/library-consumer*: their
 * own Pulumi.yaml and stack) consume it:
 * - TypeScript: the npm package installed from the tarball (`file:` dependency, npm offline);
 * - YAML and Python: the Pulumi component package, the tarball unpacked into the program's
 *   `secrets-platform/` and named under `packages:`; the Node host runs it and the schema is
 *   inferred from its declarations (Python: `pulumi install` generates `pulumi_secrets_platform`).
 * Each deploys the same workload access (VaultWorkloadAccess, and the team's KV secret from a
 * random password) with a Vault token scoped to the team's own names, against its own Vault dev
 * server whose Kubernetes auth reviews logins with the real API server: `preview` with the
 * shipped pack gives no verdict, `up`, the workload logs in with a TokenRequest token of its
 * service account and reads its secret (nothing else; another audience is refused), `preview
 * --expect-no-changes`, `destroy` leaves nothing in Vault.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { missingEngine } from "../integration/engines";
import { requireVault, startVault, type VaultServer } from "../integration/vault/live/server";
import { PROJECT_DIR } from "../support/offline";
import { type Engine, fileBackend, requirePulumi, type RunResult, runPulumi } from "./cli";
import { requireKube, type Kube } from "./kube";
import {
  type AccessOutputs,
  assertAccessRemoved,
  assertWorkloadAccess,
  expectedOutputs,
  installComponentPackage,
  installProgram,
  packLibrary,
  platformSide,
  type PlatformSide,
} from "./library";
import { installShippedPack, policyEvents, verdictLines } from "./shipped-pack";

interface Consumer {
  readonly language: string;
  readonly fixture: string;
  /** How the team installs the packed library into its program. */
  readonly install: (programDir: string, tarball: string) => Promise<unknown>;
  /** Language host binaries the engine directory must hold (scripts/engine-env.sh). */
  readonly hosts: readonly string[];
  /** `pulumi` steps the team runs after installing, before `stack init`. */
  readonly prepare: readonly (readonly string[])[];
}

const CONSUMERS: readonly Consumer[] = [
  {
    language: "TypeScript (npm library)",
    fixture: "library-consumer",
    install: installProgram,
    hosts: ["pulumi-language-nodejs"],
    prepare: [],
  },
  {
    language: "YAML (component package)",
    fixture: "library-consumer-yaml",
    install: installComponentPackage,
    hosts: ["pulumi-language-yaml"],
    prepare: [],
  },
  {
    language: "Python (component package)",
    fixture: "library-consumer-python",
    install: installComponentPackage,
    hosts: ["pulumi-language-python", "pulumi-language-python-exec"],
    // The virtualenv with requirements.txt, and the component package's generated SDK in it.
    prepare: [["install"]],
  },
];

const STACK = "team";

for (const consumer of CONSUMERS) {
  describe(`the library from a ${consumer.language} program, under the real engine`, function () {
    this.timeout(1_800_000);
    let engine: Engine;
    let kube: Kube;
    let root: string;
    let programDir: string;
    let packDir: string;
    let vault: VaultServer | undefined;
    let platform: PlatformSide | undefined;
    let backend: ReturnType<typeof fileBackend> | undefined;
    let runEnv: NodeJS.ProcessEnv;
    let applied = false;
    let outputs: AccessOutputs;

    async function pulumi(args: readonly string[]): Promise<RunResult> {
      const result = await runPulumi(engine, args, { cwd: programDir, env: runEnv });
      if (result.code !== 0)
        throw new Error(
          `pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
        );
      return result;
    }
    const withPack = () => ["--stack", STACK, "--policy-pack", packDir];

    before(async function () {
      engine = requirePulumi(this);
      const hostDir = path.dirname(engine.pulumi);
      for (const host of consumer.hosts) {
        if (!fs.existsSync(path.join(hostDir, host)))
          missingEngine(this, `${host} is not built; run scripts/engine-env.sh`);
      }
      requireVault(this);
      kube = await requireKube(this);
      root = fs.mkdtempSync(path.join(os.tmpdir(), "sp-library-"));
      programDir = path.join(root, consumer.fixture);
      fs.cpSync(path.join(PROJECT_DIR, "test", "fixtures", consumer.fixture), programDir, {
        recursive: true,
      });
      const started = Date.now();
      const packed = await packLibrary(root);
      await consumer.install(programDir, packed.tarball);
      console.log(
        `    npm pack: ${(packed.bytes / 1024).toFixed(1)} KiB in ${packed.seconds.toFixed(1)} s; installed in ${((Date.now() - started) / 1000 - packed.seconds).toFixed(1)} s`,
      );
      packDir = (await installShippedPack()).dir;

      vault = await startVault(root);
      platform = await platformSide(kube, vault.root, "orders", "orders-api");
      backend = fileBackend();
      runEnv = {
        ...process.env,
        ...engine.env,
        PULUMI_BACKEND_URL: backend.url,
        TMPDIR: root,
        VAULT_ADDR: vault.root.address,
        VAULT_TOKEN: platform.teamToken,
        PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true",
      };
      for (const step of consumer.prepare) await pulumi(step);
      await pulumi(["stack", "init", STACK]);
      await pulumi(["config", "set", "namespace", platform.namespace, "--stack", STACK]);
      await pulumi(["config", "set", "serviceAccount", platform.serviceAccount, "--stack", STACK]);
    });

    after(async () => {
      if (applied) await pulumi(["destroy", "--yes", "--stack", STACK]).catch((e) => console.warn(String(e)));
      await vault?.stop();
      await platform?.remove();
      backend?.remove();
      if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    if (consumer.install === installProgram) {
      it("resolves only the entries of the package's exports map", () => {
        const installed = path.join(programDir, "node_modules", "secrets-platform");
        const resolve = (spec: string) => require.resolve(spec, { paths: [programDir] });
        assert.equal(
          resolve("secrets-platform/vault-workload-access"),
          path.join(installed, "dist/library/src/vault-workload-access.js"),
        );
        assert.throws(
          () => resolve("secrets-platform/dist/components/vault/workload-access.js"),
          /ERR_PACKAGE_PATH_NOT_EXPORTED|not defined by "exports"/,
        );
      });
    }

    it("preview with the shipped pack: the component is planned, no policy verdict at all", async () => {
      const run = await pulumi(["preview", ...withPack(), "--json"]);
      assert.deepEqual(verdictLines(policyEvents(run.stdout)), []);
      assert.match(run.stdout, /secrets-platform:index:VaultWorkloadAccess/);
    });

    it("up with the pack creates the access and the team's secret; the outputs are the component's", async () => {
      applied = true;
      await pulumi(["up", "--yes", ...withPack()]);
      outputs = JSON.parse(
        (await pulumi(["stack", "output", "--json", "--stack", STACK])).stdout,
      ) as AccessOutputs;
      assert.deepEqual(outputs, expectedOutputs(platform!));
    });

    it("the workload logs in with a TokenRequest token of its service account and reads its secret, nothing else", async () => {
      const password = await assertWorkloadAccess(kube, vault!.root, platform!, outputs);
      const state = (await pulumi(["stack", "export", "--stack", STACK])).stdout;
      assert.ok(!state.includes(password), "the generated password is in the state in plain text");
    });

    it("a second preview with the pack finds no changes", async () => {
      await pulumi(["preview", "--expect-no-changes", ...withPack()]);
    });

    it("destroy removes the policy and the role", async () => {
      await pulumi(["destroy", "--yes", "--stack", STACK]);
      applied = false;
      await assertAccessRemoved(vault!.root, outputs);
    });
  });
}
