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

describe("README catalog reference", () => {
  it("documents every key of the catalog schema", () => {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const reference = readme.slice(readme.indexOf("## The catalog"), readme.indexOf("## Layout"));
    const keys = schemaKeys(catalogSchema);
    assert.ok(keys.size > 50, `walked only ${keys.size} keys`);
    const missing = [...keys].filter((k) => !new RegExp("`[^`]*\\b" + k + "\\b[^`]*`").test(reference));
    assert.deepEqual(missing, [], "keys missing from README's catalog reference");
  });
});
