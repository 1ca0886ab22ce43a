import { exemptionsSchema, reportUnlessExempt, type ExemptionKind } from "../lib/exemptions";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { grantsOf, iamTokens } from "../lib/gcp-iam";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";

/**
 * Secret Manager roles (every `roles/secretmanager.*`, also those without
 * `secretmanager.versions.access`, which still read or manage every secret's metadata and IAM),
 * plus the basic roles that include secret access.
 */
const SECRET_ROLE = /^roles\/(secretmanager\.|owner$|editor$)/;

/**
 * A custom role (`projects/<p>/roles/<id>`, `organizations/<o>/roles/<id>`): its permissions
 * live in its own definition, not in the grant, so the grant alone cannot show it excludes
 * `secretmanager.versions.access`.
 */
const CUSTOM_ROLE = /^(projects|organizations)\/[^/]+\/roles\/[^/]+$/;

/** Grants on a project, a folder or the organisation: member, binding and whole-policy resources. */
const LEVELS = { projects: "project", folder: "folder", organizations: "organisation" } as const;
export const HIERARCHY_GRANT_TYPES: readonly string[] = Object.keys(LEVELS).flatMap((m) =>
  Object.values(iamTokens(m)),
);

const SETTING = "customRoles";
const KIND: ExemptionKind = {
  key: "role",
  exactName: "an exact custom role name (`projects/<p>/roles/<id>` or `organizations/<o>/roles/<id>`)",
  matches: "custom role grant",
};

export const gcpSecretmanagerForbidProjectLevelRoles: PlatformResourcePolicy = {
  name: "gcp-secretmanager-forbid-project-level-roles",
  description:
    "Secret Manager roles (and owner/editor, which include them) must not be granted on a project, a folder or the organisation, through a member, a binding or a whole IAM policy (`policyData`); grant them on each secret. " +
    "A custom role granted there is refused too, its permissions not being in the grant, unless the `customRoles` setting names it exactly with a reason (reported as an advisory note). " +
    "Out of scope: other predefined roles (their contents are Google's; the Secret Manager and basic roles are the ones Google documents with `secretmanager.versions.access`), and roles that let a principal change IAM policies (`resourcemanager.projectIamAdmin`, `iam.securityAdmin`: `gcp-iam-forbid-set-iam-policy-roles` refuses those).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "cis-gcp-foundations:1.6"),
  remediationSteps:
    'Replace the project IAM member/binding with `gcp.secretmanager.SecretIamMember` on each secret the service account reads, role `roles/secretmanager.secretAccessor`. A custom role without any secretmanager permission that must be granted on the project goes in this policy\'s `customRoles` setting: `{ "role": "projects/<p>/roles/<id>", "reason": "<its permissions, why>" }`.',
  configSchema: {
    properties: {
      [SETTING]: exemptionsSchema(
        KIND,
        "Custom roles (full role names, exact, no globs) that may be granted on a project, folder or organisation, each with its reason (say which permissions it holds); every exemption applied is reported as an advisory note.",
      ),
    },
  },
  validateResource: HIERARCHY_GRANT_TYPES.map((type) =>
    validateResourceOfToken(type, (props, args, report) => {
      const level = LEVELS[type.slice("gcp:".length).split("/")[0] as keyof typeof LEVELS];
      for (const { role } of grantsOf(type, props, report)) {
        if (SECRET_ROLE.test(role))
          report(`${role} is granted on the whole ${level}: every secret in it becomes readable.`);
        else if (CUSTOM_ROLE.test(role)) {
          reportUnlessExempt(
            report,
            { raw: args.getConfig<{ customRoles?: unknown }>()?.customRoles, kind: KIND, setting: SETTING },
            role,
            `custom role ${role} is granted on the whole ${level}`,
            `: its permissions are not in the grant, so the pack cannot verify it excludes secretmanager.versions.access. Grant it on each secret, or name it in this policy's \`${SETTING}\` setting with a reason.`,
          );
        }
      }
    }),
  ),
};
