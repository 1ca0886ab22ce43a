/**
 * The per-environment rotation table for the README, rendered from the profiles so the
 * documentation cannot drift from what the components deploy.
 */
import { PROFILES, type EnvironmentProfile } from "../../stacks/profiles";
import type { Environment } from "../../stacks/schema";

function duration(seconds: number): string {
  if (seconds % 86400 === 0 && seconds >= 2 * 86400) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${seconds / 60} min`;
}

const ROWS: ReadonlyArray<readonly [string, (p: EnvironmentProfile) => string]> = [
  [
    "Vault dynamic credential TTL / max TTL",
    (p) => `${duration(p.dynamicCredential.ttlSeconds)} / ${duration(p.dynamicCredential.maxTtlSeconds)}`,
  ],
  [
    "Static credentials and platform-rotated logins (AWS, GCP, Azure): rotation period",
    (p) => `${p.staticRotation.periodDays} d`,
  ],
  [
    "Vault static-role schedule (UTC) / window",
    (p) => `\`${p.staticRotation.vaultSchedule}\` / ${duration(p.staticRotation.windowSeconds)}`,
  ],
  [
    "Secrets Manager schedule / window",
    (p) => `\`${p.staticRotation.awsScheduleExpression}\` / ${p.staticRotation.awsWindow}`,
  ],
  ["Issuer-rotated secrets: GCP reminder period, Azure expiry", (p) => `${p.secretExpiryDays} d`],
  ["KMS / customer-managed key rotation", (p) => `${p.keyRotationDays} d`],
  ["Slowest rotation the policy pack allows", (p) => `${p.maxRotationDays} d`],
  [
    "ESO refresh: fraction of TTL / at most every",
    (p) => `${(p.eso.dynamicRefreshFraction * 100).toFixed(0)} % / ${duration(p.eso.maxRefreshSeconds)}`,
  ],
  ["Deleted secret recoverable for", (p) => `${p.recoveryWindowDays} d`],
  [
    "Vault raft snapshots (with `vault.snapshots`): schedule (UTC) / kept",
    (p) => `\`${p.vault.snapshots.schedule}\` / ${p.vault.snapshots.retentionDays} d`,
  ],
];

/** A markdown table: one row per setting, one column per environment (dev, staging, prod). */
export function renderRotationTable(
  profiles: Readonly<Record<Environment, EnvironmentProfile>> = PROFILES,
): string {
  const environments = Object.keys(profiles) as Environment[];
  const lines = [
    `| Setting | ${environments.join(" | ")} |`,
    `| --- | ${environments.map(() => "---").join(" | ")} |`,
    ...ROWS.map(
      ([label, value]) => `| ${label} | ${environments.map((e) => value(profiles[e])).join(" | ")} |`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
