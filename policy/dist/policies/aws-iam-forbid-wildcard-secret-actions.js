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
var aws_iam_forbid_wildcard_secret_actions_exports = {};
__export(aws_iam_forbid_wildcard_secret_actions_exports, {
  awsIamForbidWildcardSecretActions: () => awsIamForbidWildcardSecretActions
});
module.exports = __toCommonJS(aws_iam_forbid_wildcard_secret_actions_exports);
var aws = __toESM(require("@pulumi/aws"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
var import_iam = require("../lib/iam");
const NAME = "aws-iam-forbid-wildcard-secret-actions";
const SECRET_SERVICES = ["secretsmanager", "kms", "ssm"];
const SECRET_READS = /^(secretsmanager:(GetSecretValue|BatchGetSecretValue)|kms:Decrypt|ssm:GetParameters?|ssm:GetParametersByPath)$/i;
function check(document, report) {
  const parsed = (0, import_iam.readStatements)(document, "policy document", report);
  if (!parsed) return;
  for (const [i, s] of parsed.entries()) {
    if (s.effect !== "Allow") continue;
    const where = (0, import_iam.statementLabel)(s, i);
    if (s.notAction) {
      report(
        `${where} allows NotAction [${s.actions.join(", ")}]: that grants every other action, secret services included.`
      );
      continue;
    }
    const wildcards = s.actions.filter(
      (a) => a === "*" || a.includes("*") && SECRET_SERVICES.includes(a.split(":")[0].toLowerCase())
    );
    if (wildcards.length > 0) {
      report(
        `${where} allows wildcard action(s) ${wildcards.join(", ")} on a secret service; list the exact actions.`
      );
    }
    const reads = s.actions.filter((a) => SECRET_READS.test(a));
    if (reads.length > 0 && s.resources.includes("*")) {
      report(`${where} allows ${reads.join(", ")} on Resource "*": name the secret, parameter or key ARNs.`);
    }
  }
}
const awsIamForbidWildcardSecretActions = {
  name: NAME,
  description: 'IAM policies must not grant wildcard or service-wide Secrets Manager, KMS or SSM actions, nor secret reads on Resource "*".',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "cis-aws-foundations:1.16"),
  remediationSteps: "Replace `secretsmanager:*`, `kms:*`, `ssm:*` (and `*`) with the exact actions the role needs, e.g. `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`, and scope `Resource` to the secret ARNs; decrypt keys only `kms:ViaService` Secrets Manager.",
  validateResource: [
    (0, import_policy.validateResourceOfType)(aws.iam.Policy, (policy, _args, report) => check(policy.policy, report)),
    (0, import_policy.validateResourceOfType)(aws.iam.RolePolicy, (policy, _args, report) => check(policy.policy, report))
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsIamForbidWildcardSecretActions
});
