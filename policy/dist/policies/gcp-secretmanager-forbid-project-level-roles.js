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
var gcp_secretmanager_forbid_project_level_roles_exports = {};
__export(gcp_secretmanager_forbid_project_level_roles_exports, {
  gcpSecretmanagerForbidProjectLevelRoles: () => gcpSecretmanagerForbidProjectLevelRoles
});
module.exports = __toCommonJS(gcp_secretmanager_forbid_project_level_roles_exports);
var gcp = __toESM(require("@pulumi/gcp"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
const SECRET_ROLE = /^roles\/(secretmanager\.|owner$|editor$)/;
function check(role, report) {
  if (SECRET_ROLE.test(role))
    report(`${role} is granted on the whole project: every secret in it becomes readable.`);
}
const gcpSecretmanagerForbidProjectLevelRoles = {
  name: "gcp-secretmanager-forbid-project-level-roles",
  description: "Secret Manager roles (and owner/editor, which include them) must not be granted at project level; grant them on each secret.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "cis-gcp-foundations:1.6"),
  remediationSteps: "Replace the project IAM member/binding with `gcp.secretmanager.SecretIamMember` on each secret the service account reads, role `roles/secretmanager.secretAccessor`.",
  validateResource: [
    (0, import_policy.validateResourceOfType)(gcp.projects.IAMMember, (member, _args, report) => check(member.role, report)),
    (0, import_policy.validateResourceOfType)(gcp.projects.IAMBinding, (binding, _args, report) => check(binding.role, report))
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  gcpSecretmanagerForbidProjectLevelRoles
});
