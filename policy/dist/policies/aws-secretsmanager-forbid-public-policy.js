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
var aws_secretsmanager_forbid_public_policy_exports = {};
__export(aws_secretsmanager_forbid_public_policy_exports, {
  awsSecretsmanagerForbidPublicPolicy: () => awsSecretsmanagerForbidPublicPolicy
});
module.exports = __toCommonJS(aws_secretsmanager_forbid_public_policy_exports);
var aws = __toESM(require("@pulumi/aws"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
var import_iam = require("../lib/iam");
function checkStatements(document, where, report) {
  const parsed = (0, import_iam.readStatements)(document, where, report);
  if (!parsed) return;
  for (const [i, s] of parsed.entries()) {
    if (s.effect === "Allow" && (0, import_iam.hasWildcardPrincipal)(s) && !(0, import_iam.isNarrowedByCondition)(s)) {
      report(`${(0, import_iam.statementLabel)(s, i)} allows Principal "*" with no condition naming the caller.`);
    }
  }
}
const awsSecretsmanagerForbidPublicPolicy = {
  name: "aws-secretsmanager-forbid-public-policy",
  description: "Secret resource policies (a SecretPolicy, or the `policy` written on the Secret itself) must not allow a wildcard principal without a condition naming the caller, and a SecretPolicy must keep block-public-policy on.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.RESTRICTED_LOGICAL_ACCESS,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.1", "pci-dss:1.4.4"),
  remediationSteps: "Allow only the workload role ARNs (Principal.AWS) and add a Deny for every other principal (aws:PrincipalArn not in the list); set `blockPublicPolicy: true`.",
  validateResource: [
    (0, import_policy.validateResourceOfType)(aws.secretsmanager.SecretPolicy, (policy, _args, report) => {
      if (policy.blockPublicPolicy !== true)
        report("blockPublicPolicy is not true: AWS will accept a policy that makes the secret public.");
      checkStatements(policy.policy, "policy", report);
    }),
    // The same resource policy written inline on the secret.
    (0, import_policy.validateResourceOfType)(aws.secretsmanager.Secret, (secret, _args, report) => {
      if (secret.policy !== void 0) checkStatements(secret.policy, "policy", report);
    })
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsSecretsmanagerForbidPublicPolicy
});
