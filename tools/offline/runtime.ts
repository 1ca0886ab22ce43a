/**
 * Runs a Pulumi program under Pulumi's own mock runtime and records every resource it
 * registers: type, parent, inputs (with secrets tracked), options and dependencies. This is
 * the offline preview's engine and the unit tests' harness.
 *
 * Config reaches the program exactly as the language host delivers it (`setAllConfig` with
 * the secret keys), and the program runs inside a root `pulumi:pulumi:Stack`, as under the
 * CLI, so URNs and parents look like a real preview's.
 */
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settingsModule from "@pulumi/pulumi/runtime/settings";
import * as stackRuntime from "@pulumi/pulumi/runtime/stack";
import { type MockContext, DEFAULT_MOCK_CONTEXT } from "./mocks/context";
import { createMocks } from "./mocks";
import type { RecordedResource } from "./types";

export interface OfflineRunOptions {
  readonly project: string;
  readonly stack: string;
  /** `"<namespace>:<key>"` → string, as the language host passes it. */
  readonly config: Record<string, string>;
  readonly secretKeys: readonly string[];
  /** The program: the default export of index.ts, or any function creating resources. */
  readonly program: () => unknown;
  readonly mockContext?: MockContext;
  /**
   * Keep stack traces of errors raised during the run. Off by default: the runtime captures a
   * stack for every promise it creates (Pulumi's leak detector), which dominated large runs.
   */
  readonly stackTraces?: boolean;
  /** Called after each registration; the preview uses it for progress. */
  readonly onRegister?: (count: number) => void;
}

export interface OfflineRun {
  readonly resources: RecordedResource[];
  readonly outputs: Record<string, unknown>;
  /** The program's failure, if it failed (a `pulumi.RunError` for invalid catalogs). */
  readonly error?: Error;
}

/** `waitForRPCs` drains the registration queue; exported by the SDK but typed as internal. */
const settings = settingsModule as typeof settingsModule & { waitForRPCs(): Promise<void> };

const SECRET_DISPLAY = "[secret]";
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Unwraps deserialized values, noting the paths (`a.b[0].c`) of those that were secrets. */
export function unwrapSecrets(
  value: unknown,
  path = "",
  secretPaths: string[] = [],
): { plain: unknown; secretPaths: string[] } {
  if (rpc.isRpcSecret(value)) {
    secretPaths.push(path);
    return { plain: unwrapSecrets(rpc.unwrapRpcSecret(value), path, []).plain, secretPaths };
  }
  if (Array.isArray(value)) {
    return { plain: value.map((v, i) => unwrapSecrets(v, `${path}[${i}]`, secretPaths).plain), secretPaths };
  }
  if (pulumi.Resource.isInstance(value)) return { plain: "[resource]", secretPaths };
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) {
    return { plain: "[asset]", secretPaths };
  }
  if (typeof value === "object" && value !== null) {
    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      plain[k] = unwrapSecrets(v, path ? `${path}.${k}` : k, secretPaths).plain;
    }
    return { plain, secretPaths };
  }
  return { plain: value, secretPaths };
}

/** Deserialized values as reports print them: secrets replaced by "[secret]". */
function forDisplay(value: unknown): Record<string, unknown> {
  const { plain, secretPaths } = unwrapSecrets(value);
  return redact(plain, new Set(secretPaths)) as Record<string, unknown>;
}

type Callback = (err: Error | null, response?: { getUrn(): string; getId(): string }) => void;

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getPropertydependenciesMap(): { forEach(fn: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getObject(): unknown;
}

/** Runs one program offline. Not re-entrant: one run at a time per process. */
export async function runOffline(options: OfflineRunOptions): Promise<OfflineRun> {
  pulumi.runtime.setAllConfig(options.config, [...options.secretKeys]);
  await pulumi.runtime.setMocks(
    createMocks(options.mockContext ?? DEFAULT_MOCK_CONTEXT),
    options.project,
    options.stack,
    true,
  );

  const resources: RecordedResource[] = [];
  const monitor = settings.getMonitor() as unknown as {
    registerResource: (req: RegisterRequest, cb: Callback) => Promise<void>;
    newUrn: (parent: string, type: string, name: string) => string;
  };
  monitor.newUrn = engineUrn;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response) {
        const raw = rpc.deserializeProperties(req.getObject() as never, true) as Record<string, unknown>;
        const { plain } = unwrapSecrets(raw);
        // Secret paths from the wire form: the SDK's deserializer marks a whole object secret
        // when one of its values is, while the engine keeps the secret on that value alone.
        const { secretPaths } = unwrapSecrets(
          (req.getObject() as { toJavaScript(): unknown }).toJavaScript(),
        );
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
          propertyDependencies[key] = deps.getUrnsList();
        });
        const urn = response.getUrn();
        resources.push(
          new LazyRecordedResource(
            {
              urn,
              type: req.getType(),
              name: req.getName(),
              custom: req.getCustom(),
              parent: req.getParent() || undefined,
              inputs: plain as Record<string, unknown>,
              secretPaths,
              id: req.getCustom() ? response.getId() : undefined,
              opts: {
                protect: req.getProtect(),
                retainOnDelete: req.getRetainondelete(),
                dependsOn: req.getDependenciesList(),
                ignoreChanges: req.getIgnorechangesList(),
                deleteBeforeReplace: req.getDeletebeforereplace(),
                propertyDependencies,
                provider: req.getProvider() || undefined,
              },
            },
            monitorState(monitor, urn),
          ),
        );
        options.onRegister?.(resources.length);
      }
      callback(err, response);
    });

  const rejections: Error[] = [];
  const onRejection = (reason: unknown) =>
    rejections.push(reason instanceof Error ? reason : new Error(String(reason)));
  process.on("unhandledRejection", onRejection);
  // Pulumi captures a full stack trace per resource for its source positions; under ts-node
  // each capture is source-mapped frame by frame, which cost 40% of a large preview. The
  // positions are engine metadata the offline run never shows, so capture them unmapped.
  // Error stacks are formatted when first read, so errors reported after the run stay mapped.
  const errorClass = Error as { prepareStackTrace?: typeof Error.prepareStackTrace };
  const prepareStackTrace = errorClass.prepareStackTrace;
  const stackTraceLimit = Error.stackTraceLimit;
  errorClass.prepareStackTrace = undefined;
  if (!options.stackTraces) Error.stackTraceLimit = 0;
  // `Resource.callsites` lifts the limit to Infinity and parses a whole stack per resource for
  // the same source positions (5% of a 400-workload preview's CPU); no callsites, no positions.
  const resourceClass = pulumi.Resource as unknown as { callsites: () => unknown[] };
  const callsites = resourceClass.callsites;
  resourceClass.callsites = () => [];
  try {
    const outputs = (await stackRuntime.runInPulumiStack(async () => options.program())) as
      Record<string, unknown> | undefined;
    await settings.waitForRPCs();
    const error = rejections[0];
    return {
      resources,
      outputs: forDisplay(outputs ?? {}),
      error,
    };
  } catch (err) {
    await settings.waitForRPCs().catch(() => undefined);
    return { resources, outputs: {}, error: err instanceof Error ? err : new Error(String(err)) };
  } finally {
    errorClass.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
    resourceClass.callsites = callsites;
    process.off("unhandledRejection", onRejection);
  }
}

/**
 * URNs as the engine builds them: the qualified type is the chain of ancestor types below
 * the root stack (the mock monitor would also prefix `pulumi:pulumi:Stack$`).
 */
function engineUrn(parent: string, type: string, name: string): string {
  const parentType = parent ? parent.split("::")[2] : undefined;
  const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

type RecordedFields = Omit<RecordedResource, "displayInputs" | "outputs">;

/**
 * Display inputs are derived on first use: the policy gate does not need them, and keeping a
 * second copy of every input grew memory faster than the graph. Outputs are read when the
 * resource registers: deserializing them later rehydrates resource references outside the
 * run, leaving promises the runtime reports as leaked.
 */
class LazyRecordedResource implements RecordedResource {
  readonly urn!: string;
  readonly type!: string;
  readonly name!: string;
  readonly custom!: boolean;
  readonly parent?: string;
  readonly inputs!: Record<string, unknown>;
  readonly secretPaths!: readonly string[];
  readonly id?: string;
  readonly opts!: RecordedResource["opts"];
  #display?: Record<string, unknown>;

  constructor(
    fields: RecordedFields,
    readonly outputs: Record<string, unknown>,
  ) {
    Object.assign(this, fields);
  }

  get displayInputs(): Record<string, unknown> {
    this.#display ??= redact(this.inputs, new Set(this.secretPaths)) as Record<string, unknown>;
    return this.#display;
  }

  toJSON(): RecordedResource {
    return { ...this, displayInputs: this.displayInputs, outputs: this.outputs };
  }
}

/** Replaces the values at the given secret paths (as `unwrapSecrets` names them) with "[secret]". */
function redact(value: unknown, secretPaths: ReadonlySet<string>, path = ""): unknown {
  if (secretPaths.size === 0) return value;
  if (secretPaths.has(path)) return SECRET_DISPLAY;
  if (Array.isArray(value)) return value.map((v, i) => redact(v, secretPaths, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redact(v, secretPaths, path ? `${path}.${k}` : k)]),
    );
  }
  return value;
}

/**
 * A resource's outputs as the mock monitor holds them: the mock's state for custom resources;
 * for components, once `registerOutputs` ran, the protobuf Struct it received.
 */
function monitorState(monitor: unknown, urn: string): Record<string, unknown> {
  const registered = (monitor as { resources: Map<string, { state: unknown }> }).resources.get(urn);
  if (!registered) return {};
  const state = registered.state as { toJavaScript?: unknown };
  return forDisplay(
    typeof state.toJavaScript === "function"
      ? rpc.deserializeProperties(state as never, true)
      : rpc.deserializeProperty(state, true),
  );
}
