/**
 * Bundles the rotation handler with esbuild when the Pulumi program runs, so the deployed code
 * is always the code in this repository, with pinned dependencies (the AWS SDK included rather
 * than whatever version the Lambda runtime ships).
 */
import { buildSync } from "esbuild";
import * as path from "node:path";

const cache = new Map<string, string>();

export const HANDLER_ENTRY = path.join(__dirname, "handler.ts");

export function bundleRotationHandler(): string {
  return bundleFunction(HANDLER_ENTRY);
}

/** One CommonJS file for Node 22 holding `entry` and everything it imports (GCP and Azure too). */
export function bundleFunction(entry: string): string {
  const cached = cache.get(entry);
  if (cached !== undefined) return cached;
  const text = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    write: false,
    // pg's optional native binding; the pure-JS client is what we use.
    external: ["pg-native"],
    logLevel: "silent",
  }).outputFiles[0].text;
  cache.set(entry, text);
  return text;
}
