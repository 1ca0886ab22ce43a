/**
 * Policy-pack measurements, each mode in a fresh process; prints one JSON line. (Requiring the
 * built policies alone is measured by bench.ts under plain `node`, without ts-node.)
 *   pack.ts server      time from spawning the Node runtime's `run-policy-pack` on `policy/`
 *                       (as the Pulumi CLI does) to its policy server listening
 *   pack.ts validate    per-resource validation cost on the prod stack's resources: the built
 *                       policies through the offline gate, and every resource through the real
 *                       policy server over gRPC (`Analyze`, what the CLI calls per resource)
 */
import * as path from "node:path";
import { evaluatePolicies } from "../offline/gate";
import { runPreview } from "../offline/preview";
import { PROJECT_DIR } from "../offline/shipped-stacks";
import { startPackServer } from "../pack-server";
import type { PlatformPolicy } from "../../policy/lib/policy";

const POLICY_DIR = path.join(PROJECT_DIR, "policy");
const BUILT_POLICIES = path.join(POLICY_DIR, "dist", "policies");
const GATE_ROUNDS = 5;

export interface PackServerStart {
  readonly mode: "server";
  readonly startMs: number;
  readonly policies: number;
}

export interface PackValidate {
  readonly mode: "validate";
  readonly resources: number;
  /** Built policies through the offline gate, every resource policy and stack policy. */
  readonly gateMsPerResource: number;
  /** `Analyze` over gRPC, one call per resource, resource policies only. */
  readonly serverMsPerResource: number;
  readonly serverStartMs: number;
  readonly violations: number;
}

async function measureServer(): Promise<PackServerStart> {
  const server = await startPackServer(POLICY_DIR);
  try {
    return { mode: "server", startMs: server.startMs, policies: (await server.policyNames()).length };
  } finally {
    await server.close();
  }
}

async function measureValidate(): Promise<PackValidate> {
  const preview = await runPreview({ stackFile: path.join(PROJECT_DIR, "Pulumi.prod.yaml") });
  const resources = preview.resources.filter((r) => r.custom);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { policies } = require(BUILT_POLICIES) as { policies: readonly PlatformPolicy[] };
  await evaluatePolicies(preview.resources, { environment: preview.environment, policies }); // warm-up
  const gateStarted = performance.now();
  let violations = 0;
  for (let i = 0; i < GATE_ROUNDS; i++)
    violations = (await evaluatePolicies(preview.resources, { environment: preview.environment, policies }))
      .length;
  const gateMs = (performance.now() - gateStarted) / GATE_ROUNDS;

  const server = await startPackServer(POLICY_DIR);
  try {
    // Inputs as JSON (what the engine serialises): no undefined fields.
    const requests = resources.map((r) => ({
      type: r.type,
      urn: r.urn,
      name: r.name,
      properties: JSON.parse(JSON.stringify(r.inputs)) as Record<string, unknown>,
      protect: r.opts.protect,
    }));
    await server.analyze(requests[0]); // warm-up
    const started = performance.now();
    for (const request of requests) await server.analyze(request);
    const serverMs = performance.now() - started;
    return {
      mode: "validate",
      resources: resources.length,
      gateMsPerResource: gateMs / resources.length,
      serverMsPerResource: serverMs / resources.length,
      serverStartMs: server.startMs,
      violations,
    };
  } finally {
    await server.close();
  }
}

async function main() {
  const mode = process.argv[2];
  const measurement =
    mode === "server" ? await measureServer() : mode === "validate" ? await measureValidate() : undefined;
  if (!measurement) throw new Error(`pack.ts: unknown mode ${String(mode)} (server, validate)`);
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
