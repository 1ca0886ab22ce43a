// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
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
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var aws_iam_forbid_wildcard_secret_actions_exports = {};
__export(aws_iam_forbid_wildcard_secret_actions_exports, {
  awsIamForbidWildcardSecretActions: () => awsIamForbidWildcardSecretActions
});
module.exports = __toCommonJS(aws_iam_forbid_wildcard_secret_actions_exports);
var import_aws_iam_sources = require("../lib/aws-iam-sources");
var import_frameworks = require("../lib/frameworks");
var import_iam = require("../lib/iam");
var import_policy = require("../lib/policy");
const NAME = "aws-iam-forbid-wildcard-secret-actions";
const SECRET_SERVICES = ["secretsmanager", "kms", "ssm"];
const SECRET_READS = /^(secretsmanager:(GetSecretValue|BatchGetSecretValue)|kms:Decrypt|ssm:GetParameters?|ssm:GetParametersByPath)$/i;
function check(document, report, where = "policy document") {
  const parsed = (0, import_iam.readStatements)(document, where, report);
  if (!parsed) return;
  for (const [i, s] of parsed.entries()) {
    if (s.effect !== "Allow") continue;
    const where2 = (0, import_iam.statementLabel)(s, i);
    if (s.notAction) {
      report(
        `${where2} allows NotAction [${s.actions.join(", ")}]: that grants every other action, secret services included.`
      );
      continue;
    }
    const wildcards = s.actions.filter(
      (a) => a === "*" || a.includes("*") && SECRET_SERVICES.includes(a.split(":")[0].toLowerCase())
    );
    if (wildcards.length > 0) {
      report(
        `${where2} allows wildcard action(s) ${wildcards.join(", ")} on a secret service; list the exact actions.`
      );
    }
    const reads = s.actions.filter((a) => SECRET_READS.test(a));
    if (reads.length > 0 && s.resources.includes("*")) {
      report(`${where2} allows ${reads.join(", ")} on Resource "*": name the secret, parameter or key ARNs.`);
    }
  }
}
const awsIamForbidWildcardSecretActions = {
  name: NAME,
  description: 'IAM identity policies must not grant wildcard or service-wide Secrets Manager, KMS or SSM actions, nor secret reads on Resource "*": customer-managed policies, inline policies of roles, users and groups (also `Role.inlinePolicies`), IAM Identity Center permission sets, and AWS-managed policies that grant the same (AdministratorAccess, PowerUserAccess, SecretsManagerReadWrite, AmazonSSMFullAccess, AmazonSSMReadOnlyAccess) attached by any attachment resource or `managedPolicyArns`.',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "cis-aws-foundations:1.16"),
  remediationSteps: "Replace `secretsmanager:*`, `kms:*`, `ssm:*` (and `*`) with the exact actions the role needs, e.g. `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`, and scope `Resource` to the secret ARNs; decrypt keys only `kms:ViaService` Secrets Manager.",
  validateResource: [
    ...Object.entries(import_aws_iam_sources.IDENTITY_POLICY_DOCUMENTS).map(
      ([type, documents]) => (0, import_policy.validateResourceOfToken)(type, (props, _args, report) => {
        for (const { field, document } of documents(props)) {
          if (field === "policy") check(document, report);
          else check(document, (m, urn) => report(`${field}: ${m}`, urn), field);
        }
      })
    ),
    ...Object.entries(import_aws_iam_sources.MANAGED_POLICY_ARNS).map(
      ([type, key]) => (0, import_policy.validateResourceOfToken)(type, (props, _args, report) => {
        const value = props[key];
        for (const arn of Array.isArray(value) ? value : [value]) {
          const name = typeof arn === "string" ? (0, import_aws_iam_sources.awsManagedPolicyName)(arn) : void 0;
          const grant = name === void 0 ? void 0 : import_aws_iam_sources.BROAD_AWS_MANAGED_POLICIES[name];
          if (grant) report(`${key} attaches the AWS-managed policy ${name}, which ${grant}.`);
        }
      })
    )
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsIamForbidWildcardSecretActions
});
