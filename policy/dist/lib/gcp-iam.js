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
var gcp_iam_exports = {};
__export(gcp_iam_exports, {
  CUSTOM_ROLE_TYPES: () => CUSTOM_ROLE_TYPES,
  SECRET_GRANT_TYPES: () => SECRET_GRANT_TYPES,
  SERVICE_ACCOUNT_GRANT_TYPES: () => SERVICE_ACCOUNT_GRANT_TYPES,
  SET_IAM_POLICY_ROLES: () => SET_IAM_POLICY_ROLES,
  grantsOf: () => grantsOf,
  iamTokens: () => iamTokens,
  rewritesAccess: () => rewritesAccess
});
module.exports = __toCommonJS(gcp_iam_exports);
var import_values = require("./values");
const iamTokens = (module2, prefix = "") => ({
  member: `gcp:${module2}/${prefix ? `${prefix}IamMember:${cap(prefix)}IamMember` : "iAMMember:IAMMember"}`,
  binding: `gcp:${module2}/${prefix ? `${prefix}IamBinding:${cap(prefix)}IamBinding` : "iAMBinding:IAMBinding"}`,
  policy: `gcp:${module2}/${prefix ? `${prefix}IamPolicy:${cap(prefix)}IamPolicy` : "iAMPolicy:IAMPolicy"}`
});
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
function grantsOf(type, props, report) {
  if (/IamPolicy$|IAMPolicy$/.test(type)) {
    const data = props.policyData;
    if (data === void 0) return [];
    if ((0, import_values.isRedacted)(data)) {
      report("policyData is a secret this analysis cannot decrypt, so its bindings cannot be verified.");
      return [];
    }
    let parsed;
    try {
      parsed = typeof data === "string" ? JSON.parse(data) : data;
    } catch {
      report("policyData is not valid JSON: its bindings cannot be verified.");
      return [];
    }
    const bindings = (0, import_values.isRecord)(parsed) && Array.isArray(parsed.bindings) ? parsed.bindings : [];
    return bindings.flatMap(
      (b) => (0, import_values.isRecord)(b) && typeof b.role === "string" ? [{ role: b.role, members: Array.isArray(b.members) ? b.members.map(String) : [] }] : []
    );
  }
  const role = props.role;
  if (typeof role !== "string") return [];
  const members = props.members ?? (props.member === void 0 ? [] : [props.member]);
  return [{ role, members: Array.isArray(members) ? members.map(String) : [] }];
}
const SECRET_GRANT_TYPES = [
  ...Object.values(iamTokens("secretmanager", "secret")),
  ...Object.values(iamTokens("secretmanager", "regionalSecret"))
];
const SET_IAM_POLICY_ROLES = {
  "roles/owner": "every resource's setIamPolicy",
  "roles/secretmanager.admin": "secretmanager.secrets.setIamPolicy",
  "roles/resourcemanager.projectIamAdmin": "resourcemanager.projects.setIamPolicy",
  "roles/resourcemanager.folderAdmin": "resourcemanager.folders.setIamPolicy",
  "roles/resourcemanager.folderIamAdmin": "resourcemanager.folders.setIamPolicy",
  "roles/resourcemanager.organizationAdmin": "resourcemanager.organizations.setIamPolicy",
  "roles/iam.securityAdmin": "setIamPolicy on most resource types",
  "roles/iam.serviceAccountAdmin": "iam.serviceAccounts.setIamPolicy",
  "roles/cloudkms.admin": "cloudkms.cryptoKeys.setIamPolicy",
  "roles/iam.roleAdmin": "iam.roles.update (rewrites the custom roles others hold)",
  "roles/iam.organizationRoleAdmin": "iam.roles.update (rewrites the custom roles others hold)"
};
const rewritesAccess = (permission) => /\.setIamPolicy$/i.test(permission) || /^iam\.roles\.(create|update|undelete)$/i.test(permission);
const CUSTOM_ROLE_TYPES = [
  "gcp:projects/iAMCustomRole:IAMCustomRole",
  "gcp:organizations/iAMCustomRole:IAMCustomRole"
];
const SERVICE_ACCOUNT_GRANT_TYPES = Object.values(iamTokens("serviceaccount"));
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  CUSTOM_ROLE_TYPES,
  SECRET_GRANT_TYPES,
  SERVICE_ACCOUNT_GRANT_TYPES,
  SET_IAM_POLICY_ROLES,
  grantsOf,
  iamTokens,
  rewritesAccess
});
