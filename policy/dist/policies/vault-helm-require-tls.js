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
var vault_helm_require_tls_exports = {};
__export(vault_helm_require_tls_exports, {
  vaultHelmRequireTls: () => vaultHelmRequireTls
});
module.exports = __toCommonJS(vault_helm_require_tls_exports);
var import_frameworks = require("../lib/frameworks");
var import_values = require("../lib/values");
var import_vault_helm = require("../lib/vault-helm");
const vaultHelmRequireTls = {
  name: "vault-helm-require-tls",
  description: "The Vault Helm release must serve TLS: `global.tlsDisable` must be set to false (the chart's default is true).",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: (0, import_frameworks.pciDss)("4.2.1", "Strong cryptography protects data in transit."),
  tags: (0, import_frameworks.controls)("soc2:CC6.7"),
  remediationSteps: "Set `values.global.tlsDisable: false` and mount the certificate (cert-manager or the catalog's TLS secret) in the listener config.",
  validateResource: (0, import_vault_helm.validateVaultHelmValues)((values, _args, report) => {
    if ((0, import_values.atPath)(values, "global.tlsDisable") !== false)
      report("global.tlsDisable is not false: Vault listens in plain HTTP.");
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultHelmRequireTls
});
