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
var pulumi_resource_require_protect_exports = {};
__export(pulumi_resource_require_protect_exports, {
  pulumiResourceRequireProtect: () => pulumiResourceRequireProtect
});
module.exports = __toCommonJS(pulumi_resource_require_protect_exports);
var aws = __toESM(require("@pulumi/aws"));
var azure = __toESM(require("@pulumi/azure-native"));
var gcp = __toESM(require("@pulumi/gcp"));
var import_config = require("../lib/config");
var import_frameworks = require("../lib/frameworks");
var import_policy = require("../lib/policy");
const NAME = "pulumi-resource-require-protect";
const PROTECTED_TYPES = new Set(
  [
    aws.kms.Key,
    aws.secretsmanager.Secret,
    gcp.kms.CryptoKey,
    gcp.secretmanager.Secret,
    azure.keyvault.Vault,
    azure.keyvault.Secret,
    azure.keyvault.Key
  ].map(import_policy.typeToken)
);
const thresholds = {
  required: {
    schema: {
      type: "boolean",
      description: "Whether keys, secrets and key vaults need Pulumi's `protect` option."
    },
    byEnvironment: (t) => t.protect
  }
};
const validate = (args, report) => {
  const { required, environment } = (0, import_config.resolveThresholds)(NAME, thresholds, args.getConfig(), args.urn);
  if (required && !args.opts.protect)
    report(`${args.type} ${args.name} is not protected; ${environment} requires protect.`);
};
const pulumiResourceRequireProtect = {
  name: NAME,
  description: "In prod, KMS keys, secrets and key vaults must carry Pulumi's `protect` option, so no update can delete them by accident.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: (0, import_frameworks.soc2)("CC8.1", "Changes to infrastructure are authorised and controlled."),
  tags: (0, import_frameworks.controls)("soc2:A1.2"),
  remediationSteps: "Pass `{ protect: true }` to keys, secrets and vaults where this policy's `required` is true (prod by default); deleting one then takes a deliberate `pulumi state unprotect`.",
  configSchema: (0, import_config.thresholdSchema)(thresholds),
  // One validator per type, so the engine calls none for other resources.
  validateResource: [...PROTECTED_TYPES].map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (_props, args, report) => validate(args, report))
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  pulumiResourceRequireProtect
});
