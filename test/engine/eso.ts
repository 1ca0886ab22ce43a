/**
 * The real External Secrets Operator controller (v0.16.2, built from source by scripts/eso-env.sh)
 * run out of cluster against the API server of scripts/kube-env.sh: there is no kubelet, so its
 * pod could never run; the process is the same binary with the same reconcilers, talking to the
 * API server through a kubeconfig (the admin's).
 *
 * The ESO CRDs must be on the API server before it starts (the platform's `pulumi up` installs
 * them; a test can apply the 2.9.0 chart's with `applyCrds`). They serve every API this
 * controller uses (external-secrets.io/v1, PushSecret/ClusterPushSecret v1alpha1,
 * generators.external-secrets.io/v1alpha1 including GeneratorState and VaultDynamicSecret), so
 * all reconcilers stay on unless a test turns them off.
 *
 * The API server is shared by everyone on the machine, and one controller acts on every store
 * whose `spec.controller` is empty or its own class, in every namespace it watches. A test
 * should give its stores and generators a class of its own (`controllerClass`) and watch only its
 * namespace (`namespace`); the cluster-wide reconcilers are then off unless asked for.
 *
 * The controller's log (JSON lines, one file per start under .integration/logs) is for
 * assertions on errors. At the default `info` level ESO logs names, keys, paths and the
 * providers' error texts, not the values it syncs (a test checks that for the Vault provider);
 * error texts it copies from elsewhere (a template function's error, a provider's answer) are
 * not scrubbed, so treat the file as sensitive and never print it whole.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { missingEngine, readSettingsFile } from "../integration/engines";
import { freePort } from "../integration/vault/live/server";
import { PROJECT_DIR } from "../support/offline";
import { type KubeClient, KubeError } from "./kube";

const STATE = path.join(PROJECT_DIR, ".integration");
const ESO_ENV = path.join(STATE, "eso.env");
const LOGS = path.join(STATE, "logs");
/** The CRDs of the external-secrets 2.9.0 chart, copied by scripts/charts-env.sh (checked sums). */
export const ESO_CRDS_DIR = path.join(STATE, "charts", "eso-crds");

export interface EsoSettings {
  /** The controller binary (in the build cache). */
  readonly controller: string;
  /** Its version, e.g. 0.16.2. */
  readonly version: string;
}

/** Settings from the environment first, then .integration/eso.env; undefined when unset or absent. */
export function esoSettings(): EsoSettings | undefined {
  const file = readSettingsFile(ESO_ENV);
  const controller = process.env.SP_ESO_CONTROLLER ?? file.SP_ESO_CONTROLLER;
  const version = process.env.SP_ESO_VERSION ?? file.SP_ESO_VERSION;
  if (!controller || !version || !fs.existsSync(controller)) return undefined;
  return { controller, version };
}

/**
 * Call from a mocha `before` hook: the built controller, or a skip with what to run (a failure
 * under CI=true, where it must be there).
 */
export function requireEso(ctx: Mocha.Context): EsoSettings {
  const found = esoSettings();
  if (found) return found;
  const message = "the ESO controller is not built; run scripts/eso-env.sh (or scripts/integration-env.sh)";
  missingEngine(ctx, message);
}

export interface EsoControllerOptions {
  /** A kubeconfig for the API server (.integration/kubeconfig: the admin). */
  readonly kubeconfig: string;
  /** Watch ExternalSecrets, SecretStores, PushSecrets only in this namespace (`--namespace`). */
  readonly namespace?: string;
  /**
   * `--controller-class`: the controller acts on stores and generators whose `spec.controller`
   * is this class or empty. Default: `default`, ESO's own.
   */
  readonly controllerClass?: string;
  /** The metrics listener's port on 127.0.0.1; default: a free one. */
  readonly metricsPort?: number;
  /**
   * The reconcilers beside SecretStore, ExternalSecret and GeneratorState (always on). Each
   * defaults to on without `namespace`, and off with it (they act across namespaces).
   */
  readonly clusterSecretStores?: boolean;
  readonly clusterExternalSecrets?: boolean;
  readonly pushSecrets?: boolean;
  readonly clusterPushSecrets?: boolean;
  /** `--loglevel`; default `info`. `debug` may log more of what the providers answer. */
  readonly logLevel?: "debug" | "info" | "warn" | "error";
  /** More flags, appended last. */
  readonly extraArgs?: readonly string[];
  /** The controller binary; default: the one scripts/eso-env.sh built. */
  readonly binary?: string;
  /** How long to wait for it to come up; default 60 s. */
  readonly readyTimeoutMs?: number;
}

/** One line of the controller's (zap, JSON) log. */
export interface EsoLogEntry {
  readonly level: string;
  readonly msg: string;
  readonly error?: string;
  readonly [field: string]: unknown;
}

export interface EsoController {
  readonly pid: number;
  /** The arguments it was started with (no secret is ever among them). */
  readonly args: readonly string[];
  /** http://127.0.0.1:<port>/metrics */
  readonly metricsUrl: string;
  readonly logFile: string;
  /** The log's text from byte `from` (a `mark()`) on; the whole log by default. */
  log(from?: number): string;
  /** The log's JSON entries from byte `from` on (lines that are not JSON are skipped). */
  entries(from?: number): EsoLogEntry[];
  /** Entries of level `error` from byte `from` on. */
  errors(from?: number): EsoLogEntry[];
  /** The log's current length, to read only what comes after. */
  mark(): number;
  /** Resolves with the first entry from `from` on that `match` accepts; throws after the timeout. */
  waitForEntry(
    match: (entry: EsoLogEntry) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<EsoLogEntry>;
  /** Whether the process still runs. */
  running(): boolean;
  /** Ends it (SIGTERM, then SIGKILL after 20 s) and waits; idempotent. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readFrom(file: string, from = 0): string {
  const size = fs.statSync(file).size;
  if (size <= from) return "";
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(size - from);
    fs.readSync(fd, buffer, 0, buffer.length, from);
    return buffer.toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}

function parseEntries(text: string): EsoLogEntry[] {
  const entries: EsoLogEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      entries.push(JSON.parse(line) as EsoLogEntry);
    } catch {
      // a line still being written
    }
  }
  return entries;
}

/**
 * Starts the controller and waits until it is up: its metrics endpoint answers and the
 * ExternalSecret and SecretStore controllers have started their workers (their caches are
 * synced). v0.16.2's controller command has no health-probe listener (only its webhook and
 * cert-controller commands have `--healthz-addr`), so these are the signs it is serving.
 * No leader election: it needs a lease namespace that v0.16.2 only takes from the in-cluster
 * service-account files. A controller that exits or does not come up throws, naming its log.
 */
export async function startEsoController(options: EsoControllerOptions): Promise<EsoController> {
  const binary = options.binary ?? esoSettings()?.controller;
  if (!binary) throw new Error("no ESO controller binary; run scripts/eso-env.sh");
  const port = options.metricsPort ?? (await freePort());
  const scoped = options.namespace !== undefined;
  const on = (value: boolean | undefined) => String(value ?? !scoped);
  const args = [
    `--metrics-addr=127.0.0.1:${port}`,
    "--enable-leader-election=false",
    `--controller-class=${options.controllerClass ?? "default"}`,
    ...(scoped ? [`--namespace=${options.namespace}`] : []),
    `--enable-cluster-store-reconciler=${on(options.clusterSecretStores)}`,
    `--enable-cluster-external-secret-reconciler=${on(options.clusterExternalSecrets)}`,
    `--enable-push-secret-reconciler=${on(options.pushSecrets)}`,
    `--enable-cluster-push-secret-reconciler=${on(options.clusterPushSecrets)}`,
    `--loglevel=${options.logLevel ?? "info"}`,
    "--zap-time-encoding=rfc3339",
    ...(options.extraArgs ?? []),
  ];
  fs.mkdirSync(LOGS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const logFile = path.join(LOGS, `eso-run-${stamp}-${randomBytes(2).toString("hex")}.log`);
  const fd = fs.openSync(logFile, "a", 0o600);
  // Only what it needs from the environment: the tests' own settings (passphrases, database
  // passwords) stay out of its process.
  const env: Record<string, string> = { KUBECONFIG: options.kubeconfig, PATH: process.env.PATH ?? "" };
  if (process.env.HOME) env.HOME = process.env.HOME;
  let child: ChildProcess;
  try {
    child = spawn(binary, args, { env, stdio: ["ignore", fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  let stopped: Promise<void> | undefined;
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;

  const controller: EsoController = {
    pid: child.pid ?? -1,
    args,
    metricsUrl: `http://127.0.0.1:${port}/metrics`,
    logFile,
    log: (from) => readFrom(logFile, from),
    entries: (from) => parseEntries(readFrom(logFile, from)),
    errors: (from) => parseEntries(readFrom(logFile, from)).filter((e) => e.level === "error"),
    mark: () => fs.statSync(logFile).size,
    async waitForEntry(match, timeoutMs = 60_000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = parseEntries(readFrom(logFile, from)).find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching entry in ${logFile} after ${timeoutMs} ms`);
        if (!running()) throw new Error(`the ESO controller exited; see ${logFile}`);
        await sleep(250);
      }
    },
    running,
    stop() {
      stopped ??= (async () => {
        if (running()) {
          child.kill("SIGTERM");
          const killed = await Promise.race([exited.then(() => false), sleep(20_000).then(() => true)]);
          if (killed && running()) child.kill("SIGKILL");
        }
        await exited;
      })();
      return stopped;
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  const workersStarted = (kind: string) =>
    controller.entries().some((e) => e.msg === "Starting workers" && e.controllerKind === kind);
  let last = "not started";
  for (;;) {
    const failed = await Promise.race([spawnError, sleep(250).then(() => undefined)]);
    if (failed) throw new Error(`the ESO controller did not start (${failed.message}); see ${logFile}`);
    if (!running()) {
      await controller.stop();
      const reason = controller.errors().at(-1);
      throw new Error(
        `the ESO controller exited while starting${reason ? ` (${reason.msg}${reason.error ? `: ${reason.error}` : ""})` : ""}; see ${logFile}`,
      );
    }
    try {
      const response = await fetch(controller.metricsUrl, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      last = `metrics answered ${response.status}`;
      if (response.ok && workersStarted("ExternalSecret") && workersStarted("SecretStore")) return controller;
      if (response.ok) last = "its ExternalSecret and SecretStore controllers have not started their workers";
    } catch (err) {
      last = String((err as { cause?: Error }).cause?.message ?? err); // not listening yet
    }
    if (Date.now() > deadline) {
      await controller.stop();
      throw new Error(
        `the ESO controller is not up after ${options.readyTimeoutMs ?? 60_000} ms (${last}); see ${logFile}`,
      );
    }
  }
}

export interface Condition {
  readonly type: string;
  readonly status: "True" | "False" | "Unknown";
  readonly reason?: string;
  readonly message?: string;
}

/**
 * Polls an object until its condition `type` (default Ready) has `status` (default True) and
 * returns that condition. After `timeoutMs` (default 60 s) throws with the last condition seen
 * (reason and message), or says there was none.
 */
export async function waitForCondition(
  admin: KubeClient,
  apiPath: string,
  options: { type?: string; status?: Condition["status"]; timeoutMs?: number } = {},
): Promise<Condition> {
  const type = options.type ?? "Ready";
  const want = options.status ?? "True";
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let last: Condition | undefined;
  for (;;) {
    try {
      const object = await admin.get<{ status?: { conditions?: Condition[] } }>(apiPath);
      last = object.status?.conditions?.find((c) => c.type === type);
      if (last?.status === want) return last;
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 404)) throw err;
    }
    if (Date.now() > deadline) {
      const seen = last
        ? `${type}=${last.status} (${last.reason ?? "no reason"}: ${last.message ?? ""})`
        : `no ${type} condition`;
      throw new Error(`${apiPath}: not ${type}=${want} after ${timeoutMs} ms; last seen ${seen}`);
    }
    await sleep(500);
  }
}

/** The API path of a namespaced external-secrets.io/v1 object, e.g. ("externalsecrets", ns, name). */
export const esoPath = (plural: string, namespace: string, name: string, group = "external-secrets.io/v1") =>
  `/apis/${group}/namespaces/${namespace}/${plural}/${name}`;

/**
 * Waits for an ExternalSecret's Ready condition: `True` by default (the Secret is synced), or
 * `False` (a sync error, with its reason and message). See `waitForCondition`.
 */
export function waitForExternalSecret(
  admin: KubeClient,
  namespace: string,
  name: string,
  options: { status?: "True" | "False"; timeoutMs?: number } = {},
): Promise<Condition> {
  return waitForCondition(admin, esoPath("externalsecrets", namespace, name), options);
}

interface CrdDocument {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    managedFields?: Array<{ manager: string }>;
  };
  spec: {
    group: string;
    names: { plural: string };
    versions: Array<{ name: string; served: boolean; storage?: boolean }>;
  };
}

const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
/** The field manager of the CRDs `applyCrds` creates: `removeCrds` removes only those. */
const CRD_MANAGER = "sp-eso-test";

export interface AppliedCrds {
  /** CRDs this call created (remove them with `removeCrds`). */
  readonly created: readonly string[];
  /** CRDs that were already there (someone else's, e.g. a platform stack's): left unchanged. */
  readonly existing: readonly string[];
}

/**
 * Creates the CRDs of `dir` (default: the 2.9.0 chart's) that the API server lacks and waits
 * until each is Established. Existing ones are left as they are (the API server is shared; they
 * may belong to a stack), after checking that they serve the same versions.
 */
export async function applyCrds(
  admin: KubeClient,
  dir = ESO_CRDS_DIR,
  timeoutMs = 60_000,
): Promise<AppliedCrds> {
  const created: string[] = [];
  const existing: string[] = [];
  const served = (crd: CrdDocument) =>
    crd.spec.versions
      .filter((v) => v.served)
      .map((v) => v.name)
      .sort()
      .join(",");
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const crd = YAML.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CrdDocument;
    if (crd?.kind !== "CustomResourceDefinition") continue;
    try {
      await admin.post(`${CRDS}?fieldManager=${CRD_MANAGER}`, crd);
      created.push(crd.metadata.name);
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 409)) throw err;
      const there = await admin.get<CrdDocument>(`${CRDS}/${crd.metadata.name}`);
      if (served(there) !== served(crd))
        throw new Error(
          `CRD ${crd.metadata.name} is already on the API server serving ${served(there)}, not ${served(crd)}`,
        );
      existing.push(crd.metadata.name);
    }
  }
  for (const name of [...created, ...existing])
    await waitForCondition(admin, `${CRDS}/${name}`, { type: "Established", timeoutMs });
  return { created, existing };
}

/**
 * Deletes CRDs `applyCrds` created, and waits until they are gone (default 5 min: the API
 * server's CRD finalizer backs off when a CRD is deleted while its storage is still starting,
 * which the instance listing below first waits out). A CRD is kept, with a warning, when
 * someone else may be using it, as the API server is shared: another field manager changed it
 * (a stack adopted it) or objects of its kind exist (the caller deletes its own first).
 * Returns the CRDs it kept, with the reason.
 */
export async function removeCrds(
  admin: KubeClient,
  names: readonly string[],
  timeoutMs = 300_000,
): Promise<Array<{ name: string; reason: string }>> {
  const missing = (err: unknown): undefined => {
    if (err instanceof KubeError && err.status === 404) return undefined;
    throw err;
  };
  const kept: Array<{ name: string; reason: string }> = [];
  const deleted: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    const crd = await admin.get<CrdDocument>(`${CRDS}/${name}`).catch(missing);
    if (!crd) continue;
    // The API server itself records status changes (Established) as kube-apiserver.
    const others = [...new Set((crd.metadata.managedFields ?? []).map((f) => f.manager))].filter(
      (m) => m !== CRD_MANAGER && m !== "kube-apiserver",
    );
    let reason = others.length ? `changed by ${others.join(", ")}` : "";
    if (!reason) {
      const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
      // resourceVersion=0: served by the watch cache, which must be ready before a delete.
      const list = `/apis/${crd.spec.group}/${version.name}/${crd.spec.names.plural}?resourceVersion=0`;
      for (;;) {
        try {
          const { items } = await admin.get<{ items: unknown[] }>(list);
          if (items.length) reason = `objects of its kind exist`;
          break;
        } catch (err) {
          // 429 "storage is (re)initializing" (or 503) while the CRD's storage is starting.
          const starting = err instanceof KubeError && (err.status === 429 || err.status === 503);
          if (!starting || Date.now() > deadline) throw err;
          await sleep(500);
        }
      }
    }
    if (reason) {
      console.warn(`leaving CRD ${name} on the shared API server: ${reason}`);
      kept.push({ name, reason });
      continue;
    }
    await admin.delete(`${CRDS}/${name}`).catch(missing);
    deleted.push(name);
  }
  for (const name of deleted) {
    while (await admin.get(`${CRDS}/${name}`).then(() => true, missing)) {
      if (Date.now() > deadline) throw new Error(`CRD ${name} is still there after ${timeoutMs} ms`);
      await sleep(500);
    }
  }
  return kept;
}
