/**
 * Builds the npm library `secrets-platform` (library/): JavaScript and declarations of the
 * public entry modules (library/src/*.ts) and of exactly the modules they load, into
 * library/dist, with the repository's LICENSE beside them. `npm pack` in library/ runs it
 * (`prepack`).
 *
 * The compiler emits every module its program holds, including those imported for types only
 * (the catalog schema, which needs zod); only what the entries reach at run time (relative
 * `require`s of the JavaScript) and through their declarations (relative imports of the
 * `.d.ts`) is written, and a run-time `require` of a package the library does not declare fails
 * the build, so a component cannot start loading, say, zod without the package saying so.
 */
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import ts from "typescript";

export const ROOT = path.resolve(__dirname, "..");
export const LIBRARY_DIR = path.join(ROOT, "library");
const SOURCE_DIR = path.join(LIBRARY_DIR, "src");

/** The public entry modules: every `.ts` file of library/src. */
export function entryModules(): string[] {
  return fs
    .readdirSync(SOURCE_DIR)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => path.join(SOURCE_DIR, f));
}

function compilerOptions(distDir: string): ts.CompilerOptions {
  const configFile = path.join(ROOT, "tsconfig.json");
  const { config, error } = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  return {
    ...parsed.options,
    rootDir: ROOT,
    outDir: distDir,
    declaration: true,
    sourceMap: false,
    declarationMap: false,
    noEmit: false,
    types: ["node"],
  };
}

/** Relative module specifiers a file loads: `require("./x")` in JavaScript, `from "./x"` in declarations. */
function relativeSpecifiers(text: string, declarations: boolean): string[] {
  const pattern = declarations ? /(?:from\s+|import\()\s*"(\.[^"]+)"/g : /require\("(\.[^"]+)"\)/g;
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

function packageSpecifiers(text: string): string[] {
  return [...text.matchAll(/require\("([^."][^"]*)"\)/g)].map((m) => m[1]);
}

/** The emitted file a specifier names: `<spec>.js`/`.d.ts`, or its `index`. */
function resolveEmitted(outputs: Map<string, string>, from: string, spec: string, ext: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}${ext}`, path.join(base, `index${ext}`)]) {
    if (outputs.has(candidate)) return candidate;
  }
  throw new Error(`build-library: ${path.relative(ROOT, from)} loads ${spec}, which the build did not emit`);
}

/** Package name of a bare specifier (`@scope/name/sub` → `@scope/name`). */
const packageOf = (spec: string) =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

export interface LibraryBuild {
  /** Written files, relative to library/. */
  readonly files: readonly string[];
  readonly bytes: number;
}

/**
 * Builds into `<packageDir>/dist` (and copies LICENSE there): library/ itself by default; a test
 * passes a directory of its own, so it never races `npm pack` of library/ in another process.
 */
export function buildLibrary(packageDir = LIBRARY_DIR): LibraryBuild {
  const distDir = path.join(packageDir, "dist");
  const manifest = JSON.parse(fs.readFileSync(path.join(LIBRARY_DIR, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const program = ts.createProgram({ rootNames: entryModules(), options: compilerOptions(distDir) });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    const host: ts.FormatDiagnosticsHost = {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => "\n",
    };
    throw new Error(
      `build-library: the library does not compile:\n${ts.formatDiagnostics(diagnostics, host)}`,
    );
  }
  const outputs = new Map<string, string>();
  program.emit(undefined, (file, text) => outputs.set(path.resolve(file), text));

  const keep = new Set<string>();
  const pending = entryModules().flatMap((entry) => {
    const out = path.join(distDir, path.relative(ROOT, entry)).replace(/\.ts$/, "");
    return [`${out}.js`, `${out}.d.ts`];
  });
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (keep.has(file)) continue;
    const text = outputs.get(file);
    if (text === undefined) throw new Error(`build-library: ${path.relative(ROOT, file)} was not emitted`);
    keep.add(file);
    const declarations = file.endsWith(".d.ts");
    for (const spec of relativeSpecifiers(text, declarations))
      pending.push(resolveEmitted(outputs, file, spec, declarations ? ".d.ts" : ".js"));
    if (!declarations) {
      for (const spec of packageSpecifiers(text)) {
        const name = packageOf(spec.replace(/^node:/, ""));
        if (!spec.startsWith("node:") && !builtinModules.includes(name) && !declared.has(name))
          throw new Error(
            `build-library: ${path.relative(ROOT, file)} requires ${spec}, which library/package.json does not declare`,
          );
      }
    }
  }

  fs.rmSync(distDir, { recursive: true, force: true });
  let bytes = 0;
  for (const file of [...keep].sort()) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, outputs.get(file)!);
    bytes += Buffer.byteLength(outputs.get(file)!);
  }
  fs.copyFileSync(path.join(ROOT, "LICENSE"), path.join(packageDir, "LICENSE"));
  return { files: [...keep].map((f) => path.relative(packageDir, f)).sort(), bytes };
}

if (require.main === module) {
  const started = process.hrtime.bigint();
  const build = buildLibrary();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `library/dist: ${build.files.length} files, ${(build.bytes / 1024).toFixed(1)} KiB in ${seconds.toFixed(1)} s`,
  );
}
