/**
 * Starts a policy pack the way the Pulumi CLI's Node language host does, and talks to it over
 * the analyzer gRPC protocol: `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack
 * <engine> <pack>` in the pack's directory (the runtime registers ts-node, then requires the
 * pack's `package.json` `main`), which prints the port of the policy server it starts.
 *
 * Used by the stand-alone pack test (the pack copied out of the repository) and by the bench
 * (pack start time). The gRPC client and message classes are the ones of the `@pulumi/pulumi`
 * the pack resolves, so client and server speak the same protocol version.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";

/** The `google.protobuf.Struct` wrapper: JSON in, protobuf out. */
interface StructClass {
  fromJavaScript(value: Record<string, unknown>): unknown;
}
interface Message {
  [method: string]: (...args: never[]) => unknown;
}
type MessageClass = new () => Message;
type Unary = (request: unknown, callback: (err: Error | null, response: Message) => void) => void;

export interface PackDiagnostic {
  readonly policyName: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "disabled" | "remediate";
  readonly message: string;
  readonly urn: string;
}

export interface AnalyzeInput {
  readonly type: string;
  readonly urn: string;
  readonly name?: string;
  readonly properties: Record<string, unknown>;
  readonly protect?: boolean;
}

export interface PackServer {
  /** Milliseconds from spawning the process to the port appearing on its stdout. */
  readonly startMs: number;
  readonly port: number;
  readonly pid: number;
  /** Names of the policies the pack serves (`GetAnalyzerInfo`). */
  policyNames(): Promise<string[]>;
  /** `Configure`: policy name → config properties (as `--policy-pack-config` would set them). */
  configure(config: Readonly<Record<string, Record<string, unknown>>>): Promise<void>;
  /** `Analyze`: one resource's inputs through every resource policy. */
  analyze(resource: AnalyzeInput): Promise<PackDiagnostic[]>;
  /** `AnalyzeStack`: every resource's outputs through every stack policy, as at the end of a preview. */
  analyzeStack(resources: readonly AnalyzeInput[]): Promise<PackDiagnostic[]>;
  /** Stops the pack's process (only it: by its pid). */
  close(): Promise<void>;
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

/** The modules of the `@pulumi/pulumi` that `packDir` resolves, loaded from there. */
function pulumiModules(packDir: string) {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] }));
  const load = (request: string) =>
    require(require.resolve(request, { paths: [pulumiDir] })) as Record<string, unknown>; // eslint-disable-line @typescript-eslint/no-require-imports
  const grpc = load("@grpc/grpc-js") as {
    credentials: { createInsecure(): unknown };
  };
  const services = load(path.join(pulumiDir, "proto", "analyzer_grpc_pb")) as {
    AnalyzerClient: new (address: string, credentials: unknown) => Record<string, Unary> & { close(): void };
  };
  const messages = load(path.join(pulumiDir, "proto", "analyzer_pb")) as Record<string, MessageClass>;
  const empty = load("google-protobuf/google/protobuf/empty_pb") as { Empty: MessageClass };
  const struct = load("google-protobuf/google/protobuf/struct_pb") as { Struct: StructClass };
  return {
    runPolicyPack: path.join(pulumiDir, "cmd", "run-policy-pack"),
    grpc,
    services,
    messages,
    empty,
    struct,
  };
}

function call(client: Record<string, Unary>, method: string, request: unknown): Promise<Message> {
  return new Promise((resolve, reject) =>
    client[method].call(client, request, (err, response) => (err ? reject(err) : resolve(response))),
  );
}

/** Reads the first line of the child's stdout: the port. Rejects if the child exits first. */
function waitForPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(
      () => reject(new Error(`policy pack did not print its port within ${timeoutMs} ms\n${stderr}`)),
      timeoutMs,
    );
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(\d+)\s*$/m.exec(stdout);
      if (line) {
        clearTimeout(timer);
        resolve(Number(line[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`policy pack exited with ${code} before serving\n${stdout}\n${stderr}`));
    });
  });
}

function diagnostics(response: Message): PackDiagnostic[] {
  return (response.getDiagnosticsList() as Message[]).map((d) => ({
    policyName: d.getPolicyname() as string,
    enforcementLevel: LEVELS[d.getEnforcementlevel() as number],
    message: d.getMessage() as string,
    urn: d.getUrn() as string,
  }));
}

/** Starts the pack in `packDir` under the Node runtime's `run-policy-pack`. */
export async function startPackServer(packDir: string, timeoutMs = 120_000): Promise<PackServer> {
  const m = pulumiModules(packDir);
  const started = performance.now();
  const child = spawn(process.execPath, [m.runPolicyPack, "127.0.0.1:0", "."], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "1" },
  });
  let port: number;
  try {
    port = await waitForPort(child, timeoutMs);
  } catch (err) {
    child.kill();
    throw err;
  }
  const startMs = performance.now() - started;
  const client = new m.services.AnalyzerClient(`127.0.0.1:${port}`, m.grpc.credentials.createInsecure());
  const { messages } = m;
  return {
    startMs,
    port,
    pid: child.pid!,
    async policyNames() {
      const info = await call(client, "getAnalyzerInfo", new m.empty.Empty());
      return (info.getPoliciesList() as Message[]).map((p) => p.getName() as string);
    },
    async configure(config) {
      const request = new messages.ConfigureAnalyzerRequest();
      const map = request.getPolicyconfigMap() as unknown as { set(key: string, value: unknown): void };
      for (const [name, properties] of Object.entries(config)) {
        const policyConfig = new messages.PolicyConfig();
        (policyConfig.setEnforcementlevel as (v: number) => void)(LEVELS.indexOf("mandatory"));
        (policyConfig.setProperties as (v: unknown) => void)(m.struct.Struct.fromJavaScript(properties));
        map.set(name, policyConfig);
      }
      await call(client, "configure", request);
    },
    async analyze(resource) {
      const request = new messages.AnalyzeRequest();
      const options = new messages.AnalyzerResourceOptions();
      (options.setProtect as (v: boolean) => void)(resource.protect ?? false);
      (request.setType as (v: string) => void)(resource.type);
      (request.setUrn as (v: string) => void)(resource.urn);
      (request.setName as (v: string) => void)(resource.name ?? resource.urn.split("::").pop()!);
      (request.setProperties as (v: unknown) => void)(m.struct.Struct.fromJavaScript(resource.properties));
      (request.setOptions as (v: unknown) => void)(options);
      return diagnostics(await call(client, "analyze", request));
    },
    async analyzeStack(resources) {
      const request = new messages.AnalyzeStackRequest();
      const list = resources.map((resource) => {
        const r = new messages.AnalyzerResource();
        const options = new messages.AnalyzerResourceOptions();
        (options.setProtect as (v: boolean) => void)(resource.protect ?? false);
        (r.setType as (v: string) => void)(resource.type);
        (r.setUrn as (v: string) => void)(resource.urn);
        (r.setName as (v: string) => void)(resource.name ?? resource.urn.split("::").pop()!);
        (r.setProperties as (v: unknown) => void)(m.struct.Struct.fromJavaScript(resource.properties));
        (r.setOptions as (v: unknown) => void)(options);
        return r;
      });
      (request.setResourcesList as (v: unknown[]) => void)(list);
      return diagnostics(await call(client, "analyzeStack", request));
    },
    close() {
      client.close();
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill();
      });
    },
  };
}
