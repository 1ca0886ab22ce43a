/**
 * How often an ExternalSecret re-reads its source, derived from the environment profile:
 * - Vault dynamic database credentials: at most `dynamicRefreshFraction` of the lease TTL,
 *   so a fresh lease is in the Secret well before the old one expires;
 * - credentials rotated on a schedule (Vault static roles, cloud secrets rotated by our
 *   function): at most the rotation period;
 * - everything: at most the profile's `eso.maxRefreshSeconds` and the catalog's tighter
 *   `eso.maxRefreshSeconds` when set, and never 0 (0 would mean "never refresh").
 */
import type { EnvironmentProfile } from "../../stacks/profiles";
import type { WorkloadSecret } from "../../stacks/schema";

const DAY = 86_400;

export function refreshIntervalSeconds(
  secret: WorkloadSecret,
  profile: EnvironmentProfile,
  catalogBound?: number,
): number {
  const bounds = [profile.eso.maxRefreshSeconds, ...(catalogBound ? [catalogBound] : [])];
  if (secret.source === "vault-database" && secret.credential === "dynamic") {
    bounds.push(Math.floor(profile.dynamicCredential.ttlSeconds * profile.eso.dynamicRefreshFraction));
  } else if (isRotated(secret)) {
    bounds.push(profile.staticRotation.periodDays * DAY);
  }
  const seconds = Math.min(...bounds);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error(
      `refresh interval for secret ${JSON.stringify(secret.name)} came out as ${seconds}s; ` +
        `check eso and dynamicCredential settings of the ${profile.environment} profile in stacks/profiles.ts`,
    );
  }
  return seconds;
}

function isRotated(secret: WorkloadSecret): boolean {
  return (
    secret.source === "vault-database" || (secret.source !== "vault-kv" && secret.rotation !== undefined)
  );
}

/** A Go duration string (`1h`, `40m`, `5h20m`) as ESO's `refreshInterval` expects. */
export function goDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts = [hours ? `${hours}h` : "", minutes ? `${minutes}m` : "", seconds ? `${seconds}s` : ""];
  return parts.join("") || "0s";
}
