/**
 * Settings every deployed rotation function (Lambda, Cloud Function, Azure Function) reads
 * from its environment, so the three runtimes agree on names and defaults.
 */
import { readFileSync } from "node:fs";
import type { TlsMode } from "./engine";

/** `ROTATION_DB_TLS` = verify (default) | disable; `ROTATION_DB_TLS_CA_FILE` = PEM bundle to trust. */
export function tlsFromEnvironment(env: NodeJS.ProcessEnv): TlsMode {
  const mode = env.ROTATION_DB_TLS ?? "verify";
  if (mode === "disable") return { mode };
  if (mode === "verify") {
    const caFile = env.ROTATION_DB_TLS_CA_FILE;
    return { mode, ca: caFile ? readFileSync(caFile, "utf8") : undefined };
  }
  throw new Error(`ROTATION_DB_TLS must be "verify" or "disable", not "${mode}"`);
}

/** A required setting; the message names it so a misdeployed function says what is missing. */
export function requiredSetting(env: NodeJS.ProcessEnv, key: string): string {
  const value = env[key];
  if (!value) throw new Error(`rotation function setting ${key} is not set`);
  return value;
}
