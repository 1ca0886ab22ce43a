/**
 * Azure built-in role definition ids (the GUID at the end of `roleDefinitionId`). Sources:
 * learn.microsoft.com/azure/role-based-access-control/built-in-roles (general and security
 * categories) and learn.microsoft.com/azure/key-vault/general/rbac-guide ("Azure built-in
 * roles for Key Vault data plane operations").
 */
export const AZURE_ROLES = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c4a72b9d",
  roleBasedAccessControlAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  keyVaultAdministrator: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
  keyVaultContributor: "f25e0fa2-a7c8-4377-a976-54943a77a395",
  keyVaultDataAccessAdministrator: "8b54135c-b56d-4d72-a534-26097cfdc8d8",
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  keyVaultReader: "21090545-7ca7-4776-b22c-e363652d74d2",
  keyVaultCryptoOfficer: "14b46e9e-0bda-44ba-a1ee-eacb2c36ac26",
  keyVaultCryptoUser: "12338af0-0e69-4776-bf7a-c5a3dc68d2d8",
  keyVaultCertificatesOfficer: "a4417e6f-fecd-4de8-b567-7b0420556985",
} as const;

/** The role GUID of a `roleDefinitionId` (`/subscriptions/.../roleDefinitions/<guid>` or a bare GUID). */
export function roleGuid(roleDefinitionId: string): string {
  return roleDefinitionId.slice(roleDefinitionId.lastIndexOf("/") + 1).toLowerCase();
}

const names = new Map(Object.entries(AZURE_ROLES).map(([name, id]) => [id as string, name]));

export function roleName(guid: string): string {
  return names.get(guid) ?? guid;
}

/**
 * Resources of azure-native (3.28) that give principals an Azure RBAC role: a role assignment,
 * a PIM eligible assignment (a role the principal can activate itself), and a blueprint's role
 * assignment artifact (`principalIds`, applied when the blueprint is assigned). Derived from the
 * SDK: every resource with a `roleDefinitionId` and a `principalId`/`principalIds` input, less
 * Cosmos DB's data-plane roles and access reviews (test/policy/sdk-resource-types.test.ts).
 */
export const ROLE_GRANT_TYPES = [
  "azure-native:authorization:RoleAssignment",
  "azure-native:authorization:PimRoleEligibilitySchedule",
  "azure-native:blueprint:RoleAssignmentArtifact",
] as const;

/**
 * Resources of azure-native (3.28) that define an Azure RBAC role from `permissions[]`
 * (`actions`, `notActions`, `dataActions`, `notDataActions`). Derived from the SDK: every
 * resource whose `permissions` input has `actions` or `dataActions`, less Cosmos DB's own
 * data-plane role definitions and deny assignments (which only deny)
 * (test/policy/sdk-resource-types.test.ts).
 */
export const ROLE_DEFINITION_TYPES = ["azure-native:authorization:RoleDefinition"] as const;
