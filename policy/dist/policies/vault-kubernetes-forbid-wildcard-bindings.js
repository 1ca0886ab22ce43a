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
var vault_kubernetes_forbid_wildcard_bindings_exports = {};
__export(vault_kubernetes_forbid_wildcard_bindings_exports, {
  vaultKubernetesForbidWildcardBindings: () => vaultKubernetesForbidWildcardBindings
});
module.exports = __toCommonJS(vault_kubernetes_forbid_wildcard_bindings_exports);
var vault = __toESM(require("@pulumi/vault"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
function check(field, values, report) {
  if (!values || values.length === 0) report(`${field} is empty.`);
  for (const value of values ?? [])
    if (value.includes("*")) report(`${field} contains "${value}": bind the exact name.`);
}
const vaultKubernetesForbidWildcardBindings = {
  name: "vault-kubernetes-forbid-wildcard-bindings",
  description: "Kubernetes auth roles must bind exact service accounts and namespaces, never `*` or globs.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.RESTRICTED_LOGICAL_ACCESS,
  tags: (0, import_frameworks.controls)("pci-dss:8.2.2"),
  remediationSteps: "Set `boundServiceAccountNames: [<service account>]` and `boundServiceAccountNamespaces: [<namespace>]` from the catalog workload.",
  validateResource: (0, import_policy.validateResourceOfType)(vault.kubernetes.AuthBackendRole, (role, _args, report) => {
    check("boundServiceAccountNames", role.boundServiceAccountNames, report);
    if (role.boundServiceAccountNamespaceSelector)
      report("boundServiceAccountNamespaceSelector matches namespaces by label: bind exact namespaces.");
    else check("boundServiceAccountNamespaces", role.boundServiceAccountNamespaces, report);
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultKubernetesForbidWildcardBindings
});
