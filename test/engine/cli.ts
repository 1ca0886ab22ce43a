/**
 * The real Pulumi engine, as scripts/engine-env.sh builds it: the CLI, the Node language host
 * and the vault/random/kubernetes providers in a project-local PULUMI_HOME. A `Project` is a
 * copy of this repository's files in a temporary directory (what a clone holds, plus the
 * working tree's uncommitted files), so each suite runs `pulumi` exactly as a user does in a
 * checkout, with its own backend and stack files, never touching the repository itself.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { missingEngine, readSettingsFile } from "../integration/engines";
import { PROJECT_DIR } from "../support/offline";

const ENGINE_ENV = path.join(PROJECT_DIR, ".integration", "engine.env");

const engineFile = () => readSettingsFile(ENGINE_ENV);

export interface Engine {
  /** The environment every `pulumi` run gets (PATH, PULUMI_HOME, passphrase, no downloads). */
  readonly env: Readonly<Record<string, string>>;
  readonly pulumi: string;
}

export function engine(): Engine | undefined {
  const file = engineFile();
  const pulumi = process.env.SP_PULUMI ?? file.SP_PULUMI;
  if (!pulumi || !fs.existsSync(pulumi)) return undefined;
  const keys = [
    "PULUMI_HOME",
    "PULUMI_SKIP_UPDATE_CHECK",
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION",
    "PULUMI_CONFIG_PASSPHRASE",
  ];
  const env: Record<string, string> = {};
  for (const key of keys) {
    const value = process.env[key] ?? file[key];
    if (value === undefined) return undefined;
    env[key] = value;
  }
  const enginePath = process.env.SP_ENGINE_PATH ?? file.SP_ENGINE_PATH ?? path.dirname(pulumi);
  env.PATH = `${enginePath}:${process.env.PATH ?? ""}`;
  return { env, pulumi };
}

/**
 * Call from a mocha `before` hook: the engine, or a skip with what to run (a failure under
 * CI=true, where the engine must be there).
 */
export function requirePulumi(ctx: Mocha.Context): Engine {
  const found = engine();
  if (found) return found;
  const message = "the Pulumi engine is not built; run scripts/engine-env.sh (or scripts/integration-env.sh)";
  missingEngine(ctx, message);
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ProcessOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly input?: string;
}

/**
 * `command <args>` in `cwd` with exactly `env`: its exit code and output, whatever the code
 * (stdin gets `input`, or is closed).
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.stdin.end(options.input ?? "");
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** `pulumi --non-interactive <args>`, as runProcess runs it. */
export function runPulumi(
  engine: Engine,
  args: readonly string[],
  options: ProcessOptions,
): Promise<RunResult> {
  return runProcess(engine.pulumi, ["--non-interactive", ...args], options);
}

export interface RunOptions {
  /** Exit codes that do not throw (default: only 0). */
  readonly allow?: readonly number[];
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
}

/** The files a clone of the repository holds, plus uncommitted (not ignored) ones. */
function projectFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f && fs.existsSync(path.join(PROJECT_DIR, f)));
}

export class Project {
  /** The checkout: Pulumi.yaml, the program, the pack, the stack files. */
  readonly dir: string;
  /** This checkout's temporary directory (TMPDIR of every run); removed with the project. */
  readonly tmp: string;

  private constructor(
    readonly engine: Engine,
    readonly root: string,
    readonly backendUrl: string,
    /** Added to the environment of every run (e.g. the backend's credentials). */
    readonly env: Readonly<Record<string, string>>,
  ) {
    this.dir = path.join(root, "checkout");
    this.tmp = path.join(root, "tmp");
  }

  /**
   * A fresh checkout in its own temporary directory, logged in to `backendUrl` (a file://
   * directory or an s3:// URL). node_modules is linked, not copied: `npm ci` would give the same.
   * `env` goes to every run, before a run's own.
   */
  static create(
    engine: Engine,
    backendUrl: string,
    label: string,
    env: Readonly<Record<string, string>> = {},
    /** Where the checkout goes (created; `npm run local:up` keeps it): by default a new temporary directory. */
    root = fs.mkdtempSync(path.join(os.tmpdir(), `sp-engine-${label}-`)),
  ): Project {
    fs.mkdirSync(root, { recursive: true });
    const project = new Project(engine, root, backendUrl, env);
    for (const file of projectFiles()) {
      const target = path.join(project.dir, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(PROJECT_DIR, file), target);
    }
    fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(project.dir, "node_modules"));
    const policyModules = path.join(PROJECT_DIR, "policy", "node_modules");
    if (fs.existsSync(policyModules))
      fs.symlinkSync(policyModules, path.join(project.dir, "policy", "node_modules"));
    fs.mkdirSync(project.tmp);
    return project;
  }

  /** The environment of a `pulumi` run in this checkout: the engine's, its backend, its TMPDIR. */
  runEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.engine.env,
      PULUMI_BACKEND_URL: this.backendUrl,
      TMPDIR: this.tmp,
      ...this.env,
      ...extra,
    };
  }

  /** Runs `pulumi <args>` in the checkout; throws (with the output) on an unexpected exit code. */
  async run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await runPulumi(this.engine, args, {
      cwd: this.dir,
      env: this.runEnv(options.env),
      input: options.input,
    });
    if ((options.allow ?? [0]).includes(result.code)) return result;
    throw new Error(
      `pulumi ${args.join(" ")} exited ${result.code}\n--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr.slice(-4000)}`,
    );
  }

  /** Runs a pulumi command with `--json` and parses what it prints. */
  async json<T>(args: readonly string[], options: RunOptions = {}): Promise<{ code: number; value: T }> {
    const result = await this.run([...args, "--json"], options);
    return { code: result.code, value: JSON.parse(result.stdout) as T };
  }

  /** Writes a file of the checkout (a stack file, a CA certificate) as a user edits one. */
  write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
    fs.writeFileSync(path.join(this.dir, file), text);
  }

  read(file: string): string {
    return fs.readFileSync(path.join(this.dir, file), "utf8");
  }

  /** Removes the checkout and its temporary directory: nothing of it stays on the machine. */
  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A file backend in its own temporary directory (what `pulumi login file://<dir>` uses). */
export function fileBackend(): { url: string; dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-engine-backend-"));
  return { url: `file://${dir}`, dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `pulumi preview --json` as the CLI prints it. */
export interface PreviewJson {
  readonly steps?: ReadonlyArray<{
    readonly op: string;
    readonly urn: string;
    readonly newState?: { readonly type: string };
    readonly oldState?: { readonly type: string };
  }>;
  readonly changeSummary?: Readonly<Record<string, number>>;
  readonly diagnostics?: ReadonlyArray<{ readonly message: string; readonly severity: string }>;
}
