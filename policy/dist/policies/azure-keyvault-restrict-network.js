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
var azure_keyvault_restrict_network_exports = {};
__export(azure_keyvault_restrict_network_exports, {
  azureKeyvaultRestrictNetwork: () => azureKeyvaultRestrictNetwork
});
module.exports = __toCommonJS(azure_keyvault_restrict_network_exports);
var azure = __toESM(require("@pulumi/azure-native"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
const azureKeyvaultRestrictNetwork = {
  name: "azure-keyvault-restrict-network",
  description: "Key Vaults must deny network access by default (firewall default action Deny, or public network access disabled).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: (0, import_frameworks.cis)(
    "Microsoft Azure Foundations",
    "8.7",
    "Ensure that Private Endpoints are Used for Azure Key Vault."
  ),
  tags: (0, import_frameworks.controls)("soc2:CC6.6", "pci-dss:1.3.1"),
  remediationSteps: 'Set `properties.networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules, virtualNetworkRules }` from the catalog\'s allowed ranges and subnets, or `publicNetworkAccess: "Disabled"` with a private endpoint.',
  validateResource: (0, import_policy.validateResourceOfType)(azure.keyvault.Vault, (vault, _args, report) => {
    const { networkAcls, publicNetworkAccess } = vault.properties;
    if (publicNetworkAccess?.toLowerCase() === "disabled") return;
    if (networkAcls?.defaultAction?.toLowerCase() !== "deny") {
      report(
        `networkAcls.defaultAction is ${networkAcls?.defaultAction ?? "unset (Allow)"}: the vault accepts traffic from any network.`
      );
    }
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  azureKeyvaultRestrictNetwork
});
