/**
 * Azure Key Vault auto-unseal: an RBAC key vault holding a rotating wrap key; a user-assigned
 * identity federated with Vault's service account holds `Key Vault Crypto Service Encryption
 * User` on that key only.
 */
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { secureVaultProperties } from "../../azure/network";
import { environmentName, unsealKeyVaultName } from "../../../stacks/naming";
import { serviceAccountSubject } from "../serverNames";
import type { Unseal, UnsealContext } from "./types";

/** Built-in role: wrap/unwrap with a key, nothing else. */
const CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6";
const KEY_NAME = "vault-unseal";

export function azureUnseal(ctx: UnsealContext): Unseal {
  const { name, parent, catalog, vault, profile, cluster } = ctx;
  const settings = catalog.azure;
  if (!settings) throw new Error(`vault.unseal: "azure" needs the top-level azure section`);
  const vaultName = unsealKeyVaultName(catalog);

  const keyVault = new azure.keyvault.Vault(
    `${name}-unseal-vault`,
    {
      vaultName,
      resourceGroupName: settings.resourceGroup,
      location: settings.location,
      // The same secure vault as the secrets' one: Vault reaches it from the allowed networks.
      properties: secureVaultProperties(settings, profile),
      tags: { ...catalog.tags, "secrets-platform-purpose": "vault-unseal" },
    },
    { parent, protect: profile.protect },
  );
  const key = new azure.keyvault.Key(
    `${name}-unseal-key`,
    {
      keyName: KEY_NAME,
      vaultName: keyVault.name,
      resourceGroupName: settings.resourceGroup,
      properties: {
        kty: "RSA",
        keySize: 3072,
        keyOps: ["wrapKey", "unwrapKey"],
        rotationPolicy: {
          lifetimeActions: [
            { action: { type: "rotate" }, trigger: { timeAfterCreate: `P${profile.keyRotationDays}D` } },
          ],
        },
      },
    },
    { parent, protect: profile.protect },
  );
  const identity = new azure.managedidentity.UserAssignedIdentity(
    `${name}-unseal-identity`,
    {
      resourceName: environmentName(catalog, "vault-unseal"),
      resourceGroupName: settings.resourceGroup,
      location: settings.location,
      tags: catalog.tags,
    },
    { parent },
  );
  new azure.managedidentity.FederatedIdentityCredential(
    `${name}-unseal-federation`,
    {
      resourceName: identity.name,
      resourceGroupName: settings.resourceGroup,
      federatedIdentityCredentialResourceName: "vault-server",
      issuer: cluster.oidcIssuerUrl,
      subject: serviceAccountSubject(vault.namespace),
      audiences: ["api://AzureADTokenExchange"],
    },
    { parent },
  );
  new azure.authorization.RoleAssignment(
    `${name}-unseal-use`,
    {
      scope: key.id,
      roleDefinitionId: `/subscriptions/${settings.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${CRYPTO_SERVICE_ENCRYPTION_USER}`,
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
    },
    { parent },
  );

  return {
    seal: pulumi.output({
      type: "seal",
      label: "azurekeyvault",
      attributes: { tenant_id: settings.tenantId, vault_name: vaultName, key_name: KEY_NAME },
    }),
    serviceAccountAnnotations: identity.clientId.apply((clientId): Record<string, string> => ({
      "azure.workload.identity/client-id": clientId,
      "azure.workload.identity/tenant-id": settings.tenantId,
    })),
    // The AKS webhook injects the federated token only into pods carrying this label.
    podLabels: { "azure.workload.identity/use": "true" },
    volumes: [],
  };
}
