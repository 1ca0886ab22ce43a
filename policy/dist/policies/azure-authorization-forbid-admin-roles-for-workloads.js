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
var azure_authorization_forbid_admin_roles_for_workloads_exports = {};
__export(azure_authorization_forbid_admin_roles_for_workloads_exports, {
  azureAuthorizationForbidAdminRolesForWorkloads: () => azureAuthorizationForbidAdminRolesForWorkloads
});
module.exports = __toCommonJS(azure_authorization_forbid_admin_roles_for_workloads_exports);
var import_azure_roles = require("../lib/azure-roles");
var import_exemptions = require("../lib/exemptions");
var import_frameworks = require("../lib/frameworks");
var import_policy = require("../lib/policy");
var import_values = require("../lib/values");
const NAME = "azure-authorization-forbid-admin-roles-for-workloads";
const ADMIN_ROLES = /* @__PURE__ */ new Set([
  import_azure_roles.AZURE_ROLES.owner,
  import_azure_roles.AZURE_ROLES.contributor,
  import_azure_roles.AZURE_ROLES.userAccessAdministrator,
  import_azure_roles.AZURE_ROLES.roleBasedAccessControlAdministrator,
  import_azure_roles.AZURE_ROLES.keyVaultAdministrator,
  import_azure_roles.AZURE_ROLES.keyVaultContributor,
  import_azure_roles.AZURE_ROLES.keyVaultDataAccessAdministrator,
  import_azure_roles.AZURE_ROLES.keyVaultSecretsOfficer,
  import_azure_roles.AZURE_ROLES.keyVaultCryptoOfficer,
  import_azure_roles.AZURE_ROLES.keyVaultCertificatesOfficer
]);
const KIND = {
  key: "principal",
  exactName: "an exact principal id",
  matches: "admin role grant"
};
const validate = (args, report) => {
  const props = args.props;
  const roleId = props.roleDefinitionId;
  if (typeof roleId !== "string") return;
  const role = (0, import_azure_roles.roleGuid)(roleId);
  if (!ADMIN_ROLES.has(role)) return;
  const exemptions = (0, import_exemptions.readExemptions)(args.getConfig().exemptions, KIND, (m) => report(m));
  const declared = typeof props.principalType === "string" ? props.principalType : "principal";
  const principals = "principalIds" in props && props.principalIds !== void 0 ? Array.isArray(props.principalIds) ? props.principalIds : [props.principalIds] : [props.principalId];
  for (const principal of principals) {
    if (typeof principal !== "string" || (0, import_values.isRedacted)(principal) || /^\[.*\]$/s.test(principal)) {
      report(
        `${(0, import_azure_roles.roleName)(role)} is granted to ${JSON.stringify(principal)}, a principal this analysis cannot identify, so it cannot be exempt.`
      );
      continue;
    }
    const what = `${(0, import_azure_roles.roleName)(role)} is granted to ${declared} ${principal}`;
    const exemption = exemptions.get(principal);
    if (exemption) (0, import_policy.reportAdvisory)(report, (0, import_exemptions.exemptNote)(exemption, what));
    else report(`${what}; only principals in this policy's \`exemptions\` setting may hold it.`);
  }
};
const azureAuthorizationForbidAdminRolesForWorkloads = {
  name: NAME,
  description: "Owner, Contributor, User Access Administrator, Role Based Access Control Administrator and the Key Vault administrative roles (Administrator, Contributor, Data Access Administrator, Secrets/Crypto/Certificates Officer) must not be granted to any principal at any scope (a single secret included), through a role assignment, a PIM eligible assignment or a blueprint role assignment artifact, except to principals the `exemptions` setting names by exact principal id with a reason (operators, break-glass), each reported as an advisory note. The declared `principalType` decides nothing: a workload identity's grant is refused whatever type it claims.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2"),
  remediationSteps: 'Assign `Key Vault Secrets User` on each secret a workload reads. Operators and break-glass principals that must administer vaults go in this policy\'s `exemptions` setting: `{ "principal": "<object id>", "reason": "<who, why>" }`.',
  configSchema: {
    properties: {
      exemptions: (0, import_exemptions.exemptionsSchema)(
        KIND,
        "Principals (object ids, exact, no globs) allowed to hold these roles, each with its reason; every exemption applied is reported as an advisory note."
      )
    }
  },
  validateResource: import_azure_roles.ROLE_GRANT_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (_props, args, report) => validate(args, report))
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  azureAuthorizationForbidAdminRolesForWorkloads
});
