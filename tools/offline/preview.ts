/**
 * The offline preview: the real program under the mock runtime, then the policy gate. Returns
 * a document shaped like `pulumi preview --json` plus `policyViolations[]`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InvalidInputError, readPolicyConfigFile } from "./inputs";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "./gate";
import { readStackCatalogSource } from "../../stacks/catalog-source";
import type { Environment } from "../../stacks/schema";
import { CatalogError } from "../../stacks/validate";
import { mockContextFromCatalog } from "./mocks/context";
import { type OfflineRun, runOffline } from "./runtime";
import { readStackConfig } from "./stack-config";
import type { PolicyViolation, RecordedResource } from "./types";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

export interface PreviewStep {
  readonly op: "create";
  readonly urn: string;
  readonly provider?: string;
  readonly newState: {
    readonly urn: string;
    readonly type: string;
    readonly custom: boolean;
    readonly parent?: string;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly dependencies: readonly string[];
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
  };
}

export interface PreviewDocument {
  readonly project: string;
  readonly stack: string;
  readonly steps: PreviewStep[];
  readonly changeSummary: Record<string, number>;
  readonly outputs: Record<string, unknown>;
  readonly policyViolations: PolicyViolation[];
}

export interface PreviewResult {
  readonly document: PreviewDocument;
  readonly resources: RecordedResource[];
  readonly environment: Environment;
  /** The policy config file the gate used by default (`Pulumi.<stack>.policy-config.json`), if any. */
  readonly policyConfigFile?: string;
  readonly timings: { readonly programMs: number; readonly gateMs: number };
}

export { InvalidInputError, readPolicyConfigFile };

export interface PreviewOptions {
  readonly stackFile: string;
  readonly stackName?: string;
  /**
   * Policy config shaped like `pulumi preview --policy-pack-config <file>`. When omitted, the
   * stack's own `Pulumi.<stack>.policy-config.json` beside its stack file applies, if present.
   */
  readonly policyConfig?: Record<string, unknown>;
  /** Keep stack traces of errors raised by the program (slower; for debugging a failure). */
  readonly stackTraces?: boolean;
  readonly onRegister?: (count: number) => void;
}

function loadProgram(): () => unknown {
  // index.ts uses `export =`: the module is the program function.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(PROJECT_DIR, "index"));
}

export function toSteps(resources: readonly RecordedResource[]): PreviewStep[] {
  return resources.map((r) => ({
    op: "create",
    urn: r.urn,
    provider: r.opts.provider,
    newState: {
      urn: r.urn,
      type: r.type,
      custom: r.custom,
      parent: r.parent,
      protect: r.opts.protect,
      retainOnDelete: r.opts.retainOnDelete,
      dependencies: r.opts.dependsOn,
      inputs: r.displayInputs,
      outputs: r.outputs,
    },
  }));
}

export async function runPreview(options: PreviewOptions): Promise<PreviewResult> {
  let stackConfig;
  try {
    stackConfig = readStackConfig(PROJECT_DIR, path.resolve(options.stackFile), options.stackName);
  } catch (err) {
    throw new InvalidInputError((err as Error).message);
  }
  // The catalog as the program will read it (from config or its catalogFile): only the mock
  // context's account ids come from it here; the program validates it and reports what is wrong.
  let rawCatalog: unknown;
  try {
    rawCatalog = readStackCatalogSource(stackConfig, PROJECT_DIR).raw;
  } catch (err) {
    if (err instanceof CatalogError) throw new InvalidInputError(err.message);
    throw err;
  }
  const started = performance.now();
  const run: OfflineRun = await runOffline({
    ...stackConfig,
    program: loadProgram(),
    mockContext: mockContextFromCatalog(rawCatalog),
    stackTraces: options.stackTraces,
    onRegister: options.onRegister,
  });
  const programMs = performance.now() - started;
  if (run.error) {
    if (run.error instanceof pulumi.RunError || run.error.name === "RunError")
      throw new InvalidInputError(run.error.message);
    throw run.error;
  }
  const environment = run.outputs.environment as Environment;
  const policyConfigFile = options.policyConfig ? undefined : stackPolicyConfigFile(options.stackFile);
  const gateStarted = performance.now();
  const policyViolations = await evaluatePolicies(run.resources, {
    environment,
    config: options.policyConfig ?? (policyConfigFile ? readPolicyConfigFile(policyConfigFile) : undefined),
  });
  const gateMs = performance.now() - gateStarted;
  const steps = toSteps(run.resources);
  return {
    document: {
      project: stackConfig.project,
      stack: stackConfig.stack,
      steps,
      changeSummary: { create: steps.length },
      outputs: run.outputs,
      policyViolations,
    },
    resources: run.resources,
    environment,
    policyConfigFile,
    timings: { programMs, gateMs },
  };
}

/**
 * The stack's policy config: `Pulumi.<stack>.policy-config.json` beside `Pulumi.<stack>.yaml`
 * (what `pulumi preview --policy-pack-config` is given for that stack), when the file exists.
 */
export function stackPolicyConfigFile(stackFile: string): string | undefined {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(stackFile));
  if (!match) return undefined;
  const file = path.join(path.dirname(path.resolve(stackFile)), `Pulumi.${match[1]}.policy-config.json`);
  return fs.existsSync(file) ? file : undefined;
}

export function hasMandatoryViolation(violations: readonly PolicyViolation[]): boolean {
  return violations.some((v) => v.enforcementLevel === "mandatory");
}
