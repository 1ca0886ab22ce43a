import * as azure from "@pulumi/azure-native";
import { validateResourceOfType } from "@pulumi/policy";
import { AZURE_ROLES, roleGuid, roleName } from "../lib/azure-roles";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

/** Key Vault data-plane roles: granted above a vault, they reach every vault below the scope. */
const KEY_VAULT_ROLES: ReadonlySet<string> = new Set([
  AZURE_ROLES.keyVaultAdministrator,
  AZURE_ROLES.keyVaultDataAccessAdministrator,
  AZURE_ROLES.keyVaultSecretsOfficer,
  AZURE_ROLES.keyVaultSecretsUser,
  AZURE_ROLES.keyVaultReader,
  AZURE_ROLES.keyVaultCryptoOfficer,
  AZURE_ROLES.keyVaultCryptoUser,
  AZURE_ROLES.keyVaultCertificatesOfficer,
]);
const VAULT_SCOPE =
  /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+(\/(secrets|keys|certificates)\/[^/]+)?$/i;

export const azureAuthorizationRestrictKeyvaultRoleScope: PlatformResourcePolicy = {
  name: "azure-authorization-restrict-keyvault-role-scope",
  description:
    "Key Vault roles must be assigned at a vault or a single secret/key/certificate, never a resource group, subscription or management group.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2"),
  remediationSteps:
    "Set `scope` to the secret's resource id (`<vault id>/secrets/<name>`) for workloads, or the vault id for operators.",
  validateResource: validateResourceOfType(
    azure.authorization.RoleAssignment,
    (assignment, _args, report) => {
      const role = roleGuid(assignment.roleDefinitionId);
      if (KEY_VAULT_ROLES.has(role) && !VAULT_SCOPE.test(assignment.scope)) {
        report(`${roleName(role)} is assigned at ${assignment.scope}: above any single vault.`);
      }
    },
  ),
};
