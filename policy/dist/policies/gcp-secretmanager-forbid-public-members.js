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
var gcp_secretmanager_forbid_public_members_exports = {};
__export(gcp_secretmanager_forbid_public_members_exports, {
  gcpSecretmanagerForbidPublicMembers: () => gcpSecretmanagerForbidPublicMembers
});
module.exports = __toCommonJS(gcp_secretmanager_forbid_public_members_exports);
var gcp = __toESM(require("@pulumi/gcp"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
const PUBLIC = ["allUsers", "allAuthenticatedUsers"];
function check(members, report) {
  for (const member of members) {
    if (PUBLIC.includes(member))
      report(`${member} is granted access to the secret: anyone with a Google account can read it.`);
  }
}
const gcpSecretmanagerForbidPublicMembers = {
  name: "gcp-secretmanager-forbid-public-members",
  description: "Secrets must never be granted to allUsers or allAuthenticatedUsers.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.RESTRICTED_LOGICAL_ACCESS,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.1"),
  remediationSteps: "Grant the secret to the workload's service account (`serviceAccount:<email>`) only.",
  validateResource: [
    (0, import_policy.validateResourceOfType)(
      gcp.secretmanager.SecretIamMember,
      (member, _args, report) => check([member.member], report)
    ),
    (0, import_policy.validateResourceOfType)(
      gcp.secretmanager.SecretIamBinding,
      (binding, _args, report) => check(binding.members, report)
    )
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  gcpSecretmanagerForbidPublicMembers
});
