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
var azure_keyvault_require_secret_expiry_exports = {};
__export(azure_keyvault_require_secret_expiry_exports, {
  azureKeyvaultRequireSecretExpiry: () => azureKeyvaultRequireSecretExpiry
});
module.exports = __toCommonJS(azure_keyvault_require_secret_expiry_exports);
var azure = __toESM(require("@pulumi/azure-native"));
var import_policy = require("@pulumi/policy");
var import_config = require("../lib/config");
var import_frameworks = require("../lib/frameworks");
var import_values = require("../lib/values");
const NAME = "azure-keyvault-require-secret-expiry";
const DAY = 86400;
const CLOCK_SLACK_SECONDS = DAY;
const thresholds = {
  maxExpiryDays: (0, import_config.integerThreshold)(
    1,
    "Latest a secret may expire, in days from now.",
    (t) => t.secretExpiryDays
  )
};
const azureKeyvaultRequireSecretExpiry = {
  name: NAME,
  description: "Key Vault secrets must have an expiry date no further away than the environment's maximum secret lifetime.",
  enforcementLevel: "mandatory",
  severity: "medium",
  framework: (0, import_frameworks.cis)(
    "Microsoft Azure Foundations",
    "8.3",
    "Ensure that the Expiration Date is set for all Secrets in RBAC Key Vaults."
  ),
  tags: (0, import_frameworks.controls)("pci-dss:8.6.3", "soc2:CC6.1"),
  remediationSteps: "Set `properties.attributes.expires` (Unix seconds) to at most now + this policy's `maxExpiryDays`, and rotate before it passes.",
  configSchema: (0, import_config.thresholdSchema)(thresholds),
  validateResource: (0, import_policy.validateResourceOfType)(azure.keyvault.Secret, (secret, args, report) => {
    const { maxExpiryDays, environment } = (0, import_config.resolveThresholds)(NAME, thresholds, args.getConfig(), args.urn);
    if ((0, import_values.isRedacted)(secret.properties)) {
      report((0, import_values.redactedMessage)("properties", "properties.attributes.expires"));
      return;
    }
    const expires = secret.properties.attributes?.expires;
    if (expires === void 0) {
      report("properties.attributes.expires is not set: the secret never expires.");
      return;
    }
    const latest = Date.now() / 1e3 + maxExpiryDays * DAY + CLOCK_SLACK_SECONDS;
    if (expires > latest) {
      report(
        `secret expires in ${Math.round((expires - Date.now() / 1e3) / DAY)} days; ${environment} allows at most ${maxExpiryDays}.`
      );
    }
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  azureKeyvaultRequireSecretExpiry
});
