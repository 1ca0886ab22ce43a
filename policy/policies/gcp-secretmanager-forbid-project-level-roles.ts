import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { grantsOf, iamTokens } from "../lib/gcp-iam";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";

/** Secret Manager roles, plus the basic roles that include secret access. */
const SECRET_ROLE = /^roles\/(secretmanager\.|owner$|editor$)/;

/** Grants on a project, a folder or the organisation: member, binding and whole-policy resources. */
const LEVELS = { projects: "project", folder: "folder", organizations: "organisation" } as const;
export const HIERARCHY_GRANT_TYPES: readonly string[] = Object.keys(LEVELS).flatMap((m) =>
  Object.values(iamTokens(m)),
);

export const gcpSecretmanagerForbidProjectLevelRoles: PlatformResourcePolicy = {
  name: "gcp-secretmanager-forbid-project-level-roles",
  description:
    "Secret Manager roles (and owner/editor, which include them) must not be granted on a project, a folder or the organisation, through a member, a binding or a whole IAM policy (`policyData`); grant them on each secret.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "cis-gcp-foundations:1.6"),
  remediationSteps:
    "Replace the project IAM member/binding with `gcp.secretmanager.SecretIamMember` on each secret the service account reads, role `roles/secretmanager.secretAccessor`.",
  validateResource: HIERARCHY_GRANT_TYPES.map((type) =>
    validateResourceOfToken(type, (props, _args, report) => {
      const level = LEVELS[type.slice("gcp:".length).split("/")[0] as keyof typeof LEVELS];
      for (const { role } of grantsOf(type, props, report))
        if (SECRET_ROLE.test(role))
          report(`${role} is granted on the whole ${level}: every secret in it becomes readable.`);
    }),
  ),
};
