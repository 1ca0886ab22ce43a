import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import { hasWildcardPrincipal, isNarrowedByCondition, readStatements, statementLabel } from "../lib/iam";
import type { PlatformResourcePolicy } from "../lib/policy";

export const awsKmsForbidWildcardPrincipal: PlatformResourcePolicy = {
  name: "aws-kms-forbid-wildcard-principal",
  description:
    'KMS key policies must not allow Principal "*" unless a condition restricts the caller to this account or organisation.',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:3.6.1", "pci-dss:7.2.1"),
  remediationSteps:
    "Name principals explicitly (the account root for IAM delegation, operator and workload role ARNs), or add a kms:CallerAccount / aws:PrincipalAccount condition to the statement.",
  validateResource: validateResourceOfType(aws.kms.Key, (key, _args, report) => {
    if (key.policy === undefined) return; // KMS's default policy delegates to the account's IAM only.
    const parsed = readStatements(key.policy, "key policy", report);
    if (!parsed) return;
    for (const [i, s] of parsed.entries()) {
      if (s.effect === "Allow" && hasWildcardPrincipal(s) && !isNarrowedByCondition(s)) {
        report(`${statementLabel(s, i)} allows Principal "*" on the key with no caller condition.`);
      }
    }
  }),
};
