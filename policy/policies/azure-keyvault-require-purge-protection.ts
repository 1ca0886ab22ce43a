import * as azure from "@pulumi/azure-native";
import { validateResourceOfType } from "@pulumi/policy";
import { KEY_VAULT_RECOVERABLE, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

export const azureKeyvaultRequirePurgeProtection: PlatformResourcePolicy = {
  name: "azure-keyvault-require-purge-protection",
  description:
    "Key Vaults must have purge protection, so a deleted vault or secret cannot be destroyed before its retention ends.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: KEY_VAULT_RECOVERABLE,
  tags: controls("soc2:A1.2"),
  remediationSteps: "Set `properties.enablePurgeProtection: true` (irreversible by design).",
  validateResource: validateResourceOfType(azure.keyvault.Vault, (vault, _args, report) => {
    if (vault.properties.enablePurgeProtection !== true)
      report("properties.enablePurgeProtection is not true.");
  }),
};
