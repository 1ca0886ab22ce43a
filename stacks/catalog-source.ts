/**
 * Where a stack's catalog comes from: the config key `<project>:catalog` (the catalog itself,
 * inside `Pulumi.<stack>.yaml`) or `<project>:catalogFile` (a YAML or JSON file of the project
 * holding the same object). A stack sets exactly one of them.
 *
 * `catalogFile` exists for large catalogs: the Node language host hands the program its whole
 * config in one environment variable, PULUMI_CONFIG, and Linux refuses to start a process with
 * any single variable over 131,072 bytes (the catalog of 1,000 workloads of tools/bench makes it
 * 196,677), so such a catalog cannot be config. A file path is a few bytes.
 *
 * This module only reads the source: it returns the raw catalog (validated by `validateCatalog`)
 * and the origin its messages name. Every problem is a `CatalogError`, which `pulumi up` turns
 * into one readable line (stacks/loader.ts) and the tools into exit code 2.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ParseError } from "jsonc-parser";
import { PROJECT_FILE_PATTERN, PROJECT_FILE_RULE } from "./schema";
import { CatalogError } from "./validate";

/** The config key holding the catalog itself. */
export const CATALOG_CONFIG_KEY = "catalog";
/** The config key holding the path of a file that holds the catalog. */
export const CATALOG_FILE_CONFIG_KEY = "catalogFile";
/** What a catalog file may be: YAML or JSON, by its extension. */
export const CATALOG_FILE_EXTENSION = /\.(ya?ml|json)$/;

/** A problem with where the catalog comes from (not with the catalog): the message says it all. */
export class CatalogSourceError extends CatalogError {
  constructor(message: string, origin: string) {
    super([{ path: "", message }], origin);
    this.name = "CatalogSourceError";
    this.message = message;
  }
}

/** The two config values, as the language host delivers them (structured values JSON-encoded). */
export interface CatalogSourceConfig {
  /** `<project>:catalog`: the catalog, JSON-encoded. */
  readonly catalog: string | undefined;
  /** `<project>:catalogFile`: a path relative to the project directory. */
  readonly catalogFile: string | undefined;
}

export interface CatalogSourceContext {
  /** The directory holding Pulumi.yaml: `catalogFile` is relative to it. */
  readonly projectDir: string;
  /** The project's name: the namespace of its config keys (`secrets-platform`). */
  readonly project: string;
  readonly stack: string;
  /** The stack file the config was read from, when a tool read it (named in messages). */
  readonly stackFile?: string;
}

export interface CatalogSource {
  /** The catalog as written: not validated. */
  readonly raw: unknown;
  /**
   * What messages about it name, e.g. `secrets-platform:catalogFile catalogs/prod.yaml of
   * stack prod` or `secrets-platform:catalog of stack prod`.
   */
  readonly origin: string;
  /** The catalog file as this machine reads it, when the stack uses `catalogFile`. */
  readonly file?: string;
}

/** How a value that should be a mapping looks instead, for messages. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The catalog of a stack, from whichever of `catalog` and `catalogFile` it sets. */
export function readCatalogSource(values: CatalogSourceConfig, where: CatalogSourceContext): CatalogSource {
  const key = (name: string) => `${where.project}:${name}`;
  const stack = where.stackFile ? `stack ${where.stack} (${where.stackFile})` : `stack ${where.stack}`;
  const setBoth = values.catalog !== undefined && values.catalogFile !== undefined;
  if (setBoth || (values.catalog === undefined && values.catalogFile === undefined)) {
    const keys = `${key(CATALOG_CONFIG_KEY)} ${setBoth ? "and" : "nor"} ${key(CATALOG_FILE_CONFIG_KEY)}`;
    throw new CatalogSourceError(
      `${stack} sets ${setBoth ? "both" : "neither"} ${keys}: set exactly one, the catalog itself or the path of a file holding it (docs/catalog.md, "A catalog in its own file")`,
      `catalog of ${stack}`,
    );
  }
  if (values.catalogFile === undefined) {
    const origin = `${key(CATALOG_CONFIG_KEY)} of ${stack}`;
    let raw: unknown;
    try {
      raw = JSON.parse(values.catalog!);
    } catch {
      raw = values.catalog; // a plain string in the stack file
    }
    if (!isMapping(raw))
      throw new CatalogSourceError(
        `${origin}: is ${kindOf(raw)}, not a mapping of catalog keys (environment, kubernetes, workloads, …)`,
        origin,
      );
    return { raw, origin };
  }
  return readCatalogFile(values.catalogFile, key(CATALOG_FILE_CONFIG_KEY), stack, where.projectDir);
}

function readCatalogFile(file: string, key: string, stack: string, projectDir: string): CatalogSource {
  const origin = `${key} ${file} of ${stack}`;
  const fail = (message: string): never => {
    throw new CatalogSourceError(`${origin}: ${message}`, origin);
  };
  if (!PROJECT_FILE_PATTERN.test(file))
    fail(`${PROJECT_FILE_RULE} (the catalog file is committed with the project)`);
  if (!CATALOG_FILE_EXTENSION.test(file)) fail("must name a .yaml, .yml or .json file");
  const full = path.join(projectDir, file);
  let text: string;
  try {
    // A symbolic link may not lead the path out of the project either.
    const real = fs.realpathSync(full);
    const root = fs.realpathSync(projectDir);
    if (real !== root && !real.startsWith(`${root}${path.sep}`))
      fail(`leads outside the project directory (a symbolic link to ${real})`);
    text = fs.readFileSync(real, "utf8").replace(/^\uFEFF/, "");
  } catch (err) {
    if (err instanceof CatalogError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") fail(`no such file in the project directory ${projectDir}`);
    if (code === "EISDIR") fail("is a directory, not a file");
    fail(`cannot be read (${code ?? (err as Error).message})`);
  }
  const raw = file.endsWith(".json") ? parseJson(text!, file, fail) : parseYaml(text!, file, fail);
  if (!isMapping(raw))
    fail(
      `the file's top level is ${kindOf(raw)}, not a mapping of catalog keys (environment, kubernetes, workloads, …)`,
    );
  return { raw, origin, file: full };
}

function parseYaml(text: string, file: string, fail: (message: string) => never): unknown {
  // yaml loads only for a stack whose catalog is a YAML file (issue 26: no module a stack does not use).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require("yaml") as typeof import("yaml");
  try {
    return YAML.parse(text);
  } catch (err) {
    if (!(err instanceof YAML.YAMLError)) throw err;
    const at = err.linePos?.[0];
    const message = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    return fail(`${at ? `${file}:${at.line}:${at.col}` : file}: not valid YAML: ${message}`);
  }
}

function parseJson(text: string, file: string, fail: (message: string) => never): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 gives no position for an unexpected character; jsonc-parser (strict: no comments, no
    // trailing commas) locates the first error, and V8's words, without the position or the
    // text it quotes, say what it is.
    // Loaded only to locate an error (issue 26: no module a valid catalog does not need).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse: parseJsonc } = require("jsonc-parser") as typeof import("jsonc-parser");
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
    const offset = errors[0]?.offset ?? text.length;
    const message = /^(.*?)(?: in JSON at position \d.*|, (?:\.\.\.)?".*)?$/s
      .exec((err as Error).message)![1]
      .replace(/\n/g, "\\n");
    const lines = text.slice(0, offset).split("\n");
    return fail(`${file}:${lines.length}:${lines[lines.length - 1].length + 1}: not valid JSON: ${message}`);
  }
}

/** A stack's config as a tool reads it from the stack file (tools/offline/stack-config.ts). */
export interface StackConfigValues {
  readonly project: string;
  readonly stack: string;
  /** `"<namespace>:<key>"` → string, structured values JSON-encoded. */
  readonly config: Readonly<Record<string, string>>;
}

/**
 * The catalog of a stack file a tool read itself (the offline preview, the operator commands),
 * from the same two keys the program reads.
 */
export function readStackCatalogSource(
  stackConfig: StackConfigValues,
  projectDir: string,
  stackFile?: string,
): CatalogSource {
  const value = (name: string) => stackConfig.config[`${stackConfig.project}:${name}`];
  return readCatalogSource(
    { catalog: value(CATALOG_CONFIG_KEY), catalogFile: value(CATALOG_FILE_CONFIG_KEY) },
    { projectDir, project: stackConfig.project, stack: stackConfig.stack, stackFile },
  );
}
