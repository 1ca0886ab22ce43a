/**
 * Test helpers over the offline runtime: record what a program or a single component
 * registers, and load the shipped catalogs as validated values.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { LoadedStack } from "../../stacks/loader";
import { requiredSecretKeys } from "../../stacks/loader";
import { profileFor } from "../../stacks/profiles";
import type { Catalog, CatalogInput, Environment } from "../../stacks/schema";
import { validateCatalog } from "../../stacks/validate";
import { mockContextFromCatalog } from "../../tools/offline/mocks/context";
import { PROJECT_DIR, shippedCatalogInput } from "../../tools/offline/shipped-stacks";
import { runOffline } from "../../tools/offline/runtime";
import type { RecordedResource } from "../../tools/offline/types";

export { PROJECT_DIR, shippedCatalogInput };

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

/** The resource of that type and name; fails the test naming it when it was not registered. */
export function named<R extends Pick<RecordedResource, "type" | "name">>(
  resources: readonly R[],
  type: string,
  name: string,
): R {
  const found = resources.find((r) => r.type === type && r.name === name);
  assert.ok(found, `${type} ${name} was not registered`);
  return found;
}
