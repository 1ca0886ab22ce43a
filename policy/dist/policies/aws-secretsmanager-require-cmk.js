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
var aws_secretsmanager_require_cmk_exports = {};
__export(aws_secretsmanager_require_cmk_exports, {
  awsSecretsmanagerRequireCmk: () => awsSecretsmanagerRequireCmk
});
module.exports = __toCommonJS(aws_secretsmanager_require_cmk_exports);
var aws = __toESM(require("@pulumi/aws"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
const awsSecretsmanagerRequireCmk = {
  name: "aws-secretsmanager-require-cmk",
  description: "Secrets Manager secrets must be encrypted with a customer-managed KMS key, not the AWS-managed aws/secretsmanager key.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.KEY_PROTECTION,
  tags: (0, import_frameworks.controls)("soc2:CC6.1", "soc2:CC6.7"),
  remediationSteps: "Set `kmsKeyId` to the environment's customer-managed key (its ARN), so key policy and rotation are under your control and access can be restricted to Secrets Manager.",
  validateResource: (0, import_policy.validateResourceOfType)(aws.secretsmanager.Secret, (secret, _args, report) => {
    const key = secret.kmsKeyId;
    if (!key)
      report("kmsKeyId is not set: the secret is encrypted with the AWS-managed key aws/secretsmanager.");
    else if (/alias\/aws\/secretsmanager$/.test(key))
      report(`kmsKeyId ${key} is the AWS-managed key; use a customer-managed key.`);
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsSecretsmanagerRequireCmk
});
