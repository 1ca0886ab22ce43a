/** What the offline preview reads before it loads the program: cheap, so bad input fails fast. */
import * as fs from "node:fs";

/** The catalog, the stack file or the arguments are wrong: the offline preview exits 2. */
export class InvalidInputError extends Error {
  override name = "InvalidInputError";
}

/** A policy config file's JSON; invalid input (exit 2) when it cannot be read. */
export function readPolicyConfigFile(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new InvalidInputError(`policy config ${file}: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InvalidInputError(`policy config ${file}: not a JSON object`);
  return value as Record<string, unknown>;
}
