/**
 * The library as other teams use it, under the real engine. `npm pack` of library/ makes one
 * tarball; three programs written like another team's (test/fixtures/library-consumer*: their
 * own Pulumi.yaml and stack) consume it:
 * - TypeScript: the npm package installed from the tarball (`file:` dependency, npm offline);
 * - YAML and Python: the Pulumi component package, the tarball unpacked into the program's
 *   `secrets-platform/` and named under `packages:`; the Node host runs it and the schema is
 *   inferred from its declarations (Python: `pulumi install` generates `pulumi_secrets_platform`).
 * Each deploys the same workload access (VaultWorkloadAccess, and the team's KV secret from a
 * random password) and the same database credentials (VaultDatabaseCredentials: SELECT and
 * INSERT on one table) with a Vault token scoped to the team's own names, against its own Vault
 * dev server whose Kubernetes auth reviews logins with the real API server and whose database
 * engine (set up here as the platform team would) reaches a fresh database on the integration
 * PostgreSQL: `preview` with the shipped pack gives no verdict, `up`, the workload logs in with
 * a TokenRequest token of its service account and reads its secret (nothing else; another
 * audience is refused), logs in with the database role, reads a credential, may SELECT and
 * INSERT on the granted table and nothing more (UPDATE, DELETE, the other table, DDL refused by
 * PostgreSQL), and its login is dropped when its token (and so its lease) is revoked; `preview
 * --expect-no-changes`, `destroy` leaves nothing in Vault, and a credential still leased at
 * destroy is dropped when revoked afterwards (Vault keeps the revocation SQL in the lease).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { missingEngine, requireEngine } from "../integration/engines";
import { requireVault, startVault, type VaultServer } from "../integration/vault/live/server";
import { PROJECT_DIR } from "../support/offline";
import { type Engine, fileBackend, requirePulumi, type RunResult, runPulumi } from "./cli";
import { requireKube, type Kube } from "./kube";
import {
  type AccessOutputs,
  assertAccessRemoved,
  assertDatabaseCredentials,
  assertLoginDropped,
  assertWorkloadAccess,
  DB_CONNECTION,
  DB_MOUNT,
  expectedOutputs,
  type IssuedCredential,
  installComponentPackage,
  installProgram,
  packLibrary,
  platformDatabase,
  type PlatformDatabase,
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
    let database: PlatformDatabase | undefined;
    /** Logins Vault issued, dropped at the end if a failure left any. */
    const issued: string[] = [];
    let stillLeased: IssuedCredential;
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
      const pg = await requireEngine(this, "postgresql");
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
      database = await platformDatabase(vault.root, pg, platform.namespace);
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
      await pulumi(["config", "set", "dbMount", DB_MOUNT, "--stack", STACK]);
      await pulumi(["config", "set", "dbConnection", DB_CONNECTION, "--stack", STACK]);
    });

    after(async () => {
      if (applied) await pulumi(["destroy", "--yes", "--stack", STACK]).catch((e) => console.warn(String(e)));
      await vault?.stop();
      await database?.remove(issued).catch((e) => console.warn(String(e)));
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
      assert.match(run.stdout, /secrets-platform:index:VaultDatabaseCredentials/);
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

    it("the workload reads database credentials that may SELECT and INSERT on the granted table only; revoking its token drops the login", async () => {
      stillLeased = await assertDatabaseCredentials(kube, vault!.root, platform!, database!, outputs, issued);
    });

    it("a second preview with the pack finds no changes", async () => {
      await pulumi(["preview", "--expect-no-changes", ...withPack()]);
    });

    it("destroy removes the policies and roles; a credential leased before is dropped when its lease is revoked", async () => {
      await pulumi(["destroy", "--yes", "--stack", STACK]);
      applied = false;
      await assertAccessRemoved(vault!.root, outputs);
      assert.equal(await database!.loginExists(stillLeased.username), true, "destroy revokes no lease");
      // The workload's token outlives the destroy (its TTL); revoking it, as the workload does on
      // shutdown (or its expiry), revokes the lease with the SQL Vault stored in it.
      await stillLeased.token.write("auth/token/revoke-self");
      await assertLoginDropped(database!, stillLeased.username);
    });
  });
}
