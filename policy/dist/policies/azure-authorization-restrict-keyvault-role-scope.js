// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var azure_authorization_restrict_keyvault_role_scope_exports = {};
__export(azure_authorization_restrict_keyvault_role_scope_exports, {
  azureAuthorizationRestrictKeyvaultRoleScope: () => azureAuthorizationRestrictKeyvaultRoleScope
});
module.exports = __toCommonJS(azure_authorization_restrict_keyvault_role_scope_exports);
var import_azure_roles = require("../lib/azure-roles");
var import_frameworks = require("../lib/frameworks");
var import_policy = require("../lib/policy");
const KEY_VAULT_ROLES = /* @__PURE__ */ new Set([
  import_azure_roles.AZURE_ROLES.keyVaultAdministrator,
  import_azure_roles.AZURE_ROLES.keyVaultDataAccessAdministrator,
  import_azure_roles.AZURE_ROLES.keyVaultSecretsOfficer,
  import_azure_roles.AZURE_ROLES.keyVaultSecretsUser,
  import_azure_roles.AZURE_ROLES.keyVaultReader,
  import_azure_roles.AZURE_ROLES.keyVaultCryptoOfficer,
  import_azure_roles.AZURE_ROLES.keyVaultCryptoUser,
  import_azure_roles.AZURE_ROLES.keyVaultCertificatesOfficer
]);
const VAULT_SCOPE = /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+(\/(secrets|keys|certificates)\/[^/]+)?$/i;
const azureAuthorizationRestrictKeyvaultRoleScope = {
  name: "azure-authorization-restrict-keyvault-role-scope",
  description: "Key Vault roles must be assigned at a vault or a single secret/key/certificate, never a resource group, subscription or management group, through a role assignment, a PIM eligible assignment or a blueprint role assignment artifact.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2"),
  remediationSteps: "Set `scope` to the secret's resource id (`<vault id>/secrets/<name>`) for workloads, or the vault id for operators.",
  validateResource: import_azure_roles.ROLE_GRANT_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (props, _args, report) => {
      const roleId = props.roleDefinitionId;
      if (typeof roleId !== "string") return;
      const role = (0, import_azure_roles.roleGuid)(roleId);
      if (!KEY_VAULT_ROLES.has(role)) return;
      const scope = props.scope ?? props.resourceScope;
      if (typeof scope !== "string" || !VAULT_SCOPE.test(scope))
        report(`${(0, import_azure_roles.roleName)(role)} is assigned at ${String(scope)}: above any single vault.`);
    })
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  azureAuthorizationRestrictKeyvaultRoleScope
});
