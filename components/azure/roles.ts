/**
 * Azure built-in role definition ids. Checked against Microsoft's "Provide access to Key
 * Vault keys, certificates, and secrets with Azure role-based access control"
 * (https://learn.microsoft.com/azure/key-vault/general/rbac-guide, table "Azure built-in
 * roles for Key Vault data plane operations"; the same row is in MicrosoftDocs/azure-docs,
 * articles/key-vault/general/rbac-guide.md).
 */

/** "Key Vault Secrets User": read secret contents. The only role a workload gets, per secret. */
export const KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";

/** The subscription-scoped id ARM expects in a role assignment's `roleDefinitionId`. */
export function roleDefinitionId(subscriptionId: string, roleId: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}
