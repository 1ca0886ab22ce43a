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
var gcp_secretmanager_require_cmek_exports = {};
__export(gcp_secretmanager_require_cmek_exports, {
  gcpSecretmanagerRequireCmek: () => gcpSecretmanagerRequireCmek
});
module.exports = __toCommonJS(gcp_secretmanager_require_cmek_exports);
var gcp = __toESM(require("@pulumi/gcp"));
var import_policy = require("@pulumi/policy");
var import_config = require("../lib/config");
var import_frameworks = require("../lib/frameworks");
const NAME = "gcp-secretmanager-require-cmek";
const thresholds = {
  required: {
    schema: {
      type: "boolean",
      description: "Whether secrets must be encrypted with a customer-managed key."
    },
    byEnvironment: (t) => t.customerManagedKeys
  }
};
const gcpSecretmanagerRequireCmek = {
  name: NAME,
  description: "In prod, Secret Manager secrets must be encrypted with a customer-managed Cloud KMS key (CMEK) in every replica.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.KEY_PROTECTION,
  tags: (0, import_frameworks.controls)("soc2:CC6.1"),
  remediationSteps: "Set `replication.auto.customerManagedEncryption.kmsKeyName`, or `customerManagedEncryption.kmsKeyName` on every `replication.userManaged.replicas[]` entry (a key in the replica's location).",
  configSchema: (0, import_config.thresholdSchema)(thresholds),
  validateResource: (0, import_policy.validateResourceOfType)(gcp.secretmanager.Secret, (secret, args, report) => {
    if (!(0, import_config.resolveThresholds)(NAME, thresholds, args.getConfig(), args.urn).required) return;
    const replication = secret.replication;
    if (replication.userManaged) {
      for (const replica of replication.userManaged.replicas) {
        if (!replica.customerManagedEncryption?.kmsKeyName)
          report(`replica in ${replica.location} has no customer-managed key.`);
      }
    } else if (!replication.auto?.customerManagedEncryption?.kmsKeyName) {
      report("replication.auto has no customerManagedEncryption.kmsKeyName: Google-managed encryption only.");
    }
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  gcpSecretmanagerRequireCmek
});
