import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy";
import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

const PUBLIC = ["allUsers", "allAuthenticatedUsers"];

function check(members: readonly string[], report: (message: string) => void): void {
  for (const member of members) {
    if (PUBLIC.includes(member))
      report(`${member} is granted access to the secret: anyone with a Google account can read it.`);
  }
}

export const gcpSecretmanagerForbidPublicMembers: PlatformResourcePolicy = {
  name: "gcp-secretmanager-forbid-public-members",
  description: "Secrets must never be granted to allUsers or allAuthenticatedUsers.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:7.2.1"),
  remediationSteps: "Grant the secret to the workload's service account (`serviceAccount:<email>`) only.",
  validateResource: [
    validateResourceOfType(gcp.secretmanager.SecretIamMember, (member, _args, report) =>
      check([member.member], report),
    ),
    validateResourceOfType(gcp.secretmanager.SecretIamBinding, (binding, _args, report) =>
      check(binding.members, report),
    ),
  ],
};
