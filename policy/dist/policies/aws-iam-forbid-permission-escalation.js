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
var aws_iam_forbid_permission_escalation_exports = {};
__export(aws_iam_forbid_permission_escalation_exports, {
  awsIamForbidPermissionEscalation: () => awsIamForbidPermissionEscalation
});
module.exports = __toCommonJS(aws_iam_forbid_permission_escalation_exports);
var import_graph = require("../lib/access/graph");
var import_aws_escalation = require("../lib/aws-escalation");
var import_aws_iam_sources = require("../lib/aws-iam-sources");
var import_exemptions = require("../lib/exemptions");
var import_frameworks = require("../lib/frameworks");
var import_iam = require("../lib/iam");
var import_policy = require("../lib/policy");
const NAME = "aws-iam-forbid-permission-escalation";
const SETTING = "exemptions";
const KIND = {
  key: "name",
  exactName: "the exact name of the role, user, group, managed policy or permission set the grant is written for, as in the resource",
  matches: "permission-rewriting grant"
};
const OWNER_FIELDS = {
  "aws:iam/policy:Policy": ["name"],
  "aws:iam/rolePolicy:RolePolicy": ["role"],
  "aws:iam/userPolicy:UserPolicy": ["user"],
  "aws:iam/groupPolicy:GroupPolicy": ["group"],
  "aws:iam/role:Role": ["name"],
  "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": ["permissionSetArn"],
  "aws:iam/policyAttachment:PolicyAttachment": ["roles", "users", "groups"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role"],
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": ["user"],
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": ["group"],
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": ["roleName"],
  "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": ["userName"],
  "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": ["groupName"],
  "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": ["permissionSetArn"],
  "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive": ["permissionSetArn"],
  "aws:quicksight/iamPolicyAssignment:IamPolicyAssignment": ["assignmentName"]
};
function ownersOf(type, props) {
  return (OWNER_FIELDS[type] ?? []).flatMap((f) => {
    const v = props[f];
    return (Array.isArray(v) ? v : [v]).filter((x) => typeof x === "string" && x !== "");
  });
}
const everyRole = (resource) => resource === "*" || /^arn:[^:]*:iam::[^:]*:role\/[*?]*\*[*?]*$/.test(resource);
function escalations(s) {
  const grants = (action) => {
    const listed = s.actions.some((a) => (0, import_graph.globMatch)(a, action, true));
    return s.notAction ? !listed : listed;
  };
  const found = Object.keys(import_aws_escalation.ESCALATION_ACTIONS).filter(grants);
  if (grants(import_aws_escalation.PASS_ROLE) && (s.notResource || s.resources.some(everyRole)))
    found.push(`${import_aws_escalation.PASS_ROLE} on ${s.notResource ? "NotResource" : "every role"}`);
  return found;
}
function judge(what, args, report, owners) {
  const exemptions = (0, import_exemptions.readExemptions)(
    args.getConfig()?.exemptions,
    KIND,
    (m) => report(m),
    SETTING
  );
  const applied = owners.map((o) => exemptions.get(o));
  if (owners.length > 0 && applied.every((e) => e !== void 0)) {
    for (const e of new Set(applied)) (0, import_policy.reportAdvisory)(report, (0, import_exemptions.exemptNote)(e, what));
    return;
  }
  const missing = owners.filter((_o, i) => applied[i] === void 0);
  const who = missing.length > 0 ? missing.map((o) => JSON.stringify(o)).join(", ") : "its owner (unnamed here, so it cannot be exempt)";
  report(
    `${what}: the holder can rewrite its own or others' permissions. Remove it, or name ${who} in this policy's \`${SETTING}\` setting with a reason.`
  );
}
function checkDocument(document, where, owners, args, report) {
  const parsed = (0, import_iam.readStatements)(document, where, report);
  if (!parsed) return;
  for (const [i, s] of parsed.entries()) {
    if (s.effect !== "Allow") continue;
    const found = escalations(s);
    if (found.length > 0)
      judge(`${where} ${(0, import_iam.statementLabel)(s, i)} allows ${found.join(", ")}`, args, report, owners);
  }
}
const awsIamForbidPermissionEscalation = {
  name: NAME,
  description: "IAM identity policies must not allow actions that rewrite permissions, on any resource, even one exact ARN: writing or attaching identity policies (`iam:Put*Policy`, `iam:Attach*Policy`, `iam:CreatePolicy`, `iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`), trust policies (`iam:UpdateAssumeRolePolicy`), permission boundaries (put or delete), group membership (`iam:AddUserToGroup`), other users' credentials (`iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`), secret and key resource policies and grants (`secretsmanager:PutResourcePolicy`, `secretsmanager:DeleteResourcePolicy`, `kms:PutKeyPolicy`, `kms:CreateGrant`), nor `iam:PassRole` on every role (`*`, `role/*`) or NotResource; by name, by wildcard (`iam:*`, `kms:Put*`, `*`) or through NotAction. Read in customer-managed policies, inline policies of roles, users and groups (also `Role.inlinePolicies`), IAM Identity Center permission sets; AWS-managed policies known to allow them (AdministratorAccess, PowerUserAccess, IAMFullAccess, SecretsManagerReadWrite, AWSKeyManagementServicePowerUser) are refused wherever attached. Conditions and Deny statements are not read. Allowed only for the role, user, group, managed policy or permission set the `exemptions` setting names exactly with a reason (a deployer), reported as an advisory note.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "cis-aws-foundations:1.16"),
  remediationSteps: 'Give workloads and functions only the data actions they use (`secretsmanager:GetSecretValue` on their secret). Only the identity that deploys the stack may change policies: name it in this policy\'s `exemptions` setting: `{ "name": "<role, user, group, policy or permission set>", "reason": "<why>" }`.',
  configSchema: {
    properties: {
      [SETTING]: (0, import_exemptions.exemptionsSchema)(
        KIND,
        "Roles, users, groups, managed policies or permission sets (exact names as in the resource, no globs) allowed to rewrite permissions, each with its reason; every exemption applied is reported as an advisory note."
      )
    }
  },
  validateResource: [
    ...Object.entries(import_aws_iam_sources.IDENTITY_POLICY_DOCUMENTS).map(
      ([type, documents]) => (0, import_policy.validateResourceOfToken)(type, (props, args, report) => {
        const owners = ownersOf(type, props);
        for (const { field, document } of documents(props))
          checkDocument(document, field, owners, args, report);
      })
    ),
    ...Object.entries(import_aws_iam_sources.MANAGED_POLICY_ARNS).map(
      ([type, key]) => (0, import_policy.validateResourceOfToken)(type, (props, args, report) => {
        const value = props[key];
        for (const arn of Array.isArray(value) ? value : [value]) {
          const managed = typeof arn === "string" ? (0, import_aws_iam_sources.awsManagedPolicy)(arn) : void 0;
          if (!managed || !Object.hasOwn(import_aws_escalation.ESCALATING_AWS_MANAGED_POLICIES, managed.name)) continue;
          judge(
            `${key} attaches the AWS-managed policy ${managed.name}, which ${import_aws_escalation.ESCALATING_AWS_MANAGED_POLICIES[managed.name]}`,
            args,
            report,
            ownersOf(type, props)
          );
        }
      })
    )
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsIamForbidPermissionEscalation
});
