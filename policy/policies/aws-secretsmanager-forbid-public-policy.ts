import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ReportViolation } from "@pulumi/policy";
import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import { hasWildcardPrincipal, isNarrowedByCondition, readStatements, statementLabel } from "../lib/iam";
import type { PlatformResourcePolicy } from "../lib/policy";

function checkStatements(document: unknown, where: string, report: ReportViolation): void {
  const parsed = readStatements(document, where, report);
  if (!parsed) return;
  for (const [i, s] of parsed.entries()) {
    if (s.effect === "Allow" && hasWildcardPrincipal(s) && !isNarrowedByCondition(s)) {
      report(`${statementLabel(s, i)} allows Principal "*" with no condition naming the caller.`);
    }
  }
}

export const awsSecretsmanagerForbidPublicPolicy: PlatformResourcePolicy = {
  name: "aws-secretsmanager-forbid-public-policy",
  description:
    "Secret resource policies (a SecretPolicy, or the `policy` written on the Secret itself) must not allow a wildcard principal without a condition naming the caller, and a SecretPolicy must keep block-public-policy on.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:7.2.1", "pci-dss:1.4.4"),
  remediationSteps:
    "Allow only the workload role ARNs (Principal.AWS) and add a Deny for every other principal (aws:PrincipalArn not in the list); set `blockPublicPolicy: true`.",
  validateResource: [
    validateResourceOfType(aws.secretsmanager.SecretPolicy, (policy, _args, report) => {
      if (policy.blockPublicPolicy !== true)
        report("blockPublicPolicy is not true: AWS will accept a policy that makes the secret public.");
      checkStatements(policy.policy, "policy", report);
    }),
    // The same resource policy written inline on the secret.
    validateResourceOfType(aws.secretsmanager.Secret, (secret, _args, report) => {
      if (secret.policy !== undefined) checkStatements(secret.policy, "policy", report);
    }),
  ],
};
