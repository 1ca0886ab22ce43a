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
var gcp_iam_forbid_set_iam_policy_roles_exports = {};
__export(gcp_iam_forbid_set_iam_policy_roles_exports, {
  gcpIamForbidSetIamPolicyRoles: () => gcpIamForbidSetIamPolicyRoles
});
module.exports = __toCommonJS(gcp_iam_forbid_set_iam_policy_roles_exports);
var import_exemptions = require("../lib/exemptions");
var import_frameworks = require("../lib/frameworks");
var import_gcp_iam = require("../lib/gcp-iam");
var import_policy = require("../lib/policy");
var import_values = require("../lib/values");
var import_gcp_secretmanager_forbid_project_level_roles = require("./gcp-secretmanager-forbid-project-level-roles");
const MEMBERS = {
  key: "member",
  exactName: "an exact member (`serviceAccount:deployer@p.iam.gserviceaccount.com`, `group:…`)",
  matches: "grant of a role that rewrites IAM"
};
const ROLES = {
  key: "role",
  exactName: "an exact custom role id or name as in the resource",
  matches: "custom role that rewrites IAM"
};
function levelOf(type) {
  const module2 = type.slice("gcp:".length).split("/")[0];
  if (module2 === "secretmanager") return "a secret";
  if (module2 === "serviceaccount") return "a service account";
  return { projects: "a project", folder: "a folder", organizations: "the organisation" }[module2] ?? module2;
}
function checkGrants(type, props, args, report) {
  const exempt = (0, import_exemptions.readExemptions)(args.getConfig().members, MEMBERS, (m) => report(m), "members");
  for (const { role, members } of (0, import_gcp_iam.grantsOf)(type, props, report)) {
    if (!Object.hasOwn(import_gcp_iam.SET_IAM_POLICY_ROLES, role)) continue;
    for (const member of members) {
      const what = `${role} (${import_gcp_iam.SET_IAM_POLICY_ROLES[role]}) is granted on ${levelOf(type)} to ${member}, who can then grant itself or anyone any role there`;
      const exemption = exempt.get(member);
      if (exemption) (0, import_policy.reportAdvisory)(report, (0, import_exemptions.exemptNote)(exemption, what));
      else report(`${what}; only members in this policy's \`members\` setting may hold it.`);
    }
  }
}
const gcpIamForbidSetIamPolicyRoles = {
  name: "gcp-iam-forbid-set-iam-policy-roles",
  description: "No member may be granted a role that carries a `setIamPolicy` permission (or rewrites custom roles) at any level down to one secret: Owner, Secret Manager Admin, Project/Folder IAM Admin, Folder Admin, Organization Admin, Security Admin, Service Account Admin, Cloud KMS Admin, Role Administrator, Organization Role Administrator, through a member, a binding or a whole IAM policy of the organisation, a folder, a project, a secret (global or regional) or a service account; and no custom role defined in the stack may hold a `*.setIamPolicy` permission or `iam.roles.create/update/undelete`. Exemptions: members by exact member string (`members`), custom roles by exact id (`customRoles`), each with a reason, reported as advisory notes.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "cis-gcp-foundations:1.5"),
  remediationSteps: 'Grant workloads `roles/secretmanager.secretAccessor` on their secrets and nothing that administers IAM; keep IAM administration with the deploying identity, named in this policy\'s `members` setting: `{ "member": "serviceAccount:<deployer>", "reason": "<why>" }`.',
  configSchema: {
    properties: {
      members: (0, import_exemptions.exemptionsSchema)(
        MEMBERS,
        "Members (exact, no globs) allowed roles that rewrite IAM, each with its reason; every exemption applied is reported as an advisory note."
      ),
      customRoles: (0, import_exemptions.exemptionsSchema)(
        ROLES,
        "Custom roles (the `roleId` as in the resource, exact) allowed to hold setIamPolicy or role-update permissions, each with its reason; every exemption applied is reported as an advisory note."
      )
    }
  },
  validateResource: [
    ...[...import_gcp_secretmanager_forbid_project_level_roles.HIERARCHY_GRANT_TYPES, ...import_gcp_iam.SECRET_GRANT_TYPES, ...import_gcp_iam.SERVICE_ACCOUNT_GRANT_TYPES].map(
      (type) => (0, import_policy.validateResourceOfToken)(type, (props, args, report) => checkGrants(type, props, args, report))
    ),
    ...import_gcp_iam.CUSTOM_ROLE_TYPES.map(
      (type) => (0, import_policy.validateResourceOfToken)(type, (props, args, report) => {
        const permissions = Array.isArray(props.permissions) ? props.permissions.map(String) : [];
        const found = permissions.filter(import_gcp_iam.rewritesAccess);
        if (found.length === 0) return;
        const id = props.roleId;
        const what = `custom role ${JSON.stringify(id ?? "(no roleId)")} holds ${found.join(", ")}`;
        if (typeof id !== "string" || (0, import_values.isRedacted)(id))
          return report(`${what}; a role without a readable id cannot be exempt.`);
        const exemption = (0, import_exemptions.readExemptions)(
          args.getConfig().customRoles,
          ROLES,
          (m) => report(m),
          "customRoles"
        ).get(id);
        if (exemption) (0, import_policy.reportAdvisory)(report, (0, import_exemptions.exemptNote)(exemption, what));
        else
          report(
            `${what}: whoever holds it can rewrite access; only roles in this policy's \`customRoles\` setting may.`
          );
      })
    )
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  gcpIamForbidSetIamPolicyRoles
});
