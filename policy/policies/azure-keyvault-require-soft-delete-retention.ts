import * as azure from "@pulumi/azure-native";
import { validateResourceOfType } from "@pulumi/policy";
import { integerThreshold, resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { KEY_VAULT_RECOVERABLE, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

const NAME = "azure-keyvault-require-soft-delete-retention";
/** Key Vault's soft-delete retention when `softDeleteRetentionInDays` is unset. */
const AZURE_DEFAULT_RETENTION_DAYS = 90;
const thresholds = {
  minRetentionDays: integerThreshold(
    7,
    "Shortest soft-delete retention of a vault, in days (Azure accepts 7-90).",
    (t) => t.recoveryWindowDays,
  ),
} as const satisfies ThresholdSet;

export const azureKeyvaultRequireSoftDeleteRetention: PlatformResourcePolicy = {
  name: NAME,
  description: "Key Vaults must keep soft delete on with at least the environment's recovery window.",
  enforcementLevel: "mandatory",
  severity: "medium",
  framework: KEY_VAULT_RECOVERABLE,
  tags: controls("soc2:A1.2"),
  remediationSteps:
    "Leave `properties.enableSoftDelete` unset or true and set `softDeleteRetentionInDays` to at least this policy's `minRetentionDays` (default per environment in its config schema).",
  configSchema: thresholdSchema(thresholds),
  validateResource: validateResourceOfType(azure.keyvault.Vault, (vault, args, report) => {
    const { minRetentionDays, environment } = resolveThresholds(NAME, thresholds, args.getConfig(), args.urn);
    if (vault.properties.enableSoftDelete === false) {
      report("properties.enableSoftDelete is false.");
      return;
    }
    const days = vault.properties.softDeleteRetentionInDays ?? AZURE_DEFAULT_RETENTION_DAYS;
    if (days < minRetentionDays)
      report(`softDeleteRetentionInDays is ${days}; ${environment} requires at least ${minRetentionDays}.`);
  }),
};
