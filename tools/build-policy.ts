/**
 * npm run build:policy [-- --check]
 *
 * Builds the policy pack to JavaScript: every `.ts` file of `policy/` (outside
 * `node_modules/` and `dist/`) becomes the `.js` file at the same place under `policy/dist/`,
 * transpiled by esbuild (the pinned version in the root lockfile) one file at a time: no
 * bundling, no source maps, no timestamps or absolute paths, so the same sources give the
 * same bytes on every machine. `policy/package.json` points `main` at `dist/index.js`, so the
 * Pulumi CLI loads JavaScript instead of type-checking the sources at every start.
 *
 * The output is committed: `pulumi preview --policy-pack ./policy` works from a fresh clone,
 * and `pulumi policy publish` uploads a pack that runs. `--check` writes nothing and exits 1
 * when `policy/dist/` differs from what the sources build to (test/policy/build.test.ts
 * does the same in the test suite).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";

export const POLICY_DIR = path.resolve(__dirname, "..", "policy");
export const DIST_DIR = path.join(POLICY_DIR, "dist");

const BANNER = "// Built from the TypeScript sources by `npm run build:policy`: do not edit.";
const SKIPPED_DIRS = new Set(["node_modules", "dist", "bin"]);

/** The pack's TypeScript sources, relative to `policy/`, sorted. */
export function policySources(dir = POLICY_DIR, prefix = ""): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...policySources(path.join(dir, entry.name), rel));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      files.push(rel);
    }
  }
  return files.sort();
}

/** What the sources build to: path relative to `policy/dist/` → contents. */
export async function buildPolicyPack(): Promise<Map<string, string>> {
  const result = await esbuild.build({
    absWorkingDir: POLICY_DIR,
    entryPoints: policySources(),
    outbase: ".",
    outdir: "dist",
    bundle: false,
    write: false,
    format: "cjs",
    platform: "node",
    target: "node20",
    charset: "utf8",
    tsconfig: "tsconfig.json",
    banner: { js: BANNER },
    logLevel: "silent",
  });
  const files = new Map<string, string>();
  for (const file of result.outputFiles) {
    files.set(path.relative(DIST_DIR, file.path).split(path.sep).join("/"), file.text);
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** Every file under `policy/dist/`, relative to it. */
export function distFiles(dir = DIST_DIR, prefix = ""): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? distFiles(path.join(dir, entry.name), rel) : [rel];
  });
}

/** How `policy/dist/` differs from a fresh build: one line per file; empty when current. */
export function staleness(built: ReadonlyMap<string, string>): string[] {
  const present = new Set(distFiles());
  const problems: string[] = [];
  for (const [file, text] of built) {
    if (!present.has(file)) problems.push(`missing: policy/dist/${file}`);
    else if (fs.readFileSync(path.join(DIST_DIR, file), "utf8") !== text)
      problems.push(`stale: policy/dist/${file}`);
  }
  for (const file of present) if (!built.has(file)) problems.push(`no source: policy/dist/${file}`);
  return problems.sort();
}

/** Replaces `policy/dist/` with the build. */
export function writeBuild(built: ReadonlyMap<string, string>): void {
  fs.rmSync(DIST_DIR, { recursive: true, force: true });
  for (const [file, text] of built) {
    const target = path.join(DIST_DIR, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}

async function main() {
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
  const built = await buildPolicyPack();
  if (values.check) {
    const problems = staleness(built);
    if (problems.length > 0) {
      process.stderr.write(
        `policy/dist is not what the sources build to (run npm run build:policy):\n  ${problems.join("\n  ")}\n`,
      );
      process.exit(1);
    }
    process.stderr.write(`policy/dist is current (${built.size} files)\n`);
    return;
  }
  writeBuild(built);
  process.stderr.write(`policy/dist: ${built.size} files\n`);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
}
