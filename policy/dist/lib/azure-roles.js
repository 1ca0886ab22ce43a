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
var azure_roles_exports = {};
__export(azure_roles_exports, {
  AZURE_ROLES: () => AZURE_ROLES,
  ROLE_DEFINITION_TYPES: () => ROLE_DEFINITION_TYPES,
  ROLE_GRANT_TYPES: () => ROLE_GRANT_TYPES,
  roleGuid: () => roleGuid,
  roleName: () => roleName
});
module.exports = __toCommonJS(azure_roles_exports);
const AZURE_ROLES = {
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
  keyVaultCertificatesOfficer: "a4417e6f-fecd-4de8-b567-7b0420556985"
};
function roleGuid(roleDefinitionId) {
  return roleDefinitionId.slice(roleDefinitionId.lastIndexOf("/") + 1).toLowerCase();
}
const names = new Map(Object.entries(AZURE_ROLES).map(([name, id]) => [id, name]));
function roleName(guid) {
  return names.get(guid) ?? guid;
}
const ROLE_GRANT_TYPES = [
  "azure-native:authorization:RoleAssignment",
  "azure-native:authorization:PimRoleEligibilitySchedule",
  "azure-native:blueprint:RoleAssignmentArtifact"
];
const ROLE_DEFINITION_TYPES = ["azure-native:authorization:RoleDefinition"];
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  AZURE_ROLES,
  ROLE_DEFINITION_TYPES,
  ROLE_GRANT_TYPES,
  roleGuid,
  roleName
});
