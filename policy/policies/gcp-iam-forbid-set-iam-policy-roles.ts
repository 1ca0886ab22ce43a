import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { exemptNote, exemptionsSchema, readExemptions, type ExemptionKind } from "../lib/exemptions";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import {
  CUSTOM_ROLE_TYPES,
  SECRET_GRANT_TYPES,
  SERVICE_ACCOUNT_GRANT_TYPES,
  SET_IAM_POLICY_ROLES,
  grantsOf,
  rewritesAccess,
} from "../lib/gcp-iam";
import { reportAdvisory, validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";
import { isRedacted } from "../lib/values";
import { HIERARCHY_GRANT_TYPES } from "./gcp-secretmanager-forbid-project-level-roles";

const MEMBERS: ExemptionKind = {
  key: "member",
  exactName: "an exact member (`serviceAccount:deployer@p.iam.gserviceaccount.com`, `group:…`)",
  matches: "grant of a role that rewrites IAM",
};
const ROLES: ExemptionKind = {
  key: "role",
  exactName: "an exact custom role id or name as in the resource",
  matches: "custom role that rewrites IAM",
};

interface Config {
  readonly members?: unknown;
  readonly customRoles?: unknown;
}

/** Where a grant resource grants: `the project`, `secret x`, … for messages. */
function levelOf(type: string): string {
  const module = type.slice("gcp:".length).split("/")[0];
  if (module === "secretmanager") return "a secret";
  if (module === "serviceaccount") return "a service account";
  return { projects: "a project", folder: "a folder", organizations: "the organisation" }[module] ?? module;
}

function checkGrants(
  type: string,
  props: Record<string, unknown>,
  args: ResourceValidationArgs,
  report: ReportViolation,
) {
  const exempt = readExemptions(args.getConfig<Config>().members, MEMBERS, (m) => report(m), "members");
  for (const { role, members } of grantsOf(type, props, report)) {
    if (!Object.hasOwn(SET_IAM_POLICY_ROLES, role)) continue;
    for (const member of members) {
      const what = `${role} (${SET_IAM_POLICY_ROLES[role]}) is granted on ${levelOf(type)} to ${member}, who can then grant itself or anyone any role there`;
      const exemption = exempt.get(member);
      if (exemption) reportAdvisory(report, exemptNote(exemption, what));
      else report(`${what}; only members in this policy's \`members\` setting may hold it.`);
    }
  }
}

export const gcpIamForbidSetIamPolicyRoles: PlatformResourcePolicy = {
  name: "gcp-iam-forbid-set-iam-policy-roles",
  description:
    "No member may be granted a role that carries a `setIamPolicy` permission (or rewrites custom roles) at any level down to one secret: Owner, Secret Manager Admin, Project/Folder IAM Admin, Folder Admin, Organization Admin, Security Admin, Service Account Admin, Cloud KMS Admin, Role Administrator, Organization Role Administrator, through a member, a binding or a whole IAM policy of the organisation, a folder, a project, a secret (global or regional) or a service account; and no custom role defined in the stack may hold a `*.setIamPolicy` permission or `iam.roles.create/update/undelete`. " +
    "Exemptions: members by exact member string (`members`), custom roles by exact id (`customRoles`), each with a reason, reported as advisory notes.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "cis-gcp-foundations:1.5"),
  remediationSteps:
    'Grant workloads `roles/secretmanager.secretAccessor` on their secrets and nothing that administers IAM; keep IAM administration with the deploying identity, named in this policy\'s `members` setting: `{ "member": "serviceAccount:<deployer>", "reason": "<why>" }`.',
  configSchema: {
    properties: {
      members: exemptionsSchema(
        MEMBERS,
        "Members (exact, no globs) allowed roles that rewrite IAM, each with its reason; every exemption applied is reported as an advisory note.",
      ),
      customRoles: exemptionsSchema(
        ROLES,
        "Custom roles (the `roleId` as in the resource, exact) allowed to hold setIamPolicy or role-update permissions, each with its reason; every exemption applied is reported as an advisory note.",
      ),
    },
  },
  validateResource: [
    ...[...HIERARCHY_GRANT_TYPES, ...SECRET_GRANT_TYPES, ...SERVICE_ACCOUNT_GRANT_TYPES].map((type) =>
      validateResourceOfToken(type, (props, args, report) => checkGrants(type, props, args, report)),
    ),
    ...CUSTOM_ROLE_TYPES.map((type) =>
      validateResourceOfToken(type, (props, args, report) => {
        const permissions = Array.isArray(props.permissions) ? props.permissions.map(String) : [];
        const found = permissions.filter(rewritesAccess);
        if (found.length === 0) return;
        const id = props.roleId;
        const what = `custom role ${JSON.stringify(id ?? "(no roleId)")} holds ${found.join(", ")}`;
        if (typeof id !== "string" || isRedacted(id))
          return report(`${what}; a role without a readable id cannot be exempt.`);
        const exemption = readExemptions(
          args.getConfig<Config>().customRoles,
          ROLES,
          (m) => report(m),
          "customRoles",
        ).get(id);
        if (exemption) reportAdvisory(report, exemptNote(exemption, what));
        else
          report(
            `${what}: whoever holds it can rewrite access; only roles in this policy's \`customRoles\` setting may.`,
          );
      }),
    ),
  ],
};
