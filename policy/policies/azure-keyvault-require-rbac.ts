import * as azure from "@pulumi/azure-native";
import { validateResourceOfType } from "@pulumi/policy";
import { cis, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

export const azureKeyvaultRequireRbac: PlatformResourcePolicy = {
  name: "azure-keyvault-require-rbac",
  description: "Key Vaults must use Azure RBAC for data-plane access, not vault access policies.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: cis(
    "Microsoft Azure Foundations",
    "8.6",
    "Enable Role Based Access Control for Azure Key Vault.",
  ),
  tags: controls("soc2:CC6.3", "pci-dss:7.2.1"),
  remediationSteps:
    "Set `properties.enableRbacAuthorization: true` and remove `properties.accessPolicies`; grant `Key Vault Secrets User` per secret.",
  validateResource: validateResourceOfType(azure.keyvault.Vault, (vault, _args, report) => {
    if (vault.properties.enableRbacAuthorization !== true)
      report("properties.enableRbacAuthorization is not true: access policies grant vault-wide access.");
  }),
};
