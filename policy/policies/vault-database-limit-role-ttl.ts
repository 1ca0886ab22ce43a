import * as vault from "@pulumi/vault";
import { validateResourceOfType } from "@pulumi/policy";
import { integerThreshold, resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { vaultTtlSeconds } from "../lib/durations";
import { PERIODIC_CREDENTIAL_CHANGE, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

const NAME = "vault-database-limit-role-ttl";
const thresholds = {
  maxDefaultTtlSeconds: integerThreshold(
    1,
    "Longest default lease of a dynamic database credential, in seconds.",
    (t) => t.dynamicCredentialTtlSeconds,
  ),
  maxMaxTtlSeconds: integerThreshold(
    1,
    "Longest maximum lease of a dynamic database credential, in seconds.",
    (t) => t.dynamicCredentialMaxTtlSeconds,
  ),
} as const satisfies ThresholdSet;

export const vaultDatabaseLimitRoleTtl: PlatformResourcePolicy = {
  name: NAME,
  description:
    "Dynamic database roles must set a default and maximum TTL within the environment's limits (0 or unset means the mount's, up to 32 days).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: PERIODIC_CREDENTIAL_CHANGE,
  tags: controls("soc2:CC6.1"),
  remediationSteps:
    "Set `defaultTtl` and `maxTtl` to at most this policy's `maxDefaultTtlSeconds` and `maxMaxTtlSeconds`.",
  configSchema: thresholdSchema(thresholds),
  validateResource: validateResourceOfType(vault.database.SecretBackendRole, (role, args, report) => {
    const limits = resolveThresholds(NAME, thresholds, args.getConfig(), args.urn);
    const fields = [
      ["defaultTtl", role.defaultTtl, limits.maxDefaultTtlSeconds],
      ["maxTtl", role.maxTtl, limits.maxMaxTtlSeconds],
    ] as const;
    for (const [field, value, limit] of fields) {
      const seconds = vaultTtlSeconds(value);
      if (!seconds)
        report(
          `${field} is ${value ?? "unset"}: the lease falls back to the mount's TTL; set at most ${limit}s.`,
        );
      else if (seconds > limit)
        report(`${field} is ${seconds}s; ${limits.environment} allows at most ${limit}s.`);
    }
  }),
};
