/**
 * npm run bench [-- --quick] [-- --engine-sizes 10,50]
 *
 * For synthetic catalogs of 10, 50, 200 and 400 workloads (--quick: 10 only) measures, each in a
 * fresh process: offline-preview wall time, peak RSS, resource count, the critical-path
 * length of the dependency graph and the policy-gate time; and the baseline of the same
 * number of plain resources under the same mock runtime. Also the floor (bench/floor.ts): the
 * same resources replayed through the same SDK classes with no derivation, which tells our
 * code's cost from Pulumi's per-property machinery. Then the policy pack as the CLI runs it
 * (tools/bench/pack.ts): start time of the built pack (`policy/dist`) — requiring its policies
 * in a fresh `node`, and the Node runtime's `run-policy-pack` until its policy server listens
 * (target: at most 5 s on 2 cores) — and the validation cost per resource of the prod stack.
 * Then the real engine (tools/bench/engine.ts, when scripts/engine-env.sh has built it):
 * `pulumi preview`/`up`/`destroy` of the `local` stack with 10, 50, 200 and 1,000 workloads
 * (1,000 with its catalog in a file, catalogFile: see ENGINE_SIZES; --quick: 10) against a bare program of
 * as many `random` resources, and the policy pack under the real CLI against a bare pack.
 * Issue 26's targets are printed one line per ratio (`ratio: ...`, met or missed). Writes
 * .bench/results.json and .bench/results.md; the last line printed is the summary.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as YAML from "yaml";
import { syntheticCatalog } from "./bench/synthetic-catalog";
import type { Measurement } from "./bench/measure";
import type { PackServerStart, PackValidate } from "./bench/pack";
import {
  benchEngine,
  type EngineBench,
  type EngineRow,
  engineGrowth,
  engineTable,
  median,
} from "./bench/engine";
import { PROJECT_DIR, shippedStackDocument } from "./offline/shipped-stacks";

const SIZES = [10, 50, 200, 400];
/**
 * Workloads of the `local` stack under the real engine (--quick: the first only). In config, the
 * catalog of 1,000 would make PULUMI_CONFIG 196,677 bytes, more than Linux lets the language host
 * pass in one variable (about 660 fit), so that size keeps its catalog in a file of the bench's
 * project, named by `catalogFile` (tools/bench/engine.ts); the smaller sizes keep it in config.
 */
const ENGINE_SIZES = [10, 50, 200, 1000];
const OUT_DIR = path.join(PROJECT_DIR, ".bench");

interface Row {
  readonly workloads: number;
  readonly program: Measurement;
  readonly baseline: Measurement;
  readonly floor: Measurement;
  readonly timeRatio: number;
  readonly memRatio: number;
  readonly gateShare: number;
  readonly msPerResource: number;
  readonly floorTimeRatio: number;
  readonly floorMemRatio: number;
  /** Offline preview and gate together over the floor (issue 26's target: ≤ 1.1). */
  readonly floorGateTimeRatio: number;
}

function measure(...args: string[]): Measurement {
  const out = execFileSync(
    process.execPath,
    [
      "--max-old-space-size=8192",
      require.resolve("ts-node/dist/bin"),
      "--transpile-only",
      path.join(__dirname, "bench", "measure.ts"),
      ...args,
    ],
    { cwd: PROJECT_DIR, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out.trim().split("\n").pop()!) as Measurement;
}

/** Pack start target on 2 cores (issue 18). */
const PACK_START_TARGET_MS = 5000;
const PACK_START_RUNS = 3;

interface PackRequire {
  /** The `require` call alone. */
  readonly requireMs: number;
  /** From the process's start (Node's own start-up included) to the policies loaded. */
  readonly processMs: number;
  readonly policies: number;
}

interface PackRow {
  /** Medians of PACK_START_RUNS fresh processes. */
  readonly require: PackRequire;
  readonly server: PackServerStart;
  readonly validate: PackValidate;
}

function runJson<T>(args: readonly string[]): T {
  const out = execFileSync(process.execPath, args, {
    cwd: PROJECT_DIR,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split("\n").pop()!) as T;
}

/** Plain `node` (no ts-node): what requiring the built pack costs by itself. */
function measurePackRequire(): PackRequire {
  const built = path.join(PROJECT_DIR, "policy", "dist", "policies");
  const script = `const started = performance.now();
const { policies } = require(${JSON.stringify(built)});
const ended = performance.now();
console.log(JSON.stringify({ requireMs: ended - started, processMs: ended, policies: policies.length }));`;
  return runJson<PackRequire>(["-e", script]);
}

function measurePack<T>(mode: "server" | "validate"): T {
  return runJson<T>([
    require.resolve("ts-node/dist/bin"),
    "--transpile-only",
    path.join(__dirname, "bench", "pack.ts"),
    mode,
  ]);
}

function packMeasurements(): PackRow {
  const requires = Array.from({ length: PACK_START_RUNS }, measurePackRequire);
  const servers = Array.from({ length: PACK_START_RUNS }, () => measurePack<PackServerStart>("server"));
  const byRequire = median(requires.map((r) => r.processMs));
  const byServer = median(servers.map((r) => r.startMs));
  return {
    require: requires.find((r) => r.processMs === byRequire)!,
    server: servers.find((r) => r.startMs === byServer)!,
    validate: measurePack<PackValidate>("validate"),
  };
}

function packTable(pack: PackRow): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return [
    "| policy pack (built JS, policy/dist) | value |",
    "|---|---|",
    `| policies | ${pack.require.policies} |`,
    `| require policies, fresh node: require / process s | ${s(pack.require.requireMs)} / ${s(pack.require.processMs)} |`,
    `| pack start under run-policy-pack until serving, s (target ≤ ${s(PACK_START_TARGET_MS)}) | ${s(pack.server.startMs)} |`,
    `| prod stack resources validated | ${pack.validate.resources} |`,
    `| validation per resource, gate (resource + stack policies), ms | ${pack.validate.gateMsPerResource.toFixed(3)} |`,
    `| validation per resource, policy server over gRPC (Analyze), ms | ${pack.validate.serverMsPerResource.toFixed(3)} |`,
  ].join("\n");
}

function writeStackFile(dir: string, workloads: number): string {
  const doc = shippedStackDocument("prod");
  doc.config["secrets-platform:catalog"] = syntheticCatalog(workloads);
  const file = path.join(dir, `Pulumi.bench-${workloads}.yaml`);
  fs.writeFileSync(file, YAML.stringify(doc));
  return file;
}

function table(rows: readonly Row[]): string {
  const header =
    "| workloads | resources | preview s | baseline s | time ratio | peak RSS MB | baseline MB | mem ratio | critical path | gate s | gate share | ms/resource | floor s | floor MB | time w/o gate / floor | time with gate / floor | mem / floor |";
  const rule = `|${"---|".repeat(17)}`;
  const body = rows.map((r) =>
    [
      r.workloads,
      r.program.resources,
      (r.program.wallMs / 1000).toFixed(2),
      (r.baseline.wallMs / 1000).toFixed(2),
      r.timeRatio.toFixed(2),
      r.program.maxRssMb.toFixed(0),
      r.baseline.maxRssMb.toFixed(0),
      r.memRatio.toFixed(2),
      r.program.depth,
      (r.program.gateMs / 1000).toFixed(2),
      `${(r.gateShare * 100).toFixed(1)}%`,
      r.msPerResource.toFixed(2),
      (r.floor.wallMs / 1000).toFixed(2),
      r.floor.maxRssMb.toFixed(0),
      r.floorTimeRatio.toFixed(2),
      r.floorGateTimeRatio.toFixed(2),
      r.floorMemRatio.toFixed(2),
    ].join(" | "),
  );
  return [header, rule, ...body.map((b) => `| ${b} |`)].join("\n");
}

function engineSummary(engine: Awaited<ReturnType<typeof benchEngine>>): string {
  const last = engine?.rows[engine.rows.length - 1];
  if (!last) return "";
  return ` engine_workloads=${last.workloads} engine_preview_ratio=${(last.preview.seconds / last.barePreview.seconds).toFixed(2)} engine_up_ratio=${(last.up.seconds / last.bareUp.seconds).toFixed(2)}`;
}

/** Issue 26's targets, one line per ratio, each marked met or missed. */
function ratioLines(rows: readonly Row[], pack: PackRow, engine: EngineBench | undefined): string[] {
  const line = (what: string, value: number, target: number, unit = "×") =>
    `ratio: ${what}: ${value.toFixed(2)}${unit} (target ≤ ${target}${unit}) ${value <= target ? "met" : "MISSED"}`;
  const lines: string[] = [];
  const engineRows = engine?.rows ?? [];
  // Issue 26's pack target is on its start; the per-resource cost is reported. At the smallest
  // size the difference is the start plus that size's few resources: an upper bound on it.
  const packDiff = (row: EngineRow) => row.packPreview.seconds - row.barePackPreview.seconds;
  const first = engineRows[0];
  for (const r of engineRows) {
    const w = `${r.workloads} workloads`;
    lines.push(line(`pulumi preview time / bare, ${w}`, r.preview.seconds / r.barePreview.seconds, 1.2));
    lines.push(
      line(`pulumi preview peak memory / bare, ${w}`, r.preview.maxRssMb / r.barePreview.maxRssMb, 1.2),
    );
    lines.push(
      line(
        `pulumi preview time / bare with PULUMI_SKIP_CHECKPOINTS=true (how pull-request previews run), ${w}`,
        r.skipCheckpointsPreview.seconds / r.bareSkipCheckpointsPreview.seconds,
        1.2,
      ),
    );
    lines.push(line(`pulumi up time / bare, ${w}`, r.up.seconds / r.bareUp.seconds, 1.3));
    lines.push(line(`pulumi up peak memory / bare, ${w}`, r.up.maxRssMb / r.bareUp.maxRssMb, 1.3));
    lines.push(line(`pulumi destroy time / bare, ${w}`, r.destroy.seconds / r.bareDestroy.seconds, 1.3));
    lines.push(
      line(
        `pulumi preview time / bare with the Vault provider, ${w} (no target: the plugin's share)`,
        r.preview.seconds / r.bareProvidersPreview.seconds,
        1.2,
      ),
    );
    if (r === first)
      lines.push(
        line(
          `policy pack start under the CLI (preview with policy/ − with a bare pack, ${w}, ${r.resources} resources' validation included)`,
          packDiff(r),
          1.5,
          " s",
        ),
      );
    else
      lines.push(
        `ratio: policy pack under the CLI, ${w}: +${packDiff(r).toFixed(2)} s over a bare pack, ${(((packDiff(r) - packDiff(first)) * 1000) / (r.resources - first.resources)).toFixed(1)} ms per resource added since ${first.workloads} workloads (reported, no target)`,
      );
  }
  for (const r of rows)
    if (r.workloads === 400 || rows.length === 1) {
      lines.push(
        line(`offline preview + gate time / floor, ${r.workloads} workloads`, r.floorGateTimeRatio, 1.1),
      );
      lines.push(
        line(`offline preview + gate peak memory / floor, ${r.workloads} workloads`, r.floorMemRatio, 1.1),
      );
    }
  lines.push(
    `ratio: policy pack start under run-policy-pack: ${(pack.server.startMs / 1000).toFixed(2)} s; per resource over gRPC ${pack.validate.serverMsPerResource.toFixed(3)} ms`,
  );
  if (engine) lines.push(...engineGrowth(engine));
  return lines;
}

async function main() {
  const { values } = parseArgs({
    options: { quick: { type: "boolean", default: false }, "engine-sizes": { type: "string" } },
  });
  const sizes = values.quick ? SIZES.slice(0, 1) : SIZES;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-bench-"));
  const rows: Row[] = [];
  for (const workloads of sizes) {
    process.stderr.write(`bench: ${workloads} workloads...\n`);
    const floorFile = path.join(dir, `floor-${workloads}.json`);
    const program = measure("program", writeStackFile(dir, workloads), floorFile);
    const baseline = measure("baseline", String(program.resources));
    const floor = measure("floor", floorFile);
    if (floor.resources !== program.resources)
      throw new Error(`bench: the floor replayed ${floor.resources} of ${program.resources} resources`);
    rows.push({
      workloads,
      program,
      baseline,
      floor,
      timeRatio: program.wallMs / baseline.wallMs,
      memRatio: program.maxRssMb / baseline.maxRssMb,
      gateShare: program.gateMs / program.wallMs,
      msPerResource: program.wallMs / program.resources,
      floorTimeRatio: (program.wallMs - program.gateMs) / floor.wallMs,
      floorMemRatio: program.maxRssMb / floor.maxRssMb,
      floorGateTimeRatio: program.wallMs / floor.wallMs,
    });
  }
  process.stderr.write("bench: policy pack...\n");
  const pack = packMeasurements();
  const engineSizes = values["engine-sizes"]
    ? values["engine-sizes"].split(",").map(Number)
    : values.quick
      ? ENGINE_SIZES.slice(0, 1)
      : ENGINE_SIZES;
  // --quick (CI): one round per measurement, to keep CI short; its ratios move by about ±0.15.
  const engine = await benchEngine(engineSizes, { single: values.quick });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(OUT_DIR, "results.json"),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, rows, pack, engine }, null, 2)}\n`,
  );
  const markdown = [
    table(rows),
    packTable(pack),
    ...(engine ? [engineTable(engine)] : []),
    ratioLines(rows, pack, engine).join("\n"),
  ].join("\n\n");
  fs.writeFileSync(path.join(OUT_DIR, "results.md"), `${markdown}\n`);
  const last = rows[rows.length - 1];
  console.log(markdown);
  console.log(
    `bench: workloads=${last.workloads} time_ratio=${last.timeRatio.toFixed(2)} mem_ratio=${last.memRatio.toFixed(2)} depth=${last.program.depth} gate_share=${last.gateShare.toFixed(3)} pack_start_s=${(pack.server.startMs / 1000).toFixed(2)} pack_ms_per_resource=${pack.validate.serverMsPerResource.toFixed(3)}${engineSummary(engine)}`,
  );
  if (pack.server.startMs > PACK_START_TARGET_MS)
    process.stderr.write(
      `bench: pack start ${(pack.server.startMs / 1000).toFixed(2)} s exceeds the 5 s target\n`,
    );
}

main().catch((err: Error) => {
  process.stderr.write(`bench: ${err.stack ?? String(err)}\n`);
  process.exit(1);
});
