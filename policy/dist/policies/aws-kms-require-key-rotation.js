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
var aws_kms_require_key_rotation_exports = {};
__export(aws_kms_require_key_rotation_exports, {
  awsKmsRequireKeyRotation: () => awsKmsRequireKeyRotation
});
module.exports = __toCommonJS(aws_kms_require_key_rotation_exports);
var aws = __toESM(require("@pulumi/aws"));
var import_policy = require("@pulumi/policy");
var import_config = require("../lib/config");
var import_frameworks = require("../lib/frameworks");
const NAME = "aws-kms-require-key-rotation";
const KMS_DEFAULT_ROTATION_DAYS = 365;
const thresholds = {
  maxKeyRotationDays: {
    schema: {
      type: "integer",
      minimum: 90,
      description: "Longest automatic rotation period of a customer-managed key, in days (KMS accepts 90-2560)."
    },
    byEnvironment: (t) => t.keyRotationDays
  }
};
const awsKmsRequireKeyRotation = {
  name: NAME,
  description: "Customer-managed KMS keys must rotate automatically, at least as often as the environment's key rotation period.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: (0, import_frameworks.cis)("AWS Foundations", "3.6", "Ensure rotation for customer-created symmetric CMKs is enabled."),
  tags: (0, import_frameworks.controls)("pci-dss:3.7.4", "soc2:CC6.1"),
  remediationSteps: "Set `enableKeyRotation: true` and `rotationPeriodInDays` to at most this policy's `maxKeyRotationDays`.",
  configSchema: (0, import_config.thresholdSchema)(thresholds),
  validateResource: (0, import_policy.validateResourceOfType)(aws.kms.Key, (key, args, report) => {
    const { maxKeyRotationDays, environment } = (0, import_config.resolveThresholds)(
      NAME,
      thresholds,
      args.getConfig(),
      args.urn
    );
    if (key.enableKeyRotation !== true) {
      report("enableKeyRotation is not true: the key material never rotates.");
      return;
    }
    const days = key.rotationPeriodInDays ?? KMS_DEFAULT_ROTATION_DAYS;
    if (days > maxKeyRotationDays)
      report(`key rotates every ${days} days; ${environment} requires at most ${maxKeyRotationDays}.`);
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsKmsRequireKeyRotation
});
