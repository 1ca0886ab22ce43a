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
var azure_exports = {};
__export(azure_exports, {
  azureGrants: () => azureGrants
});
module.exports = __toCommonJS(azure_exports);
var import_azure_roles = require("../azure-roles");
var import_graph = require("./graph");
var import_readers = require("./readers");
const T = {
  assignment: "azure-native:authorization:RoleAssignment",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  federation: "azure-native:managedidentity:FederatedIdentityCredential",
  definition: "azure-native:authorization:RoleDefinition"
};
const GET = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
const SET = "Microsoft.KeyVault/vaults/secrets/setSecret/action";
const BUILT_IN = /* @__PURE__ */ new Map([
  [import_azure_roles.AZURE_ROLES.keyVaultSecretsUser, { read: true, write: false }],
  [import_azure_roles.AZURE_ROLES.keyVaultSecretsOfficer, { read: true, write: true }],
  [import_azure_roles.AZURE_ROLES.keyVaultAdministrator, { read: true, write: true }]
]);
function customRoles(g) {
  const roles = /* @__PURE__ */ new Map();
  for (const d of g.ofType(T.definition)) {
    const permissions = g.read(d, "permissions");
    const dataActions = (Array.isArray(permissions) ? permissions : []).flatMap(
      (p) => Array.isArray(p?.dataActions) ? p.dataActions.map(String) : []
    );
    const has = (action) => dataActions.some((a) => (0, import_graph.globMatch)(a, action, true));
    const rights = { read: has(GET), write: has(SET) };
    roles.set(d.urn, rights);
    const guid = g.text(d, "name");
    if (guid) roles.set(guid.toLowerCase(), rights);
  }
  return roles;
}
function rightsOf(g, a, custom) {
  const role = g.text(a, "roleDefinitionId");
  const guid = role === void 0 ? void 0 : (0, import_azure_roles.roleGuid)(role);
  const viaDependency = (a.propertyDependencies["roleDefinitionId"] ?? []).map((d) => custom.get(d.urn));
  return guid && (BUILT_IN.get(guid) ?? custom.get(guid)) || viaDependency.find(Boolean);
}
function azureGrants(g) {
  const custom = customRoles(g);
  const assignments = g.ofType(T.assignment).flatMap((a) => {
    const rights = rightsOf(g, a, custom);
    return rights && (rights.read || rights.write) ? [{ a, rights }] : [];
  });
  if (assignments.length === 0) return [];
  const writes = /* @__PURE__ */ new Map();
  for (const { a, rights } of assignments) {
    const principal = g.text(a, "principalId");
    const scope = g.text(a, "scope");
    if (rights.write && principal && scope) (0, import_graph.addAll)(writes, principal, scope.toLowerCase());
  }
  const subjects = /* @__PURE__ */ new Map();
  for (const f of g.ofType(T.federation)) {
    const key = `${g.text(f, "resourceGroupName")}/${g.text(f, "resourceName")}`;
    subjects.set(key, [...subjects.get(key) ?? [], g.text(f, "subject") ?? ""]);
  }
  const identities = /* @__PURE__ */ new Map();
  for (const i of g.ofType(T.identity)) {
    const principal = g.text(i, "principalId");
    if (!principal) continue;
    const name = g.text(i, "resourceName") ?? g.text(i, "name");
    const subs = subjects.get(`${g.text(i, "resourceGroupName")}/${name}`) ?? [];
    const accounts = new Set(subs.map((s) => (0, import_readers.serviceAccountOfSubject)(s) ?? `not a service account: ${s}`));
    identities.set(
      principal,
      accounts.size === 1 && !subs.some((s) => !(0, import_readers.serviceAccountOfSubject)(s)) ? { kind: "workload", serviceAccount: [...accounts][0] } : {
        kind: "other",
        reason: subs.length === 0 ? "the identity has no federated credential" : `its federated credentials name ${[...accounts].join(", ")}, not one service account`
      }
    );
  }
  const complete = g.unknown === void 0;
  const grants = [];
  for (const { a, rights } of assignments) {
    const principal = g.text(a, "principalId");
    const scope = g.text(a, "scope");
    if (!principal || !scope || !rights.read) continue;
    const rotates = writes.get(principal);
    const identity = (rotates && { kind: "rotation", rotates }) ?? identities.get(principal) ?? (complete ? { kind: "other", reason: "it is not a user-assigned identity of this stack" } : { kind: "unknown" });
    grants.push({
      secret: { key: scope.toLowerCase(), names: [scope], label: `Key Vault scope ${scope}` },
      reader: { label: `principal ${principal}`, ids: [principal], identity },
      urn: a.urn
    });
  }
  return grants;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  azureGrants
});
