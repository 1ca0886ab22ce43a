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
var import_exemptions = require("../lib/exemptions");
var import_frameworks = require("../lib/frameworks");
var import_iam = require("../lib/iam");
var import_policy = require("../lib/policy");
const NAME = "aws-iam-forbid-wildcard-secret-actions";
const SECRET_SERVICES = ["secretsmanager", "kms", "ssm"];
const SECRET_READS = /^(secretsmanager:(GetSecretValue|BatchGetSecretValue)|kms:Decrypt|ssm:GetParameters?|ssm:GetParametersByPath)$/i;
function coversEveryResource(resource) {
  if (resource === "*") return true;
  const fields = resource.split(":");
  if (fields.length < 6 || fields[0].toLowerCase() !== "arn") return false;
  const rest = fields.slice(5).join(":").replace(/^(secret|key|parameter)(?=[:/*?]|$)[:/]?/i, "");
  return /^[*?]*\*[*?]*$/.test(rest);
}
const KEY_NARROWING_KEYS = ["kms:resourcealiases", "kms:requestalias", "kms:viaservice"];
const KEY_NARROWING_OPERATORS = [
  "StringEquals",
  "StringEqualsIgnoreCase",
  "ForAnyValue:StringEquals",
  "ForAnyValue:StringEqualsIgnoreCase"
];
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
      (a) => a === "*" || /[*?]/.test(a) && SECRET_SERVICES.includes(a.split(":")[0].toLowerCase())
    );
    if (wildcards.length > 0) {
      report(
        `${where2} allows wildcard action(s) ${wildcards.join(", ")} on a secret service; list the exact actions.`
      );
    }
    const keyReadsNarrowed = (0, import_iam.isNarrowedBy)(s, KEY_NARROWING_KEYS, KEY_NARROWING_OPERATORS);
    const reads = s.actions.filter(
      (a) => SECRET_READS.test(a) && !(keyReadsNarrowed && /^kms:/i.test(a) && !s.notResource)
    );
    if (reads.length > 0 && s.notResource) {
      report(
        `${where2} allows ${reads.join(", ")} on NotResource [${s.resources.join(", ")}]: that grants every other secret, parameter or key; name the ARNs in Resource.`
      );
    } else if (reads.length > 0) {
      const every = s.resources.filter(coversEveryResource);
      if (every.length > 0)
        report(
          `${where2} allows ${reads.join(", ")} on Resource ${every.map((r) => `"${r}"`).join(", ")}, which names every one of them: name the secret, parameter or key ARNs.`
        );
    }
  }
}
const SETTING = "awsManagedPolicies";
const KIND = {
  key: "policy",
  exactName: "an AWS-managed policy's path and name exactly as in its ARN after `:policy/`",
  matches: "AWS-managed policy attachment"
};
function checkAttachments(value, key, args, report) {
  for (const arn of Array.isArray(value) ? value : [value]) {
    const managed = typeof arn === "string" ? (0, import_aws_iam_sources.awsManagedPolicy)(arn) : void 0;
    if (!managed) continue;
    if (Object.hasOwn(import_aws_iam_sources.BROAD_AWS_MANAGED_POLICIES, managed.name)) {
      const grant = import_aws_iam_sources.BROAD_AWS_MANAGED_POLICIES[managed.name];
      report(`${key} attaches the AWS-managed policy ${managed.name}, which ${grant}.`);
      continue;
    }
    if (Object.hasOwn(import_aws_iam_sources.KNOWN_SAFE_AWS_MANAGED_POLICIES, managed.id)) continue;
    (0, import_exemptions.reportUnlessExempt)(
      report,
      {
        raw: args.getConfig()?.awsManagedPolicies,
        kind: KIND,
        setting: SETTING
      },
      managed.id,
      `${key} attaches the AWS-managed policy ${JSON.stringify(managed.id)}, whose document is not in the state`,
      `: the pack cannot verify it grants no secret reads. Attach a customer-managed policy with the exact actions, or name it in this policy's \`${SETTING}\` setting with a reason.`
    );
  }
}
const awsIamForbidWildcardSecretActions = {
  name: NAME,
  description: 'IAM identity policies must not grant wildcard or service-wide Secrets Manager, KMS or SSM actions (`*` or `?` in the action), NotAction, nor secret reads on Resource "*", on an ARN whose resource part is only wildcards (`secret:*`, `key/*`, `parameter/*`, any region or account) or on NotResource (a `kms:Decrypt` under an exact `kms:ViaService`, `kms:ResourceAliases` or `kms:RequestAlias` equality names its keys through the condition and passes): customer-managed policies, inline policies of roles, users and groups (also `Role.inlinePolicies`), IAM Identity Center permission sets. Deny statements, conditions and permission boundaries are not read (they only narrow a grant). AWS-managed policies attached by any attachment resource or `managedPolicyArns`: those known to grant the same (AdministratorAccess, PowerUserAccess, SecretsManagerReadWrite, AmazonSSMFullAccess, AmazonSSMReadOnlyAccess, AmazonSSMManagedInstanceCore) are refused; those known to grant no secret read (service-role/AWSLambdaBasicExecutionRole, service-role/AWSLambdaVPCAccessExecutionRole, AmazonEKSWorkerNodePolicy) pass; any other is refused, its document not being in the state, unless the `awsManagedPolicies` setting names it exactly with a reason (reported as an advisory note). Customer-managed policies attached by ARN are judged where they are written.',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "cis-aws-foundations:1.16"),
  remediationSteps: "Replace `secretsmanager:*`, `kms:*`, `ssm:*` (and `*`) with the exact actions the role needs, e.g. `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`, and scope `Resource` to the secret ARNs; decrypt keys only `kms:ViaService` Secrets Manager.",
  configSchema: {
    properties: {
      [SETTING]: (0, import_exemptions.exemptionsSchema)(
        KIND,
        "AWS-managed policies (path and name as in the ARN after `:policy/`, exact, no globs) that may be attached although the pack cannot read their documents, each with its reason; every exemption applied is reported as an advisory note. The policies known to grant secret reads cannot be exempted."
      )
    }
  },
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
      ([type, key]) => (0, import_policy.validateResourceOfToken)(type, (props, args, report) => checkAttachments(props[key], key, args, report))
    )
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsIamForbidWildcardSecretActions
});
