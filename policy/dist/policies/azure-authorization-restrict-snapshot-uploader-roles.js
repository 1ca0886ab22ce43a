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
var azure_authorization_restrict_snapshot_uploader_roles_exports = {};
__export(azure_authorization_restrict_snapshot_uploader_roles_exports, {
  azureAuthorizationRestrictSnapshotUploaderRoles: () => azureAuthorizationRestrictSnapshotUploaderRoles
});
module.exports = __toCommonJS(azure_authorization_restrict_snapshot_uploader_roles_exports);
var import_graph = require("../lib/access/graph");
var import_readers = require("../lib/access/readers");
var import_azure_roles = require("../lib/azure-roles");
var import_frameworks = require("../lib/frameworks");
var import_snapshot_uploaders = require("../lib/snapshot-uploaders");
const WRITE_ONLY = new Set(
  [
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action"
  ].map((a) => a.toLowerCase())
);
const CONTAINER_SCOPE = /\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+\/blobServices\/default\/containers\/[^/]+$/i;
const azureAuthorizationRestrictSnapshotUploaderRoles = {
  name: "azure-authorization-restrict-snapshot-uploader-roles",
  description: "A managed identity that a Vault raft-snapshot job signs in as (a federated credential naming a Kubernetes service account whose pods run `raft snapshot save`) may only be assigned a custom role of the stack whose permissions are exactly blob writes (`…/containers/blobs/write`, `…/containers/blobs/add/action`; no control-plane action, no wildcard), at one blob container, through a role assignment, a PIM eligible assignment or a blueprint role assignment artifact. A snapshot holds every secret of the cluster: Storage Blob Data Contributor, Reader or Owner, or any role that reads, lists or deletes blobs, lets whoever runs in the job's pod read every snapshot, or erase the backups. A built-in role, or a custom role not defined in the stack, is refused: its permissions cannot be verified here. Out of scope: other principals (the operators who restore).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "soc2:A1.2"),
  remediationSteps: "Define a custom role with `dataActions` exactly `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write` and `…/blobs/add/action` (assignable at the resource group) and assign it to the snapshot job's identity at the container (`<account id>/blobServices/default/containers/<name>`); people who restore read through their own identities.",
  validateStack: (args, report) => {
    const g = new import_graph.AccessGraph(args.resources);
    const jobs = (0, import_snapshot_uploaders.snapshotServiceAccounts)(g);
    const federated = /* @__PURE__ */ new Map();
    for (const f of g.ofType("azure-native:managedidentity:FederatedIdentityCredential")) {
      const account = (0, import_readers.serviceAccountOfSubject)(g.text(f, "subject") ?? "");
      if (account && jobs.has(account))
        federated.set(`${g.text(f, "resourceGroupName")}/${g.text(f, "resourceName")}`, account);
    }
    const uploaders = /* @__PURE__ */ new Map();
    for (const i of g.ofType("azure-native:managedidentity:UserAssignedIdentity")) {
      const job = federated.get(
        `${g.text(i, "resourceGroupName")}/${g.text(i, "resourceName") ?? g.text(i, "name")}`
      );
      const principal = g.text(i, "principalId");
      if (job && principal) uploaders.set(principal, job);
    }
    const writeOnly = /* @__PURE__ */ new Map();
    for (const d of g.ofType("azure-native:authorization:RoleDefinition")) {
      const permissions = g.read(d, "permissions");
      const list = Array.isArray(permissions) ? permissions : [];
      const strings = (key) => list.flatMap((p) => Array.isArray(p[key]) ? p[key].map(String) : []);
      const only = strings("actions").length === 0 && strings("dataActions").length > 0 && strings("dataActions").every((a) => WRITE_ONLY.has(a.toLowerCase()));
      writeOnly.set(d.urn, only);
      const guid = g.text(d, "name");
      if (guid) writeOnly.set(guid.toLowerCase(), only);
    }
    for (const type of import_azure_roles.ROLE_GRANT_TYPES)
      for (const a of g.ofType(type)) {
        const ids = g.read(a, "principalIds");
        const principalIds = [g.text(a, "principalId"), ...Array.isArray(ids) ? ids : []].filter(
          (p) => typeof p === "string"
        );
        const job = principalIds.map((p) => uploaders.get(p)).find(Boolean);
        if (!job) continue;
        const roleId = g.text(a, "roleDefinitionId") ?? "";
        const verdict = roleId ? writeOnly.get((0, import_azure_roles.roleGuid)(roleId)) : (a.propertyDependencies["roleDefinitionId"] ?? []).map((d) => writeOnly.get(d.urn)).find((v) => v !== void 0);
        const scope = g.text(a, "scope") ?? g.text(a, "resourceScope");
        const problems = [
          ...verdict === void 0 ? [
            `${(0, import_azure_roles.roleName)((0, import_azure_roles.roleGuid)(roleId))}, a role not defined in this stack (its permissions cannot be verified)`
          ] : verdict ? [] : ["a custom role that may do more than write blobs"],
          ...scope && CONTAINER_SCOPE.test(scope) ? [] : [`a scope above one blob container (${String(scope)})`]
        ];
        if (problems.length > 0)
          report(
            `The managed identity ${principalIds.filter((p) => uploaders.has(p)).join(", ")}, which the raft-snapshot job ${job} signs in as, is assigned ${problems.join(" and ")}: a snapshot uploader may only write blobs, in its container.`,
            a.urn
          );
      }
    if (g.unknown) throw g.unknown;
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  azureAuthorizationRestrictSnapshotUploaderRoles
});
