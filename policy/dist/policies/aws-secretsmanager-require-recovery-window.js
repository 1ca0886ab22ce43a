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
var aws_secretsmanager_require_recovery_window_exports = {};
__export(aws_secretsmanager_require_recovery_window_exports, {
  awsSecretsmanagerRequireRecoveryWindow: () => awsSecretsmanagerRequireRecoveryWindow
});
module.exports = __toCommonJS(aws_secretsmanager_require_recovery_window_exports);
var aws = __toESM(require("@pulumi/aws"));
var import_policy = require("@pulumi/policy");
var import_config = require("../lib/config");
var import_frameworks = require("../lib/frameworks");
const NAME = "aws-secretsmanager-require-recovery-window";
const AWS_DEFAULT_RECOVERY_DAYS = 30;
const thresholds = {
  minRecoveryWindowDays: (0, import_config.integerThreshold)(
    0,
    "Shortest recovery window a deleted secret may have, in days.",
    (t) => t.recoveryWindowDays
  )
};
const awsSecretsmanagerRequireRecoveryWindow = {
  name: NAME,
  description: "Deleted Secrets Manager secrets must stay recoverable for at least the environment's recovery window (0 = immediate deletion is never allowed).",
  enforcementLevel: "mandatory",
  severity: "medium",
  framework: (0, import_frameworks.soc2)("A1.2", "Recovery of data is provided for."),
  tags: (0, import_frameworks.controls)("pci-dss:12.10.1"),
  remediationSteps: "Set `recoveryWindowInDays` to at least this policy's `minRecoveryWindowDays`, or leave it unset (30 days).",
  configSchema: (0, import_config.thresholdSchema)(thresholds),
  validateResource: (0, import_policy.validateResourceOfType)(aws.secretsmanager.Secret, (secret, args, report) => {
    const { minRecoveryWindowDays, environment } = (0, import_config.resolveThresholds)(
      NAME,
      thresholds,
      args.getConfig(),
      args.urn
    );
    const days = secret.recoveryWindowInDays ?? AWS_DEFAULT_RECOVERY_DAYS;
    if (days < minRecoveryWindowDays) {
      report(`recoveryWindowInDays is ${days}; ${environment} requires at least ${minRecoveryWindowDays}.`);
    }
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsSecretsmanagerRequireRecoveryWindow
});
