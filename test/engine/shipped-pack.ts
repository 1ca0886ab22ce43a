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
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { PROJECT_DIR } from "../support/offline";

export const POLICY_DIR = path.join(PROJECT_DIR, "policy");
/** What a team copies (or `pulumi policy publish` uploads) for the pack to run. */
export const SHIPPED = ["package.json", "package-lock.json", "PulumiPolicy.yaml", "dist"] as const;

/** Copies the shipped files of policy/ into `dir` and installs them with `npm ci --offline`. */
export async function installShippedPack(dir: string): Promise<{ seconds: number }> {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of SHIPPED)
    fs.cpSync(path.join(POLICY_DIR, entry), path.join(dir, entry), { recursive: true });
  const started = Date.now();
  try {
    await promisify(execFile)(
      "npm",
      ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
      { cwd: dir, env: { ...process.env, npm_config_update_notifier: "false" }, maxBuffer: 16 << 20 },
    );
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `npm ci --offline of the shipped pack failed (run npm ci at the repository root first: it fills the npm cache with every package the pack's lockfile names):\n${(e.stderr ?? e.message).slice(-3000)}`,
    );
  }
  return { seconds: (Date.now() - started) / 1000 };
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
