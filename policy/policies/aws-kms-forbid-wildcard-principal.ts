import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import { hasWildcardPrincipal, isNarrowedByCondition, readStatements, statementLabel } from "../lib/iam";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";

/** Every resource of the aws provider that writes a key policy (test/policy/sdk-resource-types.test.ts). */
export const KEY_POLICY_TYPES = [
  "aws:kms/key:Key",
  "aws:kms/keyPolicy:KeyPolicy",
  "aws:kms/externalKey:ExternalKey",
  "aws:kms/replicaKey:ReplicaKey",
  "aws:kms/replicaExternalKey:ReplicaExternalKey",
] as const;

export const awsKmsForbidWildcardPrincipal: PlatformResourcePolicy = {
  name: "aws-kms-forbid-wildcard-principal",
  description:
    'KMS key policies must not allow Principal "*" unless a condition restricts the caller to this account or organisation: the policy of a key, an external key, a replica key, or a separate KeyPolicy resource.',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:3.6.1", "pci-dss:7.2.1"),
  remediationSteps:
    "Name principals explicitly (the account root for IAM delegation, operator and workload role ARNs), or add a kms:CallerAccount / aws:PrincipalAccount condition to the statement.",
  validateResource: KEY_POLICY_TYPES.map((type) =>
    validateResourceOfToken(type, (props, _args, report) => {
      if (props.policy === undefined) return; // KMS's default policy delegates to the account's IAM only.
      const parsed = readStatements(props.policy, "key policy", report);
      if (!parsed) return;
      for (const [i, s] of parsed.entries()) {
        if (s.effect === "Allow" && hasWildcardPrincipal(s) && !isNarrowedByCondition(s)) {
          report(`${statementLabel(s, i)} allows Principal "*" on the key with no caller condition.`);
        }
      }
    }),
  ),
};
