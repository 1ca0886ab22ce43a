/**
 * Who may reach the Key Vault's data plane. With no allowed networks in the catalog, public
 * access is off (clients need a private endpoint). With allowed IP ranges or subnets, public
 * access is on but the firewall denies everything except those networks, and no "trusted
 * Azure services" bypass. Either way, management-plane calls (what Pulumi uses to create
 * secrets through ARM) are unaffected.
 */
import type * as azure from "@pulumi/azure-native";
import type { EnvironmentProfile } from "../../stacks/profiles";
import type { AzureSettings } from "../../stacks/schema";

export interface VaultNetworkSettings {
  readonly publicNetworkAccess: "Enabled" | "Disabled";
  readonly networkAcls: azure.types.input.keyvault.NetworkRuleSetArgs;
}

export function vaultNetworkSettings(settings: AzureSettings): VaultNetworkSettings {
  const open = settings.allowedIpRanges.length > 0 || settings.allowedSubnetIds.length > 0;
  return {
    publicNetworkAccess: open ? "Enabled" : "Disabled",
    networkAcls: {
      defaultAction: "Deny",
      bypass: "None",
      ipRules: settings.allowedIpRanges.map((value) => ({ value })),
      virtualNetworkRules: settings.allowedSubnetIds.map((id) => ({ id })),
    },
  };
}

/**
 * What every Key Vault of the platform is (the secrets vault and Vault's unseal vault): RBAC
 * only, purge protection, soft delete for the profile's recovery window, network from config.
 */
export function secureVaultProperties(
  settings: AzureSettings,
  profile: EnvironmentProfile,
): azure.types.input.keyvault.VaultPropertiesArgs {
  return {
    tenantId: settings.tenantId,
    sku: { family: "A", name: "standard" },
    enableRbacAuthorization: true,
    enableSoftDelete: true,
    enablePurgeProtection: true,
    softDeleteRetentionInDays: profile.recoveryWindowDays,
    ...vaultNetworkSettings(settings),
  };
}
