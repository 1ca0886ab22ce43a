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
var azure_keyvault_require_purge_protection_exports = {};
__export(azure_keyvault_require_purge_protection_exports, {
  azureKeyvaultRequirePurgeProtection: () => azureKeyvaultRequirePurgeProtection
});
module.exports = __toCommonJS(azure_keyvault_require_purge_protection_exports);
var azure = __toESM(require("@pulumi/azure-native"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
const azureKeyvaultRequirePurgeProtection = {
  name: "azure-keyvault-require-purge-protection",
  description: "Key Vaults must have purge protection, so a deleted vault or secret cannot be destroyed before its retention ends.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.KEY_VAULT_RECOVERABLE,
  tags: (0, import_frameworks.controls)("soc2:A1.2"),
  remediationSteps: "Set `properties.enablePurgeProtection: true` (irreversible by design).",
  validateResource: (0, import_policy.validateResourceOfType)(azure.keyvault.Vault, (vault, _args, report) => {
    if (vault.properties.enablePurgeProtection !== true)
      report("properties.enablePurgeProtection is not true.");
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  azureKeyvaultRequirePurgeProtection
});
