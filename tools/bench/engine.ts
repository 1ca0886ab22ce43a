/**
 * The real engine in the benchmark: `pulumi preview` and `pulumi up` of the `local` stack with
 * n synthetic workloads (each a KV secret: its policy and Kubernetes role), against a dev-mode
 * Vault, beside a bare program that registers the same number of `random` resources through
 * the same CLI, language host and TypeScript settings. Time is wall time of the `pulumi`
 * command; peak memory is the largest resident set of it or any process it waited for
 * (GNU time's %M: the CLI, the language host running the program, a provider), not their sum.
 * Databases are left out of the synthetic catalog so that `up` needs only Vault. Also `destroy`,
 * the bare program with the program's Vault provider (the plugin's start-up, which any program
 * using it pays), and the program's preview with the real policy pack and with a bare one.
 * The program and its bare counterparts run in turns, round by round (roundsAt: three rounds at
 * the small sizes, the median reported), so a change in the machine's load lands on both.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import type { CatalogInput } from "../../stacks/schema";
import { type Engine, engine as findEngine, fileBackend, Project } from "../../test/engine/cli";
import { startVault, VAULT_BINARY } from "../../test/integration/vault/live/server";

export interface EngineRun {
  /** One run's figures, or the medians of several (EngineRow.rounds). */
  readonly seconds: number;
  readonly maxRssMb: number;
  /** The command's exit code (a policy pack's mandatory violation makes it non-zero). */
  readonly code?: number;
}

export interface EngineRow {
  readonly workloads: number;
  readonly resources: number;
  /**
   * Where the stack's catalog was: in config (`secrets-platform:catalog`), or, for a size whose
   * catalog would make PULUMI_CONFIG too long for Linux, in a file of the project (`catalogFile`).
   */
  readonly catalog: "config" | "catalogFile";
  /** PULUMI_CONFIG's length with the catalog in config (what decides between the two). */
  readonly inlineConfigBytes: number;
  /** How many runs each preview, up and destroy figure is the median of (roundsAt). */
  readonly rounds: Rounds;
  readonly preview: EngineRun;
  readonly up: EngineRun;
  readonly destroy: EngineRun;
  readonly barePreview: EngineRun;
  readonly bareUp: EngineRun;
  readonly bareDestroy: EngineRun;
  /**
   * The bare program plus the providers the program registers (one Vault provider, configured
   * as the program's): what the provider plugins' own start-up costs any program using them.
   */
  readonly bareProvidersPreview: EngineRun;
  /**
   * The same previews as `preview`/`barePreview` with `PULUMI_SKIP_CHECKPOINTS=true`, as the
   * pull-request preview runs them (scripts/ci/preview-redacted.sh): without the engine's
   * per-step snapshot, which a preview discards (docs/cost.md).
   */
  readonly skipCheckpointsPreview: EngineRun;
  readonly bareSkipCheckpointsPreview: EngineRun;
  /** `pulumi preview` of the program (after `up`: nothing to change) with the real pack, `policy/`. */
  readonly packPreview: EngineRun;
  /** The same with a bare pack: `new PolicyPack("bare", { policies: [] })`. */
  readonly barePackPreview: EngineRun;
}

export interface EngineBench {
  readonly rows: readonly EngineRow[];
  /** scripts/engine-env.sh with every binary cached (the cold build is reported by CI's log). */
  readonly setupCachedSeconds: number;
}

function localCatalog(workloads: number, vaultAddress: string): CatalogInput {
  return {
    environment: "dev",
    prefix: "bench",
    kubernetes: {
      clusters: [
        {
          name: "local",
          oidcIssuerUrl: "https://kubernetes.default.svc.cluster.local",
          apiServer: { url: "https://127.0.0.1:6443" },
        },
      ],
    },
    vault: { deploy: false, address: vaultAddress, tokenConfigKey: "vaultToken" },
    workloads: Array.from({ length: workloads }, (_, i) => ({
      name: `app-${i}`,
      namespace: `team-${i % 20}`,
      serviceAccount: `app-${i}`,
      cluster: "local",
      secrets: [{ name: "settings", source: "vault-kv" as const, path: `bench/w${i}/settings` }],
    })),
  };
}

/**
 * Runs per measurement at a size. One quick run at 10 workloads moved by ±15 % between runs on
 * this 2-core machine, so the sizes where a run takes seconds, to 200 workloads, take the median
 * of three (at 200 one round of destroy came out 1.30× and 1.37× in two runs of 2026-12-08,
 * across the target; three rounds of up and destroy there add about two minutes); 1,000
 * workloads (tens of minutes per round) run once.
 */
export interface Rounds {
  /** Previews of the program, the bare program and the bare program with the Vault provider. */
  readonly previews: number;
  /** `up` and `destroy` of the program and of the bare program. */
  readonly updates: number;
}

export function roundsAt(workloads: number): Rounds {
  return workloads <= 200 ? { previews: 3, updates: 3 } : { previews: 1, updates: 1 };
}

const SINGLE_ROUND: Rounds = { previews: 1, updates: 1 };

/** The middle value; of an even count, the mean of the two in the middle. */
export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The median time and the median peak memory of runs of one command. */
export function medianRun(runs: readonly EngineRun[]): EngineRun {
  if (runs.length === 0) throw new Error("bench: no run to take the median of");
  return {
    seconds: median(runs.map((r) => r.seconds)),
    maxRssMb: median(runs.map((r) => r.maxRssMb)),
    code: runs.find((r) => r.code)?.code ?? runs[0].code,
  };
}

/** Resources of a stack's plan (root stack and providers included), from an untimed preview. */
function previewedResources(project: Project): number {
  const plan = JSON.parse(pulumi(project, ["preview", "--json", "--stack", "local"])) as {
    steps?: Array<{ op: string }>;
  };
  const steps = plan.steps ?? [];
  if (steps.some((s) => s.op !== "create"))
    throw new Error("bench: the stack was not empty before the bench");
  return steps.length;
}

/** What pull-request previews add to `pulumi preview` (scripts/ci/preview-redacted.sh). */
const SKIP_CHECKPOINTS = { PULUMI_SKIP_CHECKPOINTS: "true" };

/** `pulumi <args>` under GNU time: wall seconds and the peak resident set. */
function timed(
  project: Project,
  args: readonly string[],
  allowFailure = false,
  env: Readonly<Record<string, string>> = {},
): EngineRun {
  const report = path.join(project.tmp, "time.txt");
  let code = 0;
  try {
    execFileSync(
      "/usr/bin/time",
      ["-f", "%e %M", "-o", report, project.engine.pulumi, "--non-interactive", ...args],
      {
        cwd: project.dir,
        env: project.runEnv(env),
        stdio: ["ignore", "pipe", allowFailure ? "pipe" : "inherit"],
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (err) {
    const failed = err as { status?: number; stdout?: Buffer; stderr?: Buffer };
    code = failed.status ?? -1;
    if (!allowFailure)
      throw new Error(
        `pulumi ${args.join(" ")} exited ${code}\n${String(failed.stdout ?? "").slice(-4000)}${String(failed.stderr ?? "").slice(-2000)}`,
      );
  }
  // GNU time writes its report after a failing command too, with a "Command exited" line first.
  const lines = fs.readFileSync(report, "utf8").trim().split("\n");
  const [seconds, kb] = lines[lines.length - 1].trim().split(/\s+/).map(Number);
  return { seconds, maxRssMb: kb / 1024, code };
}

function pulumi(project: Project, args: readonly string[], input?: string): string {
  return execFileSync(project.engine.pulumi, ["--non-interactive", ...args], {
    cwd: project.dir,
    env: project.runEnv(),
    input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * The bare program: `count` RandomStrings, nothing else, in a project of its own. With
 * `vaultAddress`, also a Vault provider configured as the program's (token from the secret
 * config key `vaultToken`), so the engine starts and configures the same provider plugin.
 */
function bareProject(engine: Engine, backendUrl: string, count: number, vaultAddress?: string): Project {
  const project = Project.create(engine, backendUrl, vaultAddress ? "bench-bare-providers" : "bench-bare");
  project.write(
    "Pulumi.yaml",
    YAML.stringify({
      name: vaultAddress ? "bare-providers" : "bare",
      runtime: { name: "nodejs", options: { typescript: true, tsconfig: "tsconfig.pulumi.json" } },
    }),
  );
  const provider = vaultAddress
    ? [
        `import * as pulumi from "@pulumi/pulumi";`,
        `import * as vault from "@pulumi/vault";`,
        `new vault.Provider("vault", { address: ${JSON.stringify(vaultAddress)}, token: new pulumi.Config().requireSecret("vaultToken"), skipTlsVerify: false, skipChildToken: true });`,
      ]
    : [];
  project.write(
    "index.ts",
    [
      `import * as random from "@pulumi/random";`,
      ...provider,
      `for (let i = 0; i < ${count - (vaultAddress ? 1 : 0)}; i++) new random.RandomString(\`r\${i}\`, { length: 12, special: false });`,
      "",
    ].join("\n"),
  );
  return project;
}

/** The bare policy pack: the same runtime and SDK as `policy/`, no policies. */
function barePack(project: Project): string {
  project.write("bare-pack/PulumiPolicy.yaml", "runtime: nodejs\n");
  project.write(
    "bare-pack/package.json",
    `${JSON.stringify({ name: "bare-pack", version: "0.0.0", main: "index.js" })}\n`,
  );
  project.write(
    "bare-pack/index.js",
    'const { PolicyPack } = require("@pulumi/policy");\nnew PolicyPack("bare", { policies: [] });\n',
  );
  fs.symlinkSync(
    path.join(project.dir, "policy", "node_modules"),
    path.join(project.dir, "bare-pack", "node_modules"),
  );
  return path.join(project.dir, "bare-pack");
}

function engineSetupSeconds(): number {
  const started = performance.now();
  execFileSync("bash", [path.join(__dirname, "..", "..", "scripts", "engine-env.sh")], { stdio: "ignore" });
  return (performance.now() - started) / 1000;
}

/**
 * The Node language host hands the program its whole config in one environment variable,
 * PULUMI_CONFIG (JSON; the catalog is a JSON string inside it), and Linux refuses to start a
 * process with any single variable over MAX_ARG_STRLEN, 128 KiB ("argument list too long"). A
 * size whose catalog would pass that (1,000 workloads: 196,677 bytes) keeps its catalog in a file
 * of the project instead, named by `catalogFile` (docs/catalog.md, A catalog in its own file).
 */
export const MAX_ARG_STRLEN = 128 * 1024;
/** Where a size too large for config keeps its catalog, relative to the project. */
const CATALOG_FILE = "catalogs/bench.yaml";

export function pulumiConfigBytes(workloads: number): number {
  const config = {
    "secrets-platform:catalog": JSON.stringify(localCatalog(workloads, "http://127.0.0.1:8200")),
    "secrets-platform:vaultToken": "x".repeat(95),
  };
  return Buffer.byteLength(`PULUMI_CONFIG=${JSON.stringify(config)}`);
}

/** `single`: one round at every size (the quick bench in CI, where time is short). */
export async function benchEngine(
  sizes: readonly number[],
  options: { readonly single?: boolean } = {},
): Promise<EngineBench | undefined> {
  const engine = findEngine();
  if (!engine || !fs.existsSync(VAULT_BINARY)) {
    process.stderr.write(
      "bench: no Pulumi engine or Vault binary; run scripts/integration-env.sh for the engine rows\n",
    );
    return undefined;
  }
  const setupCachedSeconds = engineSetupSeconds();
  const rows: EngineRow[] = [];
  for (const workloads of sizes) {
    const inlineConfigBytes = pulumiConfigBytes(workloads);
    const catalog = inlineConfigBytes > MAX_ARG_STRLEN ? "catalogFile" : "config";
    process.stderr.write(
      `bench: engine, ${workloads} workloads${catalog === "catalogFile" ? ` (catalog in ${CATALOG_FILE}: in config PULUMI_CONFIG would be ${inlineConfigBytes} bytes)` : ""}...\n`,
    );
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-bench-vault-"));
    const server = await startVault(workDir);
    const backend = fileBackend();
    const local = Project.create(engine, backend.url, `bench-${workloads}`);
    let bare: Project | undefined;
    let bareProviders: Project | undefined;
    try {
      const stack = YAML.parse(local.read("Pulumi.local.yaml")) as { config: Record<string, unknown> };
      const input = localCatalog(workloads, server.root.address);
      if (catalog === "catalogFile") {
        local.write(CATALOG_FILE, YAML.stringify(input));
        stack.config = { "secrets-platform:catalogFile": CATALOG_FILE };
      } else {
        stack.config = { "secrets-platform:catalog": input };
      }
      local.write("Pulumi.local.yaml", YAML.stringify(stack));
      pulumi(local, ["stack", "init", "local"]);
      const { auth } = await server.root.write("auth/token/create", { ttl: "2h" });
      const token = auth!.client_token;
      pulumi(local, ["config", "set", "--secret", "vaultToken"], token);
      // An untimed preview first: it counts the resources the bare programs get, and warms the
      // page cache with the program's modules, which the first timed run would otherwise pay.
      const resources = previewedResources(local);
      bare = bareProject(engine, backend.url, resources);
      pulumi(bare, ["stack", "init", "bare"]);
      bareProviders = bareProject(engine, backend.url, resources, server.root.address);
      pulumi(bareProviders, ["stack", "init", "bare-providers"]);
      pulumi(bareProviders, ["config", "set", "--secret", "vaultToken"], token);
      const rounds = options.single ? SINGLE_ROUND : roundsAt(workloads);
      pulumi(bare, ["preview", "--stack", "bare"]); // its warm-up, as the program had
      // Each round runs the program and its bare counterparts in turn, so a change in the
      // machine's load lands on both; each figure is the median of its rounds.
      const previews = {
        program: [] as EngineRun[],
        bare: [] as EngineRun[],
        bareProviders: [] as EngineRun[],
        programSkip: [] as EngineRun[],
        bareSkip: [] as EngineRun[],
      };
      for (let round = 0; round < rounds.previews; round++) {
        previews.program.push(timed(local, ["preview", "--stack", "local"]));
        previews.bare.push(timed(bare, ["preview", "--stack", "bare"]));
        previews.bareProviders.push(timed(bareProviders, ["preview", "--stack", "bare-providers"]));
        previews.programSkip.push(timed(local, ["preview", "--stack", "local"], false, SKIP_CHECKPOINTS));
        previews.bareSkip.push(timed(bare, ["preview", "--stack", "bare"], false, SKIP_CHECKPOINTS));
      }
      const updates = {
        up: [] as EngineRun[],
        bareUp: [] as EngineRun[],
        destroy: [] as EngineRun[],
        bareDestroy: [] as EngineRun[],
      };
      for (let round = 0; round < rounds.updates; round++) {
        updates.up.push(timed(local, ["up", "--yes", "--stack", "local"]));
        updates.bareUp.push(timed(bare, ["up", "--yes", "--stack", "bare"]));
        if (round === rounds.updates - 1) break; // the last round's destroy comes after the pack
        updates.destroy.push(timed(local, ["destroy", "--yes", "--stack", "local"]));
        updates.bareDestroy.push(timed(bare, ["destroy", "--yes", "--stack", "bare"]));
      }
      const deployed = (
        JSON.parse(pulumi(local, ["stack", "export", "--stack", "local"])) as {
          deployment: { resources: unknown[] };
        }
      ).deployment.resources.length;
      if (deployed !== resources)
        throw new Error(
          `bench: the preview counted ${resources} resources, up left ${deployed} in the state`,
        );
      // The policy pack under the real CLI: the program's preview (nothing to change after `up`)
      // with the real pack and with a bare one; the difference is the pack's start and its
      // per-resource validation. Violations (the pack's config names the shipped local stack's
      // roles) make the exit non-zero without shortening the run: the time stands either way.
      const packConfig = ["--policy-pack-config", "Pulumi.local.policy-config.json"];
      const packPreview = timed(
        local,
        ["preview", "--stack", "local", "--policy-pack", "policy", ...packConfig],
        true,
      );
      const barePackPreview = timed(local, ["preview", "--stack", "local", "--policy-pack", barePack(local)]);
      updates.destroy.push(timed(local, ["destroy", "--yes", "--stack", "local"]));
      updates.bareDestroy.push(timed(bare, ["destroy", "--yes", "--stack", "bare"]));
      rows.push({
        workloads,
        resources,
        catalog,
        inlineConfigBytes,
        rounds,
        preview: medianRun(previews.program),
        up: medianRun(updates.up),
        destroy: medianRun(updates.destroy),
        barePreview: medianRun(previews.bare),
        bareUp: medianRun(updates.bareUp),
        bareDestroy: medianRun(updates.bareDestroy),
        bareProvidersPreview: medianRun(previews.bareProviders),
        skipCheckpointsPreview: medianRun(previews.programSkip),
        bareSkipCheckpointsPreview: medianRun(previews.bareSkip),
        packPreview,
        barePackPreview,
      });
    } finally {
      await server.stop();
      local.remove();
      bare?.remove();
      bareProviders?.remove();
      backend.remove();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  return { rows, setupCachedSeconds };
}

export function engineTable(bench: EngineBench): string {
  const f = (n: number) => n.toFixed(2);
  const ratio = (a: EngineRun, b: EngineRun) => f(a.seconds / b.seconds);
  const mem = (a: EngineRun, b: EngineRun) => f(a.maxRssMb / b.maxRssMb);
  const header =
    "| workloads | resources | rounds (previews, up/destroy) | preview s (bare) | preview time ratio (≤ 1.2) | preview peak MB (bare) | preview mem ratio (≤ 1.2) | ms/resource (bare) | up s (bare) | up time ratio (≤ 1.3) | up mem ratio | destroy s (bare) | destroy time ratio (≤ 1.3) | bare + Vault provider preview s | preview / bare + provider | pack preview s (bare pack) | pack − bare pack s | pack ms/resource | PR preview s, PULUMI_SKIP_CHECKPOINTS (bare) | PR preview ratio |";
  const rule = `|${"---|".repeat(20)}`;
  const body = bench.rows.map((r) =>
    [
      r.workloads,
      r.resources,
      `${r.rounds.previews}, ${r.rounds.updates}`,
      `${f(r.preview.seconds)} (${f(r.barePreview.seconds)})`,
      ratio(r.preview, r.barePreview),
      `${r.preview.maxRssMb.toFixed(0)} (${r.barePreview.maxRssMb.toFixed(0)})`,
      mem(r.preview, r.barePreview),
      `${((r.preview.seconds * 1000) / r.resources).toFixed(1)} (${((r.barePreview.seconds * 1000) / r.resources).toFixed(1)})`,
      `${f(r.up.seconds)} (${f(r.bareUp.seconds)})`,
      ratio(r.up, r.bareUp),
      mem(r.up, r.bareUp),
      `${f(r.destroy.seconds)} (${f(r.bareDestroy.seconds)})`,
      ratio(r.destroy, r.bareDestroy),
      f(r.bareProvidersPreview.seconds),
      ratio(r.preview, r.bareProvidersPreview),
      `${f(r.packPreview.seconds)} (${f(r.barePackPreview.seconds)})${r.packPreview.code ? ` exit ${r.packPreview.code}` : ""}`,
      f(r.packPreview.seconds - r.barePackPreview.seconds),
      (((r.packPreview.seconds - r.barePackPreview.seconds) * 1000) / r.resources).toFixed(1),
      `${f(r.skipCheckpointsPreview.seconds)} (${f(r.bareSkipCheckpointsPreview.seconds)})`,
      ratio(r.skipCheckpointsPreview, r.bareSkipCheckpointsPreview),
    ].join(" | "),
  );
  return [
    header,
    rule,
    ...body.map((b) => `| ${b} |`),
    "",
    `engine set-up (scripts/engine-env.sh) with every binary cached: ${f(bench.setupCachedSeconds)} s`,
    ...bench.rows
      .filter((r) => r.catalog === "catalogFile")
      .map(
        (r) =>
          `${r.workloads} workloads: catalog in a file (catalogFile ${CATALOG_FILE}): in config, PULUMI_CONFIG would be ${r.inlineConfigBytes} bytes, over Linux's ${MAX_ARG_STRLEN} per variable`,
      ),
  ].join("\n");
}

/** Growth from the smallest size to each larger one: the marginal cost per added resource. */
export function engineGrowth(bench: EngineBench): string[] {
  const first = bench.rows[0];
  return bench.rows.slice(1).map((r) => {
    const added = r.resources - first.resources;
    const per = (a: number, b: number) => ((a - b) / added).toFixed(2);
    return `growth ${first.workloads}->${r.workloads} workloads, per added resource: preview ${per(r.preview.seconds * 1000, first.preview.seconds * 1000)} ms (bare ${per(r.barePreview.seconds * 1000, first.barePreview.seconds * 1000)}), up ${per(r.up.seconds * 1000, first.up.seconds * 1000)} ms (bare ${per(r.bareUp.seconds * 1000, first.bareUp.seconds * 1000)}), preview peak ${per(r.preview.maxRssMb * 1024, first.preview.maxRssMb * 1024)} KB (bare ${per(r.barePreview.maxRssMb * 1024, first.barePreview.maxRssMb * 1024)})`;
  });
}
