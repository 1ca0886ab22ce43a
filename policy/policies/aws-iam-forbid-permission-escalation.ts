import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { globMatch } from "../lib/access/graph";
import { ESCALATING_AWS_MANAGED_POLICIES, ESCALATION_ACTIONS, PASS_ROLE } from "../lib/aws-escalation";
import { IDENTITY_POLICY_DOCUMENTS, MANAGED_POLICY_ARNS, awsManagedPolicy } from "../lib/aws-iam-sources";
import { exemptNote, exemptionsSchema, readExemptions, type ExemptionKind } from "../lib/exemptions";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { readStatements, statementLabel, type Statement } from "../lib/iam";
import { reportAdvisory, validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";

const NAME = "aws-iam-forbid-permission-escalation";
const SETTING = "exemptions";
const KIND: ExemptionKind = {
  key: "name",
  exactName:
    "the exact name of the role, user, group, managed policy or permission set the grant is written for, as in the resource",
  matches: "permission-rewriting grant",
};

/**
 * The fields naming whom a resource's document or attachment is for, by type: the role, user
 * or group of an inline policy or attachment, the managed policy's own name, the permission set.
 */
const OWNER_FIELDS: Readonly<Record<string, readonly string[]>> = {
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
  "aws:quicksight/iamPolicyAssignment:IamPolicyAssignment": ["assignmentName"],
};

/** The names a resource's grant is for (an unnamed one has none, and cannot be exempt). */
function ownersOf(type: string, props: Record<string, unknown>): string[] {
  return (OWNER_FIELDS[type] ?? []).flatMap((f) => {
    const v = props[f];
    return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string" && x !== "");
  });
}

/** A Resource naming every role (or everything): `*`, or an ARN whose resource part is only wildcards after `role/`. */
const everyRole = (resource: string) =>
  resource === "*" || /^arn:[^:]*:iam::[^:]*:role\/[*?]*\*[*?]*$/.test(resource);

/** The escalation actions an Allow statement grants (by name, wildcard or NotAction). */
function escalations(s: Statement): string[] {
  const grants = (action: string) => {
    const listed = s.actions.some((a) => globMatch(a, action, true));
    return s.notAction ? !listed : listed;
  };
  const found = Object.keys(ESCALATION_ACTIONS).filter(grants);
  if (grants(PASS_ROLE) && (s.notResource || s.resources.some(everyRole)))
    found.push(`${PASS_ROLE} on ${s.notResource ? "NotResource" : "every role"}`);
  return found;
}

/** Refused unless every owner of the grant is exempt by exact name (then an advisory note). */
function judge(
  what: string,
  args: ResourceValidationArgs,
  report: ReportViolation,
  owners: readonly string[],
) {
  const exemptions = readExemptions(
    args.getConfig<{ exemptions?: unknown }>()?.exemptions,
    KIND,
    (m) => report(m),
    SETTING,
  );
  const applied = owners.map((o) => exemptions.get(o));
  if (owners.length > 0 && applied.every((e) => e !== undefined)) {
    for (const e of new Set(applied)) reportAdvisory(report, exemptNote(e!, what));
    return;
  }
  const missing = owners.filter((_o, i) => applied[i] === undefined);
  const who =
    missing.length > 0
      ? missing.map((o) => JSON.stringify(o)).join(", ")
      : "its owner (unnamed here, so it cannot be exempt)";
  report(
    `${what}: the holder can rewrite its own or others' permissions. Remove it, or name ${who} in this policy's \`${SETTING}\` setting with a reason.`,
  );
}

function checkDocument(
  document: unknown,
  where: string,
  owners: string[],
  args: ResourceValidationArgs,
  report: ReportViolation,
) {
  const parsed = readStatements(document, where, report);
  if (!parsed) return;
  for (const [i, s] of parsed.entries()) {
    if (s.effect !== "Allow") continue;
    const found = escalations(s);
    if (found.length > 0)
      judge(`${where} ${statementLabel(s, i)} allows ${found.join(", ")}`, args, report, owners);
  }
}

export const awsIamForbidPermissionEscalation: PlatformResourcePolicy = {
  name: NAME,
  description:
    "IAM identity policies must not allow actions that rewrite permissions, on any resource, even one exact ARN: writing or attaching identity policies (`iam:Put*Policy`, `iam:Attach*Policy`, `iam:CreatePolicy`, `iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`), trust policies (`iam:UpdateAssumeRolePolicy`), permission boundaries (put or delete), group membership (`iam:AddUserToGroup`), other users' credentials (`iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`), secret and key resource policies and grants (`secretsmanager:PutResourcePolicy`, `secretsmanager:DeleteResourcePolicy`, `kms:PutKeyPolicy`, `kms:CreateGrant`), nor `iam:PassRole` on every role (`*`, `role/*`) or NotResource; by name, by wildcard (`iam:*`, `kms:Put*`, `*`) or through NotAction. " +
    "Read in customer-managed policies, inline policies of roles, users and groups (also `Role.inlinePolicies`), IAM Identity Center permission sets; AWS-managed policies known to allow them (AdministratorAccess, PowerUserAccess, IAMFullAccess, SecretsManagerReadWrite, AWSKeyManagementServicePowerUser) are refused wherever attached. Conditions and Deny statements are not read. " +
    "Allowed only for the role, user, group, managed policy or permission set the `exemptions` setting names exactly with a reason (a deployer), reported as an advisory note.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "cis-aws-foundations:1.16"),
  remediationSteps:
    'Give workloads and functions only the data actions they use (`secretsmanager:GetSecretValue` on their secret). Only the identity that deploys the stack may change policies: name it in this policy\'s `exemptions` setting: `{ "name": "<role, user, group, policy or permission set>", "reason": "<why>" }`.',
  configSchema: {
    properties: {
      [SETTING]: exemptionsSchema(
        KIND,
        "Roles, users, groups, managed policies or permission sets (exact names as in the resource, no globs) allowed to rewrite permissions, each with its reason; every exemption applied is reported as an advisory note.",
      ),
    },
  },
  validateResource: [
    ...Object.entries(IDENTITY_POLICY_DOCUMENTS).map(([type, documents]) =>
      validateResourceOfToken(type, (props, args, report) => {
        const owners = ownersOf(type, props);
        for (const { field, document } of documents(props))
          checkDocument(document, field, owners, args, report);
      }),
    ),
    ...Object.entries(MANAGED_POLICY_ARNS).map(([type, key]) =>
      validateResourceOfToken(type, (props, args, report) => {
        const value = props[key];
        for (const arn of Array.isArray(value) ? value : [value]) {
          const managed = typeof arn === "string" ? awsManagedPolicy(arn) : undefined;
          if (!managed || !Object.hasOwn(ESCALATING_AWS_MANAGED_POLICIES, managed.name)) continue;
          judge(
            `${key} attaches the AWS-managed policy ${managed.name}, which ${ESCALATING_AWS_MANAGED_POLICIES[managed.name]}`,
            args,
            report,
            ownersOf(type, props),
          );
        }
      }),
    ),
  ],
};
