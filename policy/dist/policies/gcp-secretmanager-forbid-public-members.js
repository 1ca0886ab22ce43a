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
var gcp_secretmanager_forbid_public_members_exports = {};
__export(gcp_secretmanager_forbid_public_members_exports, {
  gcpSecretmanagerForbidPublicMembers: () => gcpSecretmanagerForbidPublicMembers
});
module.exports = __toCommonJS(gcp_secretmanager_forbid_public_members_exports);
var import_frameworks = require("../lib/frameworks");
var import_gcp_iam = require("../lib/gcp-iam");
var import_policy = require("../lib/policy");
const PUBLIC = ["allUsers", "allAuthenticatedUsers"];
function check(members, report) {
  for (const member of members) {
    if (PUBLIC.includes(member))
      report(`${member} is granted access to the secret: anyone with a Google account can read it.`);
  }
}
const gcpSecretmanagerForbidPublicMembers = {
  name: "gcp-secretmanager-forbid-public-members",
  description: "Secrets (global or regional) must never be granted to allUsers or allAuthenticatedUsers, through a member, a binding or a whole IAM policy (`policyData`).",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.RESTRICTED_LOGICAL_ACCESS,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.1"),
  remediationSteps: "Grant the secret to the workload's service account (`serviceAccount:<email>`) only.",
  validateResource: import_gcp_iam.SECRET_GRANT_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (props, _args, report) => {
      for (const { members } of (0, import_gcp_iam.grantsOf)(type, props, report)) check(members, report);
    })
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  gcpSecretmanagerForbidPublicMembers
});
