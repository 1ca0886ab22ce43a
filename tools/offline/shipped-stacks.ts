/** The shipped stack files, read raw (tests and the benchmark start from them). */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import type { CatalogInput, Environment } from "../../stacks/schema";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

export function shippedStackDocument(stack: Environment): { config: Record<string, unknown> } {
  return YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8"));
}

export function shippedCatalogInput(stack: Environment): CatalogInput {
  return structuredClone(shippedStackDocument(stack).config["secrets-platform:catalog"]) as CatalogInput;
}
