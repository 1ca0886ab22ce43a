import { AZURE_ROLES, ROLE_GRANT_TYPES, roleGuid, roleName } from "../lib/azure-roles";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";

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
    "Key Vault roles must be assigned at a vault or a single secret/key/certificate, never a resource group, subscription or management group, through a role assignment, a PIM eligible assignment or a blueprint role assignment artifact.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2"),
  remediationSteps:
    "Set `scope` to the secret's resource id (`<vault id>/secrets/<name>`) for workloads, or the vault id for operators.",
  validateResource: ROLE_GRANT_TYPES.map((type) =>
    validateResourceOfToken(type, (props, _args, report) => {
      const roleId = props.roleDefinitionId;
      if (typeof roleId !== "string") return;
      const role = roleGuid(roleId);
      if (!KEY_VAULT_ROLES.has(role)) return;
      // A blueprint artifact names its scope `resourceScope`.
      const scope = props.scope ?? props.resourceScope;
      if (typeof scope !== "string" || !VAULT_SCOPE.test(scope))
        report(`${roleName(role)} is assigned at ${String(scope)}: above any single vault.`);
    }),
  ),
};
