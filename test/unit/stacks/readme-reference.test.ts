import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { catalogSchema } from "../../../stacks/schema";
import { PROJECT_DIR } from "../../support/offline";

/** Every object key anywhere in a zod schema, walking wrappers, arrays, unions and records. */
function schemaKeys(schema: z.core.$ZodType, keys = new Set<string>()): Set<string> {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case "object":
      for (const [key, child] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
        keys.add(key);
        schemaKeys(child, keys);
      }
      break;
    case "optional":
    case "default":
    case "nullable":
    case "prefault":
      schemaKeys(def.innerType as z.core.$ZodType, keys);
      break;
    case "array":
      schemaKeys(def.element as z.core.$ZodType, keys);
      break;
    case "union":
      for (const option of def.options as z.core.$ZodType[]) schemaKeys(option, keys);
      break;
    case "record":
      schemaKeys(def.valueType as z.core.$ZodType, keys);
      break;
  }
  return keys;
}

describe("catalog reference (docs/catalog.md, generated: test/unit/docs/catalog-reference.test.ts)", () => {
  it("documents every key of the catalog schema", () => {
    const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "catalog.md"), "utf8");
    const reference = doc.slice(doc.indexOf("\n## `"));
    const keys = schemaKeys(catalogSchema);
    assert.ok(keys.size > 50, `walked only ${keys.size} keys`);
    const missing = [...keys].filter((k) => !new RegExp("`[^`]*\\b" + k + "\\b[^`]*`").test(reference));
    assert.deepEqual(missing, [], "keys missing from docs/catalog.md");
  });
});
