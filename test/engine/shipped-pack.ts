/**
 * The policy pack as it ships to other teams, installed on its own: only what `policy/` needs
 * at run time (`package.json` with `main: dist/index.js`, its own `package-lock.json`,
 * `PulumiPolicy.yaml` and the built JavaScript in `dist/`) copied to an empty directory, then
 * `npm ci` there from the pack's own lockfile. No TypeScript source, no tsconfig and nothing of
 * the repository is copied, so a run proves the built pack is complete.
 *
 * `npm ci` runs with `--offline`: it installs from the npm cache only and never reaches a
 * registry. Every package of `policy/package-lock.json` is in the root lockfile with the same
 * integrity, so the root's `npm ci` (which every test run needs anyway) has already put them in
 * the cache. When the cache lacks one, `npm ci` fails (ENOTCACHED) and so does the suite,
 * saying so; it never falls back to the repository's node_modules.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { PROJECT_DIR } from "../support/offline";

export const POLICY_DIR = path.join(PROJECT_DIR, "policy");
/** What a team copies (or `pulumi policy publish` uploads) for the pack to run. */
export const SHIPPED = ["package.json", "package-lock.json", "PulumiPolicy.yaml", "dist"] as const;

/**
 * Where installs of the shipped pack are kept, one directory per content hash of the shipped
 * files: suites (and parallel workers) of a run share one install instead of each repeating
 * the same `npm ci`, and a changed pack gets a fresh one.
 */
const INSTALLS = path.join(PROJECT_DIR, ".integration", "shipped-pack");

/** sha256 over the shipped files' paths and bytes. */
function shippedHash(): string {
  const hash = createHash("sha256");
  for (const entry of SHIPPED) {
    const root = path.join(POLICY_DIR, entry);
    const files = fs.statSync(root).isDirectory()
      ? fs
          .readdirSync(root, { recursive: true, encoding: "utf8" })
          .map((f) => path.join(entry, f))
          .filter((f) => fs.statSync(path.join(POLICY_DIR, f)).isFile())
          .sort()
      : [entry];
    for (const file of files) hash.update(`${file}\0`).update(fs.readFileSync(path.join(POLICY_DIR, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * The shipped files of policy/ copied into an empty directory and installed there with
 * `npm ci --offline`, or the install of the same files an earlier suite made. The directory is
 * shared: read it, never write into it.
 */
export async function installShippedPack(): Promise<{ dir: string; seconds: number; reused: boolean }> {
  const dir = path.join(INSTALLS, shippedHash());
  if (fs.existsSync(dir)) return { dir, seconds: 0, reused: true };
  // Installed beside its final place and renamed into it whole, so a concurrent suite never
  // sees half an install; when two race, the first rename wins and the other copy goes.
  const staging = `${dir}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  for (const entry of SHIPPED)
    fs.cpSync(path.join(POLICY_DIR, entry), path.join(staging, entry), { recursive: true });
  const started = Date.now();
  try {
    await promisify(execFile)(
      "npm",
      ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
      { cwd: staging, env: { ...process.env, npm_config_update_notifier: "false" }, maxBuffer: 16 << 20 },
    );
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `npm ci --offline of the shipped pack failed (run npm ci at the repository root first: it fills the npm cache with every package the pack's lockfile names):\n${(e.stderr ?? e.message).slice(-3000)}`,
    );
  }
  const seconds = (Date.now() - started) / 1000;
  try {
    fs.renameSync(staging, dir);
  } catch (err) {
    if (!fs.existsSync(dir)) throw err;
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { dir, seconds, reused: false };
}

/** A policy diagnostic as the CLI's JSON event stream prints it. */
export interface PolicyEvent {
  readonly policyName: string;
  readonly enforcementLevel: string;
  readonly resourceUrn?: string;
  readonly message: string;
}

/** The policy events of a JSON event stream (`policy analyze --json`, streaming `preview --json`). */
export function policyEvents(stdout: string): PolicyEvent[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim().startsWith("{"))
    .map((line) => (JSON.parse(line) as { policyEvent?: PolicyEvent }).policyEvent)
    .filter((e): e is PolicyEvent => !!e);
}

/** `<level> <policy> <type>::<name>` (or `(stack)`), sorted: one line per verdict. */
export function verdictLines(events: readonly PolicyEvent[]): string[] {
  return events
    .map((e) => {
      const where = e.resourceUrn ? e.resourceUrn.split("::").slice(-2).join("::") : "(stack)";
      return `${e.enforcementLevel} ${e.policyName} ${where}`;
    })
    .sort();
}
