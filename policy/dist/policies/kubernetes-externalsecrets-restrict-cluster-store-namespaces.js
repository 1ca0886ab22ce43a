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
var kubernetes_externalsecrets_restrict_cluster_store_namespaces_exports = {};
__export(kubernetes_externalsecrets_restrict_cluster_store_namespaces_exports, {
  kubernetesExternalsecretsRestrictClusterStoreNamespaces: () => kubernetesExternalsecretsRestrictClusterStoreNamespaces
});
module.exports = __toCommonJS(kubernetes_externalsecrets_restrict_cluster_store_namespaces_exports);
var import_frameworks = require("../lib/frameworks");
var import_policy = require("../lib/policy");
var import_values = require("../lib/values");
const SCOPING_FIELDS = ["namespaces", "namespaceSelector", "namespaceRegexes"];
const kubernetesExternalsecretsRestrictClusterStoreNamespaces = {
  name: "kubernetes-externalsecrets-restrict-cluster-store-namespaces",
  description: "ClusterSecretStores must restrict which namespaces may use them (spec.conditions), or every namespace can read their secrets.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2"),
  remediationSteps: "Set `spec.conditions: [{ namespaces: [...] }]` to the namespaces listed for the store in the catalog (`eso.clusterSecretStores[].namespaces`).",
  validateResource: (0, import_policy.validateResourceOfToken)(
    "kubernetes:external-secrets.io/v1:ClusterSecretStore",
    (props, _args, report) => {
      const conditions = (0, import_values.asArray)((0, import_values.atPath)(props, "spec.conditions"));
      if (conditions.length === 0) {
        report("spec.conditions is empty: every namespace may use this store.");
        return;
      }
      for (const [i, condition] of conditions.entries()) {
        const scoped = (0, import_values.isRecord)(condition) && SCOPING_FIELDS.some((f) => (0, import_values.asArray)(condition[f]).length > 0 || (0, import_values.isRecord)(condition[f]));
        if (!scoped) report(`spec.conditions[${i}] names no namespaces.`);
      }
    }
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  kubernetesExternalsecretsRestrictClusterStoreNamespaces
});
