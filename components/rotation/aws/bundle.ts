/**
 * Bundles the rotation handler with esbuild when the Pulumi program runs, so the deployed code
 * is always the code in this repository, with pinned dependencies (the AWS SDK included rather
 * than whatever version the Lambda runtime ships).
 */
import { buildSync } from "esbuild";
import * as path from "node:path";

let cached: string | undefined;

export const HANDLER_ENTRY = path.join(__dirname, "handler.ts");

export function bundleRotationHandler(): string {
  cached ??= buildSync({
    entryPoints: [HANDLER_ENTRY],
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
  return cached;
}
