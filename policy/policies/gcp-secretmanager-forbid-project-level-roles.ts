import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

/** Secret Manager roles, plus the basic roles that include secret access. */
const SECRET_ROLE = /^roles\/(secretmanager\.|owner$|editor$)/;

function check(role: string, report: (message: string) => void): void {
  if (SECRET_ROLE.test(role))
    report(`${role} is granted on the whole project: every secret in it becomes readable.`);
}

export const gcpSecretmanagerForbidProjectLevelRoles: PlatformResourcePolicy = {
  name: "gcp-secretmanager-forbid-project-level-roles",
  description:
    "Secret Manager roles (and owner/editor, which include them) must not be granted at project level; grant them on each secret.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "cis-gcp-foundations:1.6"),
  remediationSteps:
    "Replace the project IAM member/binding with `gcp.secretmanager.SecretIamMember` on each secret the service account reads, role `roles/secretmanager.secretAccessor`.",
  validateResource: [
    validateResourceOfType(gcp.projects.IAMMember, (member, _args, report) => check(member.role, report)),
    validateResourceOfType(gcp.projects.IAMBinding, (binding, _args, report) => check(binding.role, report)),
  ],
};
