/** Realistic ARM ids, principal ids and URIs for `@pulumi/azure-native` resources. */
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { type MockHandler, mockUuid } from "./context";

export const azureMocks: MockHandler = (type, name, inputs, ctx) => {
  if (!type.startsWith("azure-native:")) return undefined;
  const rg = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : "rg";
  const sub = `/subscriptions/${ctx.azureSubscriptionId}`;
  const scoped = (provider: string, resourceName: string) =>
    `${sub}/resourceGroups/${rg}/providers/${provider}/${resourceName}`;
  switch (type) {
    case "azure-native:resources:ResourceGroup": {
      const rgName = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : name;
      return { id: `${sub}/resourceGroups/${rgName}`, outputs: { name: rgName } };
    }
    case "azure-native:keyvault:Vault": {
      const vaultName = typeof inputs.vaultName === "string" ? inputs.vaultName : name;
      const properties = {
        ...((inputs.properties as Record<string, unknown>) ?? {}),
        vaultUri: `https://${vaultName}.vault.azure.net/`,
      };
      return { id: scoped("Microsoft.KeyVault/vaults", vaultName), outputs: { name: vaultName, properties } };
    }
    case "azure-native:keyvault:Secret":
    case "azure-native:keyvault:Key": {
      const kind = type.endsWith("Secret") ? "secrets" : "keys";
      const itemName = String(inputs.secretName ?? inputs.keyName ?? name);
      const vaultName = String(inputs.vaultName ?? "vault");
      const uri = `https://${vaultName}.vault.azure.net/${kind}/${itemName}`;
      // ARM never returns a secret's value, and a value input makes the whole `properties`
      // input a secret: return the response shape, without the value and without the wrapper.
      const properties = {
        ...withoutValue(inputs.properties),
        [`${kind === "secrets" ? "secret" : "key"}Uri`]: uri,
        [`${kind === "secrets" ? "secret" : "key"}UriWithVersion`]: `${uri}/${mockUuid(uri).replace(/-/g, "")}`,
      };
      return {
        id: scoped(`Microsoft.KeyVault/vaults/${vaultName}/${kind}`, itemName),
        outputs: {
          name: itemName,
          properties,
          ...(kind === "keys"
            ? { keyUri: uri, keyUriWithVersion: `${uri}/${mockUuid(uri).replace(/-/g, "")}` }
            : {}),
        },
      };
    }
    case "azure-native:managedidentity:UserAssignedIdentity": {
      const identityName = String(inputs.resourceName ?? name);
      return {
        id: scoped("Microsoft.ManagedIdentity/userAssignedIdentities", identityName),
        outputs: {
          name: identityName,
          principalId: mockUuid("principal", identityName),
          clientId: mockUuid("client", identityName),
          tenantId: ctx.azureTenantId,
        },
      };
    }
    case "azure-native:managedidentity:FederatedIdentityCredential": {
      const credential = String(inputs.federatedIdentityCredentialResourceName ?? name);
      const identity = scoped(
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        String(inputs.resourceName),
      );
      return { id: `${identity}/federatedIdentityCredentials/${credential}`, outputs: { name: credential } };
    }
    case "azure-native:monitor:DiagnosticSetting": {
      const setting = String(inputs.name ?? name);
      return {
        id: `${String(inputs.resourceUri)}/providers/microsoft.insights/diagnosticSettings/${setting}`,
        outputs: { name: setting },
      };
    }
    case "azure-native:authorization:RoleDefinition": {
      const definition = mockUuid(type, name);
      return {
        id: `${String(inputs.scope)}/providers/Microsoft.Authorization/roleDefinitions/${definition}`,
        outputs: { name: definition },
      };
    }
    case "azure-native:authorization:RoleAssignment": {
      const assignment = mockUuid(type, name);
      return {
        id: `${String(inputs.scope)}/providers/Microsoft.Authorization/roleAssignments/${assignment}`,
        outputs: { name: assignment },
      };
    }
    case "azure-native:storage:StorageAccount": {
      const accountName = String(inputs.accountName ?? name);
      return {
        id: scoped("Microsoft.Storage/storageAccounts", accountName),
        outputs: {
          name: accountName,
          primaryEndpoints: { blob: `https://${accountName}.blob.core.windows.net/` },
        },
      };
    }
    case "azure-native:storage:BlobContainer": {
      const containerName = String(inputs.containerName ?? name);
      const account = scoped("Microsoft.Storage/storageAccounts", String(inputs.accountName));
      return {
        id: `${account}/blobServices/default/containers/${containerName}`,
        outputs: { name: containerName },
      };
    }
    default: {
      const resourceName = String(inputs.resourceName ?? inputs.name ?? name);
      return { id: scoped(type.split(":")[1], resourceName), outputs: { name: resourceName } };
    }
  }
};

/** The mock monitor hands secret inputs over wrapped (`{ <sig>: <secret sig>, value }`). */
function withoutValue(properties: unknown): Record<string, unknown> {
  const plain = rpc.isRpcSecret(properties) ? rpc.unwrapRpcSecret(properties) : properties;
  if (typeof plain !== "object" || plain === null) return {};
  return Object.fromEntries(Object.entries(plain).filter(([key]) => key !== "value"));
}
