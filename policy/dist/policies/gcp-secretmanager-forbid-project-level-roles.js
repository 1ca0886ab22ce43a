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
var gcp_secretmanager_forbid_project_level_roles_exports = {};
__export(gcp_secretmanager_forbid_project_level_roles_exports, {
  HIERARCHY_GRANT_TYPES: () => HIERARCHY_GRANT_TYPES,
  gcpSecretmanagerForbidProjectLevelRoles: () => gcpSecretmanagerForbidProjectLevelRoles
});
module.exports = __toCommonJS(gcp_secretmanager_forbid_project_level_roles_exports);
var import_exemptions = require("../lib/exemptions");
var import_frameworks = require("../lib/frameworks");
var import_gcp_iam = require("../lib/gcp-iam");
var import_policy = require("../lib/policy");
const SECRET_ROLE = /^roles\/(secretmanager\.|owner$|editor$)/;
const CUSTOM_ROLE = /^(projects|organizations)\/[^/]+\/roles\/[^/]+$/;
const LEVELS = { projects: "project", folder: "folder", organizations: "organisation" };
const HIERARCHY_GRANT_TYPES = Object.keys(LEVELS).flatMap(
  (m) => Object.values((0, import_gcp_iam.iamTokens)(m))
);
const SETTING = "customRoles";
const KIND = {
  key: "role",
  exactName: "an exact custom role name (`projects/<p>/roles/<id>` or `organizations/<o>/roles/<id>`)",
  matches: "custom role grant"
};
const gcpSecretmanagerForbidProjectLevelRoles = {
  name: "gcp-secretmanager-forbid-project-level-roles",
  description: "Secret Manager roles (and owner/editor, which include them) must not be granted on a project, a folder or the organisation, through a member, a binding or a whole IAM policy (`policyData`); grant them on each secret. A custom role granted there is refused too, its permissions not being in the grant, unless the `customRoles` setting names it exactly with a reason (reported as an advisory note). Out of scope: other predefined roles (their contents are Google's; the Secret Manager and basic roles are the ones Google documents with `secretmanager.versions.access`), and roles that let a principal change IAM policies (`resourcemanager.projectIamAdmin`, `iam.securityAdmin`: `gcp-iam-forbid-set-iam-policy-roles` refuses those).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "cis-gcp-foundations:1.6"),
  remediationSteps: 'Replace the project IAM member/binding with `gcp.secretmanager.SecretIamMember` on each secret the service account reads, role `roles/secretmanager.secretAccessor`. A custom role without any secretmanager permission that must be granted on the project goes in this policy\'s `customRoles` setting: `{ "role": "projects/<p>/roles/<id>", "reason": "<its permissions, why>" }`.',
  configSchema: {
    properties: {
      [SETTING]: (0, import_exemptions.exemptionsSchema)(
        KIND,
        "Custom roles (full role names, exact, no globs) that may be granted on a project, folder or organisation, each with its reason (say which permissions it holds); every exemption applied is reported as an advisory note."
      )
    }
  },
  validateResource: HIERARCHY_GRANT_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (props, args, report) => {
      const level = LEVELS[type.slice("gcp:".length).split("/")[0]];
      for (const { role } of (0, import_gcp_iam.grantsOf)(type, props, report)) {
        if (SECRET_ROLE.test(role))
          report(`${role} is granted on the whole ${level}: every secret in it becomes readable.`);
        else if (CUSTOM_ROLE.test(role)) {
          (0, import_exemptions.reportUnlessExempt)(
            report,
            { raw: args.getConfig()?.customRoles, kind: KIND, setting: SETTING },
            role,
            `custom role ${role} is granted on the whole ${level}`,
            `: its permissions are not in the grant, so the pack cannot verify it excludes secretmanager.versions.access. Grant it on each secret, or name it in this policy's \`${SETTING}\` setting with a reason.`
          );
        }
      }
    })
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  HIERARCHY_GRANT_TYPES,
  gcpSecretmanagerForbidProjectLevelRoles
});
