/**
 * AWS actions that let the identity holding them widen its own access, or anyone's: they
 * rewrite identity policies, trust policies, permission boundaries, or the resource policies
 * and grants of the secret services. Source: the Service Authorization Reference
 * (docs.aws.amazon.com/service-authorization/latest/reference/list_<service>.html), the
 * actions of IAM, Secrets Manager and KMS whose access level is "Permissions management" and
 * that add or replace a grant (not those that only remove one, such as `iam:DetachRolePolicy`
 * or `kms:RevokeGrant`, nor the read-only `ValidateResourcePolicy`), plus the IAM "Write"
 * actions that hand over an identity's permissions: `iam:AddUserToGroup` (the group's
 * policies), `iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile` (another
 * user's credentials) and `iam:PassRole` (a role's, to a service the caller controls; refused
 * only on broad resources).
 */

/** Action → what it lets the holder do, for messages. Names as in the reference (IAM compares them without case). */
export const ESCALATION_ACTIONS: Readonly<Record<string, string>> = {
  "iam:PutRolePolicy": "writes a role's inline policy",
  "iam:PutUserPolicy": "writes a user's inline policy",
  "iam:PutGroupPolicy": "writes a group's inline policy",
  "iam:AttachRolePolicy": "attaches any managed policy to a role",
  "iam:AttachUserPolicy": "attaches any managed policy to a user",
  "iam:AttachGroupPolicy": "attaches any managed policy to a group",
  "iam:CreatePolicy": "creates managed policies",
  "iam:CreatePolicyVersion": "rewrites a managed policy",
  "iam:SetDefaultPolicyVersion": "switches a managed policy to another version",
  "iam:UpdateAssumeRolePolicy": "rewrites who may assume a role",
  "iam:PutRolePermissionsBoundary": "replaces a role's permissions boundary",
  "iam:PutUserPermissionsBoundary": "replaces a user's permissions boundary",
  "iam:DeleteRolePermissionsBoundary": "removes a role's permissions boundary",
  "iam:DeleteUserPermissionsBoundary": "removes a user's permissions boundary",
  "iam:AddUserToGroup": "adds a user to a group, with the group's policies",
  "iam:CreateAccessKey": "creates another user's access keys, and acts as that user",
  "iam:CreateLoginProfile": "sets another user's console password, and acts as that user",
  "iam:UpdateLoginProfile": "resets another user's console password, and acts as that user",
  "secretsmanager:PutResourcePolicy": "rewrites who may read a secret",
  "secretsmanager:DeleteResourcePolicy": "removes a secret's resource policy (and its denies)",
  "kms:PutKeyPolicy": "rewrites who may use a key",
  "kms:CreateGrant": "grants any principal the use of a key",
};

/** Refused only on broad resources: it hands a role to a service, not a policy to the caller. */
export const PASS_ROLE = "iam:PassRole";

/**
 * AWS-managed policies known to allow some of the actions above (documents at
 * docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html), by name, any path.
 */
export const ESCALATING_AWS_MANAGED_POLICIES: Readonly<Record<string, string>> = {
  AdministratorAccess: 'allows "*"',
  PowerUserAccess:
    "allows every action but iam:*, organizations:* and account:* (kms:PutKeyPolicy, kms:CreateGrant, secretsmanager:PutResourcePolicy included)",
  IAMFullAccess: "allows iam:*",
  SecretsManagerReadWrite: "allows secretsmanager:* (PutResourcePolicy, DeleteResourcePolicy included)",
  AWSKeyManagementServicePowerUser: "allows kms:Create*, kms:Put* (CreateGrant, PutKeyPolicy)",
};
