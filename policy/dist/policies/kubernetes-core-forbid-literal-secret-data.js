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
var kubernetes_core_forbid_literal_secret_data_exports = {};
__export(kubernetes_core_forbid_literal_secret_data_exports, {
  SECRET_TYPES: () => SECRET_TYPES,
  kubernetesCoreForbidLiteralSecretData: () => kubernetesCoreForbidLiteralSecretData
});
module.exports = __toCommonJS(kubernetes_core_forbid_literal_secret_data_exports);
var import_frameworks = require("../lib/frameworks");
var import_policy = require("../lib/policy");
var import_values = require("../lib/values");
const SECRET_TYPES = ["Secret", "SecretPatch", "SecretList"].map((k) => `kubernetes:core/v1:${k}`);
const TOKEN_KEYS = /* @__PURE__ */ new Set(["token", "ca.crt", "namespace"]);
function literalKeys(secret) {
  const token = secret.type === "kubernetes.io/service-account-token";
  const found = [];
  for (const field of ["data", "stringData", "binaryData"]) {
    const value = secret[field];
    if (value === void 0 || value === null) continue;
    if ((0, import_values.isRedacted)(value)) {
      if (!(token && field === "data"))
        found.push(`${field} (withheld as a secret, so its keys cannot be listed)`);
      continue;
    }
    const keys = (0, import_values.isRecord)(value) ? Object.keys(value) : [];
    found.push(...keys.filter((k) => !(token && field === "data" && TOKEN_KEYS.has(k))));
  }
  return found;
}
const kubernetesCoreForbidLiteralSecretData = {
  name: "kubernetes-core-forbid-literal-secret-data",
  description: "Kubernetes Secrets must not carry data from the program (it lands in Pulumi state); secret values arrive through External Secrets Operator. Checked on every Secret, SecretPatch and SecretList item, which is also how Helm charts, YAML and Kustomize resources register the Secrets they render; a service-account token Secret's `token`, `ca.crt` and `namespace` (written by the cluster) are not the program's.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: (0, import_frameworks.cis)("Kubernetes", "5.4.2", "Consider external secret storage."),
  tags: (0, import_frameworks.controls)("pci-dss:8.6.2", "soc2:CC6.1"),
  remediationSteps: "Store the value in the secret backend and add the secret to the workload in the catalog, so an ExternalSecret writes the Kubernetes Secret in the cluster.",
  validateResource: SECRET_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (props, _args, report) => {
      const list = type.endsWith("List");
      const secrets = list ? (0, import_values.asArray)(props.items).filter(import_values.isRecord) : [props];
      for (const [i, secret] of secrets.entries()) {
        const keys = literalKeys(secret);
        if (keys.length > 0)
          report(`${list ? `items[${i}]: ` : ""}the Secret carries ${keys.join(", ")} from the program.`);
      }
    })
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  SECRET_TYPES,
  kubernetesCoreForbidLiteralSecretData
});
