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
var azure_authorization_forbid_admin_custom_roles_exports = {};
__export(azure_authorization_forbid_admin_custom_roles_exports, {
  azureAuthorizationForbidAdminCustomRoles: () => azureAuthorizationForbidAdminCustomRoles
});
module.exports = __toCommonJS(azure_authorization_forbid_admin_custom_roles_exports);
var import_graph = require("../lib/access/graph");
var import_azure_roles = require("../lib/azure-roles");
var import_exemptions = require("../lib/exemptions");
var import_frameworks = require("../lib/frameworks");
var import_policy = require("../lib/policy");
var import_values = require("../lib/values");
const SETTING = "exemptions";
const ADMIN_ACTIONS = [
  // Every write of the Microsoft.Authorization provider (learn.microsoft.com/azure/role-based-
  // access-control/permissions/management-and-governance#microsoftauthorization): who holds one,
  // at any scope, rewrites access there or the guardrails (policy, PIM settings) around it.
  "microsoft.authorization/roleassignments/write",
  "microsoft.authorization/roledefinitions/write",
  "microsoft.authorization/roleassignmentschedulerequests/write",
  "microsoft.authorization/roleeligibilityschedulerequests/write",
  "microsoft.authorization/rolemanagementpolicies/write",
  "microsoft.authorization/policyassignments/write",
  "microsoft.authorization/policydefinitions/write",
  "microsoft.authorization/policysetdefinitions/write",
  "microsoft.authorization/policyexemptions/write",
  "microsoft.authorization/locks/write",
  "microsoft.authorization/elevateaccess/action",
  "microsoft.keyvault/vaults/write",
  "microsoft.keyvault/vaults/accesspolicies/write",
  "microsoft.keyvault/vaults/deploy/action"
];
const ADMIN_DATA_ACTIONS = [
  "microsoft.keyvault/vaults/secrets/getsecret/action",
  "microsoft.keyvault/vaults/secrets/setsecret/action",
  "microsoft.keyvault/vaults/secrets/delete",
  "microsoft.keyvault/vaults/keys/decrypt/action",
  "microsoft.keyvault/vaults/keys/unwrap/action",
  "microsoft.keyvault/vaults/keys/delete",
  "microsoft.keyvault/vaults/certificates/delete"
];
const matches = (pattern, operation) => (0, import_graph.globMatch)(pattern, operation, true);
const strings = (value) => Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
function adminGrants(allowed, denied, operations, wildcardOnly) {
  const allow = strings(allowed).filter((p) => !wildcardOnly || p.includes("*"));
  const deny = strings(denied);
  return allow.flatMap((pattern) => {
    const reached = operations.filter((op) => matches(pattern, op) && !deny.some((d) => matches(d, op)));
    return reached.length === 0 ? [] : [{ pattern, reached }];
  });
}
const KIND = {
  key: "role",
  exactName: "an exact role name (`roleName`)",
  matches: "admin-equivalent custom role"
};
const azureAuthorizationForbidAdminCustomRoles = {
  name: "azure-authorization-forbid-admin-custom-roles",
  description: "Custom role definitions must not grant what the built-in admin roles grant under another id: an action matching any Microsoft.Authorization write (role assignments, role definitions, PIM requests and settings, policy assignments, definitions and exemptions, locks) or elevateAccess, or a Key Vault write, access-policy write or template deployment (`*`, `Microsoft.Authorization/*`, `Microsoft.KeyVault/*`, …), or a wildcard data action reaching Key Vault secret, key or certificate operations (`*`, `Microsoft.KeyVault/vaults/*`, `.../secrets/*`). `notActions`/`notDataActions` count only where they match those operations themselves. Exact data actions (a reader's or rotator's) are out of scope, as are Cosmos DB's own data-plane roles and deny assignments. Allowed only when the `exemptions` setting names the role by exact `roleName` with a reason (reported as an advisory note).",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2"),
  remediationSteps: 'List the exact data actions the principal needs (e.g. `Microsoft.KeyVault/vaults/secrets/getSecret/action`) and no `Microsoft.Authorization` or `Microsoft.KeyVault` write. A custom role that must administer goes in this policy\'s `exemptions` setting: `{ "role": "<roleName>", "reason": "<who holds it, why>" }`.',
  configSchema: {
    properties: {
      [SETTING]: (0, import_exemptions.exemptionsSchema)(
        KIND,
        "Custom roles (exact `roleName`, no globs) allowed to carry admin-equivalent permissions, each with its reason; every exemption applied is reported as an advisory note."
      )
    }
  },
  validateResource: import_azure_roles.ROLE_DEFINITION_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (props, args, report) => {
      const permissions = Array.isArray(props.permissions) ? props.permissions : [];
      const found = permissions.flatMap((p) => {
        const perm = typeof p === "object" && p !== null ? p : {};
        return [
          ...adminGrants(perm.actions, perm.notActions, ADMIN_ACTIONS, false).map(
            (g) => `action ${g.pattern} (${g.reached.join(", ")})`
          ),
          ...adminGrants(perm.dataActions, perm.notDataActions, ADMIN_DATA_ACTIONS, true).map(
            (g) => `data action ${g.pattern} (${g.reached.join(", ")})`
          )
        ];
      });
      if (found.length === 0) return;
      const name = props.roleName;
      const what = `custom role ${JSON.stringify(name ?? "(no roleName)")} grants admin-equivalent ${found.join("; ")}`;
      if (typeof name !== "string" || (0, import_values.isRedacted)(name)) {
        report(`${what}; a role without a readable name cannot be exempt.`);
        return;
      }
      (0, import_exemptions.reportUnlessExempt)(
        report,
        { raw: args.getConfig()?.exemptions, kind: KIND, setting: SETTING },
        name,
        what,
        `; only roles in this policy's \`${SETTING}\` setting may.`
      );
    })
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  azureAuthorizationForbidAdminCustomRoles
});
