/**
 * Every value we set must be one the chart reads. Helm ignores a key the templates never look
 * at (and these charts' values.schema.json allow extra keys), so a misspelt or moved value
 * would silently fall back to the chart's default.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Paths in `values` the chart's own values.yaml does not declare. Below a default that is an
 * empty map, a list, a string or null the chart takes free-form content (labels, annotations,
 * resources, affinity), so nothing further is checked there.
 */
export function undeclaredValues(values: unknown, chartDir: string): string[] {
  const defaults: unknown = YAML.parse(fs.readFileSync(path.join(chartDir, "values.yaml"), "utf8"));
  const found: string[] = [];
  const walk = (ours: unknown, theirs: unknown, at: string) => {
    if (!isMap(ours) || !isMap(theirs) || Object.keys(theirs).length === 0) return;
    for (const [key, value] of Object.entries(ours)) {
      const where = at ? `${at}.${key}` : key;
      if (!(key in theirs)) found.push(where);
      else walk(value, theirs[key], where);
    }
  };
  walk(values, defaults, "");
  return found;
}
