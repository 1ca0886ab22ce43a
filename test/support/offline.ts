/**
 * Test helpers over the offline runtime: record what a program or a single component
 * registers, and load the shipped catalogs as validated values.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import type { LoadedStack } from "../../stacks/loader";
import { requiredSecretKeys } from "../../stacks/loader";
import { profileFor } from "../../stacks/profiles";
import type { Catalog, CatalogInput, Environment } from "../../stacks/schema";
import { validateCatalog } from "../../stacks/validate";
import { mockContextFromCatalog } from "../../tools/offline/mocks/context";
import { runOffline } from "../../tools/offline/runtime";
import type { RecordedResource } from "../../tools/offline/types";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The raw (unvalidated) catalog of a shipped stack, as a fresh mutable copy. */
export function shippedCatalogInput(stack: Environment): CatalogInput {
  const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8"));
  return structuredClone(doc.config["secrets-platform:catalog"]);
}

export function shippedCatalog(stack: Environment): Catalog {
  return validateCatalog(shippedCatalogInput(stack));
}

/** A LoadedStack for a catalog, with placeholder secrets for every config key it needs. */
export function loadedStackFor(catalog: Catalog): LoadedStack {
  const secrets = new Map(
    requiredSecretKeys(catalog).map(({ key }) => [key, pulumi.secret(`test-placeholder-for-${key}`)]),
  );
  return { catalog, profile: profileFor(catalog.environment), secrets };
}

/**
 * Runs `program` under the mock runtime and returns every registered resource. Throws the
 * program's error, so a test fails with the component's own message.
 */
export async function recordResources(
  program: () => unknown,
  catalog?: CatalogInput | Catalog,
  stack = "test",
): Promise<RecordedResource[]> {
  const run = await runOffline({
    project: "secrets-platform",
    stack,
    config: {},
    secretKeys: [],
    program,
    mockContext: mockContextFromCatalog(catalog),
  });
  if (run.error) throw run.error;
  return run.resources;
}

export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}
