// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
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
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var azure_authorization_forbid_admin_roles_for_workloads_exports = {};
__export(azure_authorization_forbid_admin_roles_for_workloads_exports, {
  azureAuthorizationForbidAdminRolesForWorkloads: () => azureAuthorizationForbidAdminRolesForWorkloads
});
module.exports = __toCommonJS(azure_authorization_forbid_admin_roles_for_workloads_exports);
var azure = __toESM(require("@pulumi/azure-native"));
var import_policy = require("@pulumi/policy");
var import_azure_roles = require("../lib/azure-roles");
var import_frameworks = require("../lib/frameworks");
const ADMIN_ROLES = /* @__PURE__ */ new Set([
  import_azure_roles.AZURE_ROLES.owner,
  import_azure_roles.AZURE_ROLES.contributor,
  import_azure_roles.AZURE_ROLES.userAccessAdministrator,
  import_azure_roles.AZURE_ROLES.keyVaultAdministrator,
  import_azure_roles.AZURE_ROLES.keyVaultContributor,
  import_azure_roles.AZURE_ROLES.keyVaultDataAccessAdministrator,
  import_azure_roles.AZURE_ROLES.keyVaultSecretsOfficer,
  import_azure_roles.AZURE_ROLES.keyVaultCryptoOfficer,
  import_azure_roles.AZURE_ROLES.keyVaultCertificatesOfficer
]);
const azureAuthorizationForbidAdminRolesForWorkloads = {
  name: "azure-authorization-forbid-admin-roles-for-workloads",
  description: "Workload identities (service principals, including managed identities) must not hold Owner, Contributor or Key Vault administrative roles.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2"),
  remediationSteps: "Assign `Key Vault Secrets User` on each secret the workload reads; keep administrative roles for operators (users or groups).",
  validateResource: (0, import_policy.validateResourceOfType)(
    azure.authorization.RoleAssignment,
    (assignment, _args, report) => {
      const role = (0, import_azure_roles.roleGuid)(assignment.roleDefinitionId);
      const operator = assignment.principalType === "User" || assignment.principalType === "Group";
      if (!operator && ADMIN_ROLES.has(role)) {
        report(
          `${(0, import_azure_roles.roleName)(role)} is assigned to ${assignment.principalType ?? "unspecified principal type"} ${assignment.principalId}.`
        );
      }
    }
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  azureAuthorizationForbidAdminRolesForWorkloads
});
