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
var aws_secretsmanager_limit_rotation_interval_exports = {};
__export(aws_secretsmanager_limit_rotation_interval_exports, {
  awsSecretsmanagerLimitRotationInterval: () => awsSecretsmanagerLimitRotationInterval
});
module.exports = __toCommonJS(aws_secretsmanager_limit_rotation_interval_exports);
var aws = __toESM(require("@pulumi/aws"));
var import_policy = require("@pulumi/policy");
var import_config = require("../lib/config");
var import_durations = require("../lib/durations");
var import_frameworks = require("../lib/frameworks");
const NAME = "aws-secretsmanager-limit-rotation-interval";
const thresholds = {
  maxRotationDays: (0, import_config.integerThreshold)(
    1,
    "Longest interval between two rotations of a secret, in days.",
    (t) => t.maxRotationDays
  )
};
const awsSecretsmanagerLimitRotationInterval = {
  name: NAME,
  description: "Secrets Manager rotation schedules must rotate at least as often as the environment's maximum rotation period.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.PERIODIC_CREDENTIAL_CHANGE,
  tags: (0, import_frameworks.controls)("soc2:CC6.1"),
  remediationSteps: "Set `rotationRules.scheduleExpression` to rotate at least every `maxRotationDays` (this policy's config), e.g. `rate(7 days)` in prod.",
  configSchema: (0, import_config.thresholdSchema)(thresholds),
  validateResource: (0, import_policy.validateResourceOfType)(aws.secretsmanager.SecretRotation, (rotation, args, report) => {
    const { maxRotationDays, environment } = (0, import_config.resolveThresholds)(NAME, thresholds, args.getConfig(), args.urn);
    const rules = rotation.rotationRules;
    const expression = rules?.scheduleExpression;
    const days = expression !== void 0 ? (0, import_durations.awsScheduleIntervalDays)(expression) : rules?.automaticallyAfterDays;
    if (days === void 0) {
      report(
        expression !== void 0 ? `rotationRules.scheduleExpression "${expression}" is not a rate() or cron() expression.` : "rotationRules sets neither scheduleExpression nor automaticallyAfterDays."
      );
    } else if (days > maxRotationDays) {
      report(`rotation runs every ${days} days; ${environment} requires at most ${maxRotationDays}.`);
    }
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsSecretsmanagerLimitRotationInterval
});
