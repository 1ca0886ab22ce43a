/**
 * One benchmark measurement, in a fresh process so peak RSS belongs to this run alone.
 *   measure.ts program <stack file>   the real program + policy gate, offline
 *   measure.ts baseline <count>       <count> plain resources, same mock runtime, nothing else
 * Both load the program's modules first, so module loading is excluded from both timings
 * and counted in both memory figures. Prints one JSON line.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { criticalPathLength } from "../offline/graph";
import { PROJECT_DIR, runPreview } from "../offline/preview";
import { runOffline } from "../offline/runtime";

export interface Measurement {
  readonly mode: "program" | "baseline";
  readonly resources: number;
  readonly wallMs: number;
  readonly gateMs: number;
  readonly maxRssMb: number;
  readonly depth: number;
}

async function measureProgram(stackFile: string): Promise<Measurement> {
  const started = performance.now();
  const result = await runPreview({ stackFile, stackName: "bench" });
  const wallMs = performance.now() - started;
  return {
    mode: "program",
    resources: result.resources.filter((r) => r.custom).length,
    wallMs,
    gateMs: result.timings.gateMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    depth: criticalPathLength(result.resources),
  };
}

/** The plainest resource there is: a custom resource with one input and no provider logic. */
class PlainResource extends pulumi.CustomResource {
  constructor(name: string, index: number) {
    super("bench:index:Plain", name, { index });
  }
}

async function measureBaseline(count: number): Promise<Measurement> {
  const started = performance.now();
  const run = await runOffline({
    project: "secrets-platform",
    stack: "baseline",
    config: {},
    secretKeys: [],
    program: () => {
      for (let i = 0; i < count; i++) new PlainResource(`plain-${i}`, i);
    },
  });
  const wallMs = performance.now() - started;
  if (run.error) throw run.error;
  return {
    mode: "baseline",
    resources: run.resources.filter((r) => r.custom).length,
    wallMs,
    gateMs: 0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    depth: criticalPathLength(run.resources),
  };
}

async function main() {
  const [mode, arg] = process.argv.slice(2);
  require(path.join(PROJECT_DIR, "index")); // eslint-disable-line @typescript-eslint/no-require-imports
  const m = mode === "baseline" ? await measureBaseline(Number(arg)) : await measureProgram(arg);
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
