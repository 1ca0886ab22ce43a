import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import { SECRET_GRANT_TYPES, grantsOf } from "../lib/gcp-iam";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";

const PUBLIC = ["allUsers", "allAuthenticatedUsers"];

function check(members: readonly string[], report: (message: string) => void): void {
  for (const member of members) {
    if (PUBLIC.includes(member))
      report(`${member} is granted access to the secret: anyone with a Google account can read it.`);
  }
}

export const gcpSecretmanagerForbidPublicMembers: PlatformResourcePolicy = {
  name: "gcp-secretmanager-forbid-public-members",
  description:
    "Secrets (global or regional) must never be granted to allUsers or allAuthenticatedUsers, through a member, a binding or a whole IAM policy (`policyData`).",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:7.2.1"),
  remediationSteps: "Grant the secret to the workload's service account (`serviceAccount:<email>`) only.",
  validateResource: SECRET_GRANT_TYPES.map((type) =>
    validateResourceOfToken(type, (props, _args, report) => {
      for (const { members } of grantsOf(type, props, report)) check(members, report);
    }),
  ),
};
