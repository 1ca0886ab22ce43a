import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import { hasWildcardPrincipal, isNarrowedByCondition, readStatements, statementLabel } from "../lib/iam";
import type { PlatformResourcePolicy } from "../lib/policy";

export const awsSecretsmanagerForbidPublicPolicy: PlatformResourcePolicy = {
  name: "aws-secretsmanager-forbid-public-policy",
  description:
    "Secret resource policies must not allow a wildcard principal without a condition naming the caller, and must keep block-public-policy on.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:7.2.1", "pci-dss:1.4.4"),
  remediationSteps:
    "Allow only the workload role ARNs (Principal.AWS) and add a Deny for every other principal (aws:PrincipalArn not in the list); set `blockPublicPolicy: true`.",
  validateResource: validateResourceOfType(aws.secretsmanager.SecretPolicy, (policy, _args, report) => {
    if (policy.blockPublicPolicy !== true)
      report("blockPublicPolicy is not true: AWS will accept a policy that makes the secret public.");
    const parsed = readStatements(policy.policy, "policy", report);
    if (!parsed) return;
    for (const [i, s] of parsed.entries()) {
      if (s.effect === "Allow" && hasWildcardPrincipal(s) && !isNarrowedByCondition(s)) {
        report(`${statementLabel(s, i)} allows Principal "*" with no condition naming the caller.`);
      }
    }
  }),
};
