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
var aws_secretsmanager_require_rotation_exports = {};
__export(aws_secretsmanager_require_rotation_exports, {
  ROTATED_BY_ISSUER_TAG: () => ROTATED_BY_ISSUER_TAG,
  awsSecretsmanagerRequireRotation: () => awsSecretsmanagerRequireRotation
});
module.exports = __toCommonJS(aws_secretsmanager_require_rotation_exports);
var aws = __toESM(require("@pulumi/aws"));
var import_frameworks = require("../lib/frameworks");
var import_values = require("../lib/values");
const ROTATED_BY_ISSUER_TAG = { key: "secrets-platform:rotation", value: "by-issuer" };
function known(resource, key) {
  try {
    return resource.props[key];
  } catch {
    return void 0;
  }
}
const awsSecretsmanagerRequireRotation = {
  name: "aws-secretsmanager-require-rotation",
  description: `Every Secrets Manager secret must have a SecretRotation, unless tagged ${ROTATED_BY_ISSUER_TAG.key}=${ROTATED_BY_ISSUER_TAG.value} (rotated by the third party that issues it).`,
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.PERIODIC_CREDENTIAL_CHANGE,
  tags: (0, import_frameworks.controls)("soc2:CC6.1"),
  remediationSteps: "Give the catalog secret a `rotation: { database: <name> }` so the platform deploys the rotation function, or, for a credential only its issuer can rotate, tag the secret `secrets-platform:rotation: by-issuer` and rotate it at the issuer.",
  validateStack: (args, report) => {
    const rotated = /* @__PURE__ */ new Set();
    const rotations = args.resources.filter((r) => r.isType(aws.secretsmanager.SecretRotation));
    const secrets = args.resources.filter((r) => r.isType(aws.secretsmanager.Secret));
    for (const rotation of rotations) {
      for (const dep of rotation.propertyDependencies["secretId"] ?? []) rotated.add(dep.urn);
      const secretId = known(rotation, "secretId");
      for (const secret of secrets) {
        if (secretId !== void 0 && (secretId === known(secret, "arn") || secretId === known(secret, "id")))
          rotated.add(secret.urn);
      }
    }
    for (const secret of secrets) {
      if (rotated.has(secret.urn)) continue;
      const tags = known(secret, "tags");
      if ((0, import_values.isRecord)(tags) && tags[ROTATED_BY_ISSUER_TAG.key] === ROTATED_BY_ISSUER_TAG.value) continue;
      report(
        `secret ${secret.name} has no SecretRotation and is not tagged as rotated by its issuer.`,
        secret.urn
      );
    }
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  ROTATED_BY_ISSUER_TAG,
  awsSecretsmanagerRequireRotation
});
