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
  CLUSTER_STORE_TYPES: () => CLUSTER_STORE_TYPES,
  kubernetesExternalsecretsRestrictClusterStoreNamespaces: () => kubernetesExternalsecretsRestrictClusterStoreNamespaces
});
module.exports = __toCommonJS(kubernetes_externalsecrets_restrict_cluster_store_namespaces_exports);
var import_frameworks = require("../lib/frameworks");
var import_policy = require("../lib/policy");
var import_values = require("../lib/values");
const API_VERSIONS = ["v1", "v1beta1", "v1alpha1"];
const CLUSTER_STORE_TYPES = API_VERSIONS.flatMap((v) => [
  `kubernetes:external-secrets.io/${v}:ClusterSecretStore`,
  `kubernetes:external-secrets.io/${v}:ClusterSecretStorePatch`
]);
const NAME_LABEL = "kubernetes.io/metadata.name";
const PROBE = "zz-policy-probe-0b8e";
function openSelector(selector) {
  if (!(0, import_values.isRecord)(selector)) return "is not a label selector";
  const labels = (0, import_values.isRecord)(selector.matchLabels) ? Object.keys(selector.matchLabels) : [];
  const expressions = (0, import_values.asArray)(selector.matchExpressions);
  if (labels.length === 0 && expressions.length === 0)
    return "is empty, and an empty selector matches every namespace";
  for (const e of expressions) {
    if (!(0, import_values.isRecord)(e)) continue;
    if (e.operator === "NotIn" || e.operator === "DoesNotExist")
      return `uses ${String(e.operator)} on "${String(e.key)}", which matches every namespace without that label value`;
    if (e.operator === "Exists" && e.key === NAME_LABEL)
      return `requires "${NAME_LABEL}" to exist, which every namespace has`;
  }
  return void 0;
}
function openRegex(pattern) {
  if (typeof pattern !== "string") return "is not a string";
  let re;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    return `cannot be checked: ${e.message}`;
  }
  if (re.test(PROBE) || re.test("")) return "matches every namespace";
  if (!pattern.startsWith("^") || !/(^|[^\\])\$$/.test(pattern))
    return "is not anchored (^…$): ESO matches it anywhere in a name, so any namespace containing it is admitted";
  return void 0;
}
function checkConditions(conditions, report) {
  if (conditions.length === 0) {
    report("spec.conditions is empty: every namespace may use this store.");
    return;
  }
  for (const [i, condition] of conditions.entries()) {
    const where = `spec.conditions[${i}]`;
    if (!(0, import_values.isRecord)(condition)) {
      report(`${where} names no namespaces.`);
      continue;
    }
    const namespaces = (0, import_values.asArray)(condition.namespaces).filter(
      (n) => typeof n === "string" && n !== ""
    );
    const selector = condition.namespaceSelector;
    const regexes = (0, import_values.asArray)(condition.namespaceRegexes);
    if (namespaces.length === 0 && selector === void 0 && regexes.length === 0) {
      report(`${where} names no namespaces.`);
      continue;
    }
    if (selector !== void 0 && selector !== null) {
      const why = openSelector(selector);
      if (why) report(`${where}.namespaceSelector ${why}.`);
    }
    for (const [j, pattern] of regexes.entries()) {
      const why = openRegex(pattern);
      if (why) report(`${where}.namespaceRegexes[${j}] ${JSON.stringify(pattern)} ${why}.`);
    }
  }
}
const kubernetesExternalsecretsRestrictClusterStoreNamespaces = {
  name: "kubernetes-externalsecrets-restrict-cluster-store-namespaces",
  description: "ClusterSecretStores (every ESO API version, and patches that set their conditions) must restrict which namespaces may use them (spec.conditions), or every namespace can read their secrets; an empty or absence-based namespace selector and an unanchored or match-all namespace regex restrict nothing.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2"),
  remediationSteps: "Set `spec.conditions: [{ namespaces: [...] }]` to the namespaces that use the store (for our stacks, `eso.clusterSecretStores[].namespaces` in the catalog); a selector must match labels by value, a regex must be anchored `^…$`.",
  validateResource: CLUSTER_STORE_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (props, _args, report) => {
      const conditions = (0, import_values.atPath)(props, "spec.conditions");
      if (type.endsWith("Patch") && conditions === void 0) return;
      checkConditions([...(0, import_values.asArray)(conditions)], report);
    })
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  CLUSTER_STORE_TYPES,
  kubernetesExternalsecretsRestrictClusterStoreNamespaces
});
