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

/** Splits deserialized inputs into plain values, display values and the paths of secrets. */
export function unwrapSecrets(
  value: unknown,
  path = "",
  secretPaths: string[] = [],
): { plain: unknown; display: unknown; secretPaths: string[] } {
  if (rpc.isRpcSecret(value)) {
    secretPaths.push(path);
    const inner = unwrapSecrets(rpc.unwrapRpcSecret(value), path, []);
    return { plain: inner.plain, display: SECRET_DISPLAY, secretPaths };
  }
  if (Array.isArray(value)) {
    const parts = value.map((v, i) => unwrapSecrets(v, `${path}[${i}]`, secretPaths));
    return { plain: parts.map((p) => p.plain), display: parts.map((p) => p.display), secretPaths };
  }
  if (pulumi.Resource.isInstance(value)) {
    return { plain: "[resource]", display: "[resource]", secretPaths };
  }
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) {
    return { plain: "[asset]", display: "[asset]", secretPaths };
  }
  if (typeof value === "object" && value !== null) {
    const plain: Record<string, unknown> = {};
    const display: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const part = unwrapSecrets(v, path ? `${path}.${k}` : k, secretPaths);
      plain[k] = part.plain;
      display[k] = part.display;
    }
    return { plain, display, secretPaths };
  }
  return { plain: value, display: value, secretPaths };
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
        const { plain, display, secretPaths } = unwrapSecrets(raw);
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
          propertyDependencies[key] = deps.getUrnsList();
        });
        const state = monitorState(monitor, response.getUrn());
        resources.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent() || undefined,
          inputs: plain as Record<string, unknown>,
          displayInputs: display as Record<string, unknown>,
          secretPaths,
          outputs: state,
          id: req.getCustom() ? response.getId() : undefined,
          opts: {
            protect: req.getProtect(),
            retainOnDelete: req.getRetainondelete(),
            dependsOn: req.getDependenciesList(),
            propertyDependencies,
            provider: req.getProvider() || undefined,
          },
        });
        options.onRegister?.(resources.length);
      }
      callback(err, response);
    });

  const rejections: Error[] = [];
  const onRejection = (reason: unknown) =>
    rejections.push(reason instanceof Error ? reason : new Error(String(reason)));
  process.on("unhandledRejection", onRejection);
  try {
    const outputs = (await stackRuntime.runInPulumiStack(async () => options.program())) as
      Record<string, unknown> | undefined;
    await settings.waitForRPCs();
    const error = rejections[0];
    return {
      resources,
      outputs: (unwrapSecrets(outputs ?? {}).display as Record<string, unknown>) ?? {},
      error,
    };
  } catch (err) {
    await settings.waitForRPCs().catch(() => undefined);
    return { resources, outputs: {}, error: err instanceof Error ? err : new Error(String(err)) };
  } finally {
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

function monitorState(monitor: unknown, urn: string): Record<string, unknown> {
  const registered = (monitor as { resources: Map<string, { state: unknown }> }).resources.get(urn);
  if (!registered) return {};
  const state = rpc.deserializeProperty(registered.state, true) as Record<string, unknown>;
  return unwrapSecrets(state).display as Record<string, unknown>;
}
