import * as azure from "@pulumi/azure-native";
import { validateResourceOfType } from "@pulumi/policy";
import { cis, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

export const azureKeyvaultRestrictNetwork: PlatformResourcePolicy = {
  name: "azure-keyvault-restrict-network",
  description:
    "Key Vaults must deny network access by default (firewall default action Deny, or public network access disabled).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: cis(
    "Microsoft Azure Foundations",
    "8.7",
    "Ensure that Private Endpoints are Used for Azure Key Vault.",
  ),
  tags: controls("soc2:CC6.6", "pci-dss:1.3.1"),
  remediationSteps:
    'Set `properties.networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules, virtualNetworkRules }` from the catalog\'s allowed ranges and subnets, or `publicNetworkAccess: "Disabled"` with a private endpoint.',
  validateResource: validateResourceOfType(azure.keyvault.Vault, (vault, _args, report) => {
    const { networkAcls, publicNetworkAccess } = vault.properties;
    if (publicNetworkAccess?.toLowerCase() === "disabled") return;
    if (networkAcls?.defaultAction?.toLowerCase() !== "deny") {
      report(
        `networkAcls.defaultAction is ${networkAcls?.defaultAction ?? "unset (Allow)"}: the vault accepts traffic from any network.`,
      );
    }
  }),
};
