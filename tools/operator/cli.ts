/**
 * Shared plumbing of the operator commands (tools/operator/*.ts): reading a stack's catalog by stack name or file, and the
 * exit codes. Each command writes only its document to stdout; messages go to stderr.
 *
 * Exit codes: 0 done, 2 invalid input (arguments, unknown stack or database, unreadable stack
 * file, invalid catalog), 3 the command itself failed (a bug: the stack trace is printed).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { readStackCatalogSource } from "../../stacks/catalog-source";
import type { Catalog } from "../../stacks/schema";
import { CatalogError, validateCatalog } from "../../stacks/validate";
import { StackFileError, readStackConfig } from "../offline/stack-config";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** Wrong arguments or input the operator can fix: exit 2 with the message alone. */
export class InputError extends Error {
  override name = "InputError";
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The stacks shipped beside Pulumi.yaml, from their `Pulumi.<stack>.yaml` files. */
export function shippedStacks(projectDir = PROJECT_DIR): string[] {
  return fs
    .readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export interface StackChoice {
  readonly stack?: string;
  readonly stackFile?: string;
}

/** The stack file an operator named with --stack or --stack-file. */
export function stackFileOf(choice: StackChoice, projectDir = PROJECT_DIR): { file: string; name: string } {
  if (!choice.stack === !choice.stackFile)
    throw new InputError("give exactly one of --stack or --stack-file");
  if (choice.stackFile) {
    if (!fs.existsSync(choice.stackFile))
      throw new InputError(`--stack-file ${choice.stackFile}: no such file`);
    const name = path.basename(choice.stackFile).replace(/^Pulumi\.(.+)\.ya?ml$/, "$1");
    return { file: choice.stackFile, name };
  }
  const stack = choice.stack!;
  const known = shippedStacks(projectDir);
  if (!/^[A-Za-z0-9._-]+$/.test(stack) || !known.includes(stack)) {
    throw new InputError(
      `unknown stack ${JSON.stringify(stack)}: no Pulumi.${stack}.yaml in ${projectDir}; the stacks here are ${known.join(", ")} (or give --stack-file)`,
    );
  }
  return { file: path.join(projectDir, `Pulumi.${stack}.yaml`), name: stack };
}

/** The validated catalog of a stack (from `catalog` or `catalogFile`); every problem is an InputError naming the stack. */
export function loadCatalog(
  choice: StackChoice,
  projectDir = PROJECT_DIR,
): { stack: string; catalog: Catalog } {
  const { file, name } = stackFileOf(choice, projectDir);
  try {
    const { raw, origin } = readStackCatalogSource(readStackConfig(projectDir, file, name), projectDir, file);
    return { stack: name, catalog: validateCatalog(raw, origin) };
  } catch (err) {
    if (err instanceof StackFileError || err instanceof CatalogError) throw new InputError(err.message);
    throw err;
  }
}

export const STACK_OPTIONS = {
  stack: { type: "string" },
  "stack-file": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsConfig["options"];

/** parseArgs whose errors (unknown option, missing value) are InputErrors. */
export function parse<O extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: O,
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

/** Runs a command: maps its errors to exit codes 2 (input) and 3 (bug). */
export function run(
  usage: string,
  command: (output: Output) => void,
  output: Output = processOutput,
): number {
  try {
    command(output);
    return 0;
  } catch (err) {
    return exitCodeOf(err, usage, output);
  }
}

/** `run` for a command that talks to a server. */
export async function runAsync(
  usage: string,
  command: (output: Output) => Promise<void>,
  output: Output = processOutput,
): Promise<number> {
  try {
    await command(output);
    return 0;
  } catch (err) {
    return exitCodeOf(err, usage, output);
  }
}

/**
 * A failure the operator can act on that is not their input: a server refused or could not be
 * reached. Exit 1 with the message alone.
 */
export class OperationError extends Error {
  override name = "OperationError";
}

function exitCodeOf(err: unknown, usage: string, output: Output): number {
  if (err instanceof InputError) {
    output.err(`error: ${err.message}\n${usage.split("\n")[0]}\n(--help explains every option)\n`);
    return 2;
  }
  if (err instanceof OperationError) {
    output.err(`error: ${err.message}\n`);
    return 1;
  }
  output.err(`internal error (please report it): ${(err as Error).stack ?? String(err)}\n`);
  return 3;
}

type StackCommandOptions = typeof STACK_OPTIONS & NonNullable<ParseArgsConfig["options"]>;

/** The parsed options of a stack command. */
export type StackCommandValues<O extends StackCommandOptions> = ReturnType<typeof parse<O>>;

/**
 * The head every stack command shares: parse the options, answer `--help` (undefined: nothing
 * more to do), load the catalog the operator named.
 */
function openStackCommand<O extends StackCommandOptions>(
  usage: string,
  argv: readonly string[],
  options: O,
  output: Output,
): { values: StackCommandValues<O>; stack: string; catalog: Catalog } | undefined {
  const values = parse(argv, options);
  // Every O holds STACK_OPTIONS, but TypeScript cannot narrow parseArgs' values of a generic O.
  const choice = values as { help?: boolean; stack?: string; "stack-file"?: string };
  if (choice.help) {
    output.out(`${usage}\n`);
    return undefined;
  }
  return { values, ...loadCatalog({ stack: choice.stack, stackFile: choice["stack-file"] }) };
}

/**
 * A command that prints a document rendered from one stack's catalog (`--stack`/`--stack-file`):
 * `render` throws an InputError when the catalog has nothing to print.
 */
export function printFromCatalog(
  usage: string,
  argv: readonly string[],
  render: (catalog: Catalog, stack: string) => string,
  output: Output = processOutput,
): number {
  return run(
    usage,
    (o) => {
      const opened = openStackCommand(usage, argv, STACK_OPTIONS, o);
      if (opened) o.out(render(opened.catalog, opened.stack));
    },
    output,
  );
}

/** A command that talks to the Vault of one stack's catalog, with options beyond the stack's. */
export function runOnCatalog<O extends StackCommandOptions>(
  usage: string,
  argv: readonly string[],
  options: O,
  command: (
    opened: { values: StackCommandValues<O>; stack: string; catalog: Catalog },
    output: Output,
  ) => Promise<void>,
  output: Output = processOutput,
): Promise<number> {
  return runAsync(
    usage,
    async (o) => {
      const opened = openStackCommand(usage, argv, options, o);
      if (opened) await command(opened, o);
    },
    output,
  );
}
