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
var azure_keyvault_require_rbac_exports = {};
__export(azure_keyvault_require_rbac_exports, {
  azureKeyvaultRequireRbac: () => azureKeyvaultRequireRbac
});
module.exports = __toCommonJS(azure_keyvault_require_rbac_exports);
var azure = __toESM(require("@pulumi/azure-native"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
const azureKeyvaultRequireRbac = {
  name: "azure-keyvault-require-rbac",
  description: "Key Vaults must use Azure RBAC for data-plane access, not vault access policies.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: (0, import_frameworks.cis)(
    "Microsoft Azure Foundations",
    "8.6",
    "Enable Role Based Access Control for Azure Key Vault."
  ),
  tags: (0, import_frameworks.controls)("soc2:CC6.3", "pci-dss:7.2.1"),
  remediationSteps: "Set `properties.enableRbacAuthorization: true` and remove `properties.accessPolicies`; grant `Key Vault Secrets User` per secret.",
  validateResource: (0, import_policy.validateResourceOfType)(azure.keyvault.Vault, (vault, _args, report) => {
    if (vault.properties.enableRbacAuthorization !== true)
      report("properties.enableRbacAuthorization is not true: access policies grant vault-wide access.");
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  azureKeyvaultRequireRbac
});
