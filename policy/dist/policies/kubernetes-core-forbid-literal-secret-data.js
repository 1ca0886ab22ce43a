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
var kubernetes_core_forbid_literal_secret_data_exports = {};
__export(kubernetes_core_forbid_literal_secret_data_exports, {
  kubernetesCoreForbidLiteralSecretData: () => kubernetesCoreForbidLiteralSecretData
});
module.exports = __toCommonJS(kubernetes_core_forbid_literal_secret_data_exports);
var k8s = __toESM(require("@pulumi/kubernetes"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
const kubernetesCoreForbidLiteralSecretData = {
  name: "kubernetes-core-forbid-literal-secret-data",
  description: "Kubernetes Secrets must not carry data from the program (it lands in Pulumi state); secret values arrive through External Secrets Operator.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: (0, import_frameworks.cis)("Kubernetes", "5.4.2", "Consider external secret storage."),
  tags: (0, import_frameworks.controls)("pci-dss:8.6.2", "soc2:CC6.1"),
  remediationSteps: "Store the value in the secret backend and add the secret to the workload in the catalog, so an ExternalSecret writes the Kubernetes Secret in the cluster.",
  validateResource: (0, import_policy.validateResourceOfType)(k8s.core.v1.Secret, (secret, _args, report) => {
    const keys = [...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})];
    if (keys.length > 0) report(`the Secret carries ${keys.join(", ")} from the program.`);
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  kubernetesCoreForbidLiteralSecretData
});
