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
var gcp_secretmanager_require_rotation_exports = {};
__export(gcp_secretmanager_require_rotation_exports, {
  gcpSecretmanagerRequireRotation: () => gcpSecretmanagerRequireRotation
});
module.exports = __toCommonJS(gcp_secretmanager_require_rotation_exports);
var gcp = __toESM(require("@pulumi/gcp"));
var import_policy = require("@pulumi/policy");
var import_config = require("../lib/config");
var import_durations = require("../lib/durations");
var import_frameworks = require("../lib/frameworks");
const NAME = "gcp-secretmanager-require-rotation";
const DAY = 86400;
const thresholds = {
  required: {
    schema: {
      type: "boolean",
      description: "Whether secrets must publish rotation notifications to a Pub/Sub topic."
    },
    byEnvironment: (t) => t.gcpRotation
  },
  maxRotationDays: (0, import_config.integerThreshold)(
    1,
    "Longest rotation period of a secret, in days.",
    (t) => t.secretExpiryDays
  )
};
const gcpSecretmanagerRequireRotation = {
  name: NAME,
  description: "In prod, Secret Manager secrets must have a rotation topic and a rotation period no longer than the environment's maximum.",
  enforcementLevel: "mandatory",
  severity: "medium",
  framework: import_frameworks.PERIODIC_CREDENTIAL_CHANGE,
  tags: (0, import_frameworks.controls)("soc2:CC6.1"),
  remediationSteps: 'Set `topics: [{ name: <rotation topic> }]` and `rotation: { rotationPeriod: "<seconds>s", nextRotationTime }` with a period of at most this policy\'s `maxRotationDays`.',
  configSchema: (0, import_config.thresholdSchema)(thresholds),
  validateResource: (0, import_policy.validateResourceOfType)(gcp.secretmanager.Secret, (secret, args, report) => {
    const { required, maxRotationDays, environment } = (0, import_config.resolveThresholds)(
      NAME,
      thresholds,
      args.getConfig(),
      args.urn
    );
    if (!required) return;
    if (!secret.topics || secret.topics.length === 0)
      report("no Pub/Sub topic: rotation notifications go nowhere.");
    const period = secret.rotation?.rotationPeriod;
    const seconds = period === void 0 ? void 0 : (0, import_durations.googleDurationSeconds)(period);
    if (period === void 0) report("rotation.rotationPeriod is not set.");
    else if (seconds === void 0)
      report(`rotation.rotationPeriod "${period}" is not a duration such as "604800s".`);
    else if (seconds > maxRotationDays * DAY) {
      report(`rotation period is ${seconds / DAY} days; ${environment} requires at most ${maxRotationDays}.`);
    }
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  gcpSecretmanagerRequireRotation
});
