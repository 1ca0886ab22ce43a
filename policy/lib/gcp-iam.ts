/**
 * The three ways the gcp provider (9.37) writes an IAM grant on one resource: a member
 * (`role`, `member`), a binding (`role`, `members`, authoritative for that role) and a whole
 * policy (`policyData`, a JSON IAM policy with `bindings`, authoritative for the resource). The
 * rules read every grant out of any of them alike.
 */
import type { ReportViolation } from "@pulumi/policy";
import { isRecord, isRedacted } from "./values";

export interface IamGrant {
  readonly role: string;
  readonly members: readonly string[];
}

/** `<prefix>/iAMMember:IAMMember`, `…/iAMBinding:IAMBinding`, `…/iAMPolicy:IAMPolicy` tokens of a module. */
export const iamTokens = (module: string, prefix = "") => ({
  member: `gcp:${module}/${prefix ? `${prefix}IamMember:${cap(prefix)}IamMember` : "iAMMember:IAMMember"}`,
  binding: `gcp:${module}/${prefix ? `${prefix}IamBinding:${cap(prefix)}IamBinding` : "iAMBinding:IAMBinding"}`,
  policy: `gcp:${module}/${prefix ? `${prefix}IamPolicy:${cap(prefix)}IamPolicy` : "iAMPolicy:IAMPolicy"}`,
});
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The grants a member, binding or policy resource writes; a policy that cannot be read is reported. */
export function grantsOf(type: string, props: Record<string, unknown>, report: ReportViolation): IamGrant[] {
  if (/IamPolicy$|IAMPolicy$/.test(type)) {
    const data = props.policyData;
    if (data === undefined) return [];
    if (isRedacted(data)) {
      report("policyData is a secret this analysis cannot decrypt, so its bindings cannot be verified.");
      return [];
    }
    let parsed: unknown;
    try {
      parsed = typeof data === "string" ? JSON.parse(data) : data;
    } catch {
      report("policyData is not valid JSON: its bindings cannot be verified.");
      return [];
    }
    const bindings = isRecord(parsed) && Array.isArray(parsed.bindings) ? parsed.bindings : [];
    return bindings.flatMap((b) =>
      isRecord(b) && typeof b.role === "string"
        ? [{ role: b.role, members: Array.isArray(b.members) ? b.members.map(String) : [] }]
        : [],
    );
  }
  const role = props.role;
  if (typeof role !== "string") return [];
  const members = props.members ?? (props.member === undefined ? [] : [props.member]);
  return [{ role, members: Array.isArray(members) ? members.map(String) : [] }];
}

/** Grants on a secret, global or regional: member, binding and whole-policy resources. */
export const SECRET_GRANT_TYPES: readonly string[] = [
  ...Object.values(iamTokens("secretmanager", "secret")),
  ...Object.values(iamTokens("secretmanager", "regionalSecret")),
];

/**
 * Predefined roles that carry a `setIamPolicy` permission (or rewrite custom roles), with the
 * one that matters; source: Google's IAM roles and permissions index
 * (cloud.google.com/iam/docs/roles-permissions, each role's "Permissions" list). Whoever holds
 * one can grant itself, or anyone, any role on what it is granted on.
 */
export const SET_IAM_POLICY_ROLES: Readonly<Record<string, string>> = {
  "roles/owner": "every resource's setIamPolicy",
  "roles/secretmanager.admin": "secretmanager.secrets.setIamPolicy",
  "roles/resourcemanager.projectIamAdmin": "resourcemanager.projects.setIamPolicy",
  "roles/resourcemanager.folderAdmin": "resourcemanager.folders.setIamPolicy",
  "roles/resourcemanager.folderIamAdmin": "resourcemanager.folders.setIamPolicy",
  "roles/resourcemanager.organizationAdmin": "resourcemanager.organizations.setIamPolicy",
  "roles/iam.securityAdmin": "setIamPolicy on most resource types",
  "roles/iam.serviceAccountAdmin": "iam.serviceAccounts.setIamPolicy",
  "roles/cloudkms.admin": "cloudkms.cryptoKeys.setIamPolicy",
  "roles/iam.roleAdmin": "iam.roles.update (rewrites the custom roles others hold)",
  "roles/iam.organizationRoleAdmin": "iam.roles.update (rewrites the custom roles others hold)",
};

/** Permissions of a custom role that let its holder rewrite access: any `*.setIamPolicy`, and role updates. */
export const rewritesAccess = (permission: string) =>
  /\.setIamPolicy$/i.test(permission) || /^iam\.roles\.(create|update|undelete)$/i.test(permission);

/** Custom role definitions: their `permissions` are in the resource. */
export const CUSTOM_ROLE_TYPES: readonly string[] = [
  "gcp:projects/iAMCustomRole:IAMCustomRole",
  "gcp:organizations/iAMCustomRole:IAMCustomRole",
];

/** Grants on service accounts (whoever may act as one holds its access). */
export const SERVICE_ACCOUNT_GRANT_TYPES: readonly string[] = Object.values(iamTokens("serviceaccount"));
