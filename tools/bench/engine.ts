/**
 * The real engine in the benchmark: `pulumi preview` and `pulumi up` of the `local` stack with
 * n synthetic workloads (each a KV secret: its policy and Kubernetes role), against a dev-mode
 * Vault, beside a bare program that registers the same number of `random` resources through
 * the same CLI, language host and TypeScript settings. Time is wall time of the `pulumi`
 * command; peak memory is the largest resident set of it or any process it waited for
 * (GNU time's %M: the CLI, the language host running the program, a provider), not their sum.
 * Databases are left out of the synthetic catalog so that `up` needs only Vault.
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
  readonly seconds: number;
  readonly maxRssMb: number;
}

export interface EngineRow {
  readonly workloads: number;
  readonly resources: number;
  readonly preview: EngineRun;
  readonly up: EngineRun;
  readonly barePreview: EngineRun;
  readonly bareUp: EngineRun;
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

/** `pulumi <args>` under GNU time: wall seconds and the peak resident set. */
function timed(project: Project, args: readonly string[]): EngineRun {
  const report = path.join(project.tmp, "time.txt");
  execFileSync(
    "/usr/bin/time",
    ["-f", "%e %M", "-o", report, project.engine.pulumi, "--non-interactive", ...args],
    {
      cwd: project.dir,
      env: project.runEnv(),
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const [seconds, kb] = fs.readFileSync(report, "utf8").trim().split(/\s+/).map(Number);
  return { seconds, maxRssMb: kb / 1024 };
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

/** The bare program: `count` RandomStrings, nothing else, in a project of its own. */
function bareProject(engine: Engine, backendUrl: string, count: number): Project {
  const project = Project.create(engine, backendUrl, "bench-bare");
  project.write(
    "Pulumi.yaml",
    YAML.stringify({
      name: "bare",
      runtime: { name: "nodejs", options: { typescript: true, tsconfig: "tsconfig.pulumi.json" } },
    }),
  );
  project.write(
    "index.ts",
    `import * as random from "@pulumi/random";\nfor (let i = 0; i < ${count}; i++) new random.RandomString(\`r\${i}\`, { length: 12, special: false });\n`,
  );
  return project;
}

function engineSetupSeconds(): number {
  const started = performance.now();
  execFileSync("bash", [path.join(__dirname, "..", "..", "scripts", "engine-env.sh")], { stdio: "ignore" });
  return (performance.now() - started) / 1000;
}

export async function benchEngine(sizes: readonly number[]): Promise<EngineBench | undefined> {
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
    process.stderr.write(`bench: engine, ${workloads} workloads...\n`);
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-bench-vault-"));
    const server = await startVault(workDir);
    const backend = fileBackend();
    const local = Project.create(engine, backend.url, `bench-${workloads}`);
    let bare: Project | undefined;
    try {
      const stack = YAML.parse(local.read("Pulumi.local.yaml")) as { config: Record<string, unknown> };
      stack.config = { "secrets-platform:catalog": localCatalog(workloads, server.root.address) };
      local.write("Pulumi.local.yaml", YAML.stringify(stack));
      pulumi(local, ["stack", "init", "local"]);
      const { auth } = await server.root.write("auth/token/create", { ttl: "2h" });
      pulumi(local, ["config", "set", "--secret", "vaultToken"], auth!.client_token);
      const preview = timed(local, ["preview", "--stack", "local"]);
      const up = timed(local, ["up", "--yes", "--stack", "local"]);
      const resources = (
        JSON.parse(pulumi(local, ["stack", "export", "--stack", "local"])) as {
          deployment: { resources: unknown[] };
        }
      ).deployment.resources.length;
      bare = bareProject(engine, backend.url, resources);
      pulumi(bare, ["stack", "init", "bare"]);
      const barePreview = timed(bare, ["preview", "--stack", "bare"]);
      const bareUp = timed(bare, ["up", "--yes", "--stack", "bare"]);
      rows.push({ workloads, resources, preview, up, barePreview, bareUp });
    } finally {
      await server.stop();
      local.remove();
      bare?.remove();
      backend.remove();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  return { rows, setupCachedSeconds };
}

export function engineTable(bench: EngineBench): string {
  const f = (n: number) => n.toFixed(2);
  const header =
    "| workloads | resources | preview s | bare preview s | preview time ratio (target ≤ 1.2) | preview peak MB | bare MB | mem ratio | up s | bare up s | up time ratio | up peak MB | bare up MB |";
  const rule = `|${"---|".repeat(13)}`;
  const body = bench.rows.map((r) =>
    [
      r.workloads,
      r.resources,
      f(r.preview.seconds),
      f(r.barePreview.seconds),
      f(r.preview.seconds / r.barePreview.seconds),
      r.preview.maxRssMb.toFixed(0),
      r.barePreview.maxRssMb.toFixed(0),
      f(r.preview.maxRssMb / r.barePreview.maxRssMb),
      f(r.up.seconds),
      f(r.bareUp.seconds),
      f(r.up.seconds / r.bareUp.seconds),
      r.up.maxRssMb.toFixed(0),
      r.bareUp.maxRssMb.toFixed(0),
    ].join(" | "),
  );
  return [
    header,
    rule,
    ...body.map((b) => `| ${b} |`),
    "",
    `engine set-up (scripts/engine-env.sh) with every binary cached: ${f(bench.setupCachedSeconds)} s`,
  ].join("\n");
}
