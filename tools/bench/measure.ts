/**
 * One benchmark measurement, in a fresh process so peak RSS belongs to this run alone.
 *   measure.ts program <stack file> [floor file]   the real program + policy gate, offline;
 *                                     writes what the floor replays to [floor file]
 *   measure.ts baseline <count>       <count> plain resources, same mock runtime, nothing else
 *   measure.ts floor <floor file>     the same resources replayed with no derivation (floor.ts)
 * Both load the program's modules first, so module loading is excluded from both timings
 * and counted in both memory figures. Prints one JSON line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { criticalPathLength } from "../offline/graph";
import { PROJECT_DIR, runPreview } from "../offline/preview";
import { type OfflineRunOptions, runOffline } from "../offline/runtime";
import { type FloorResource, floorProgram, floorResources } from "./floor";

export interface Measurement {
  readonly mode: "program" | "baseline" | "floor";
  readonly resources: number;
  readonly wallMs: number;
  readonly gateMs: number;
  readonly maxRssMb: number;
  readonly depth: number;
}

async function measureProgram(stackFile: string, floorFile?: string): Promise<Measurement> {
  const started = performance.now();
  const result = await runPreview({ stackFile, stackName: "bench" });
  const wallMs = performance.now() - started;
  const measurement: Measurement = {
    mode: "program",
    resources: result.resources.filter((r) => r.custom).length,
    wallMs,
    gateMs: result.timings.gateMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    depth: criticalPathLength(result.resources),
  };
  // Written after the peak is read, so the floor's input does not count in the program's memory.
  if (floorFile) fs.writeFileSync(floorFile, JSON.stringify(floorResources(result.resources)));
  return measurement;
}

/** The plainest resource there is: a custom resource with one input and no provider logic. */
class PlainResource extends pulumi.CustomResource {
  constructor(name: string, index: number) {
    super("bench:index:Plain", name, { index });
  }
}

/** Runs a program alone under the offline runtime: the baseline and the floor. */
async function measureRun(
  mode: "baseline" | "floor",
  program: OfflineRunOptions["program"],
): Promise<Measurement> {
  const started = performance.now();
  const run = await runOffline({
    project: "secrets-platform",
    stack: mode,
    config: {},
    secretKeys: [],
    program,
  });
  const wallMs = performance.now() - started;
  if (run.error) throw run.error;
  return {
    mode,
    resources: run.resources.filter((r) => r.custom).length,
    wallMs,
    gateMs: 0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    depth: criticalPathLength(run.resources),
  };
}

function measureMode(mode: string, arg: string, extra?: string): Promise<Measurement> {
  if (mode === "baseline") {
    const count = Number(arg);
    return measureRun(mode, () => {
      for (let i = 0; i < count; i++) new PlainResource(`plain-${i}`, i);
    });
  }
  if (mode === "floor") {
    const recorded = JSON.parse(fs.readFileSync(arg, "utf8")) as FloorResource[];
    return measureRun(mode, floorProgram(recorded));
  }
  return measureProgram(arg, extra);
}

async function main() {
  const [mode, arg, extra] = process.argv.slice(2);
  require(path.join(PROJECT_DIR, "index")); // eslint-disable-line @typescript-eslint/no-require-imports
  const m = await measureMode(mode, arg, extra);
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
