import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ReportViolation } from "@pulumi/policy";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { readStatements, statementLabel } from "../lib/iam";
import type { PlatformResourcePolicy } from "../lib/policy";

const NAME = "aws-iam-forbid-wildcard-secret-actions";
const SECRET_SERVICES = ["secretsmanager", "kms", "ssm"];
/** Actions that return secret material; with `Resource: "*"` they read every secret in the account. */
const SECRET_READS =
  /^(secretsmanager:(GetSecretValue|BatchGetSecretValue)|kms:Decrypt|ssm:GetParameters?|ssm:GetParametersByPath)$/i;

function check(document: unknown, report: ReportViolation): void {
  const parsed = readStatements(document, "policy document", report);
  if (!parsed) return;
  for (const [i, s] of parsed.entries()) {
    if (s.effect !== "Allow") continue;
    const where = statementLabel(s, i);
    if (s.notAction) {
      report(
        `${where} allows NotAction [${s.actions.join(", ")}]: that grants every other action, secret services included.`,
      );
      continue;
    }
    const wildcards = s.actions.filter(
      (a) => a === "*" || (a.includes("*") && SECRET_SERVICES.includes(a.split(":")[0].toLowerCase())),
    );
    if (wildcards.length > 0) {
      report(
        `${where} allows wildcard action(s) ${wildcards.join(", ")} on a secret service; list the exact actions.`,
      );
    }
    const reads = s.actions.filter((a) => SECRET_READS.test(a));
    if (reads.length > 0 && s.resources.includes("*")) {
      report(`${where} allows ${reads.join(", ")} on Resource "*": name the secret, parameter or key ARNs.`);
    }
  }
}

export const awsIamForbidWildcardSecretActions: PlatformResourcePolicy = {
  name: NAME,
  description:
    'IAM policies must not grant wildcard or service-wide Secrets Manager, KMS or SSM actions, nor secret reads on Resource "*".',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "cis-aws-foundations:1.16"),
  remediationSteps:
    "Replace `secretsmanager:*`, `kms:*`, `ssm:*` (and `*`) with the exact actions the role needs, e.g. `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`, and scope `Resource` to the secret ARNs; decrypt keys only `kms:ViaService` Secrets Manager.",
  validateResource: [
    validateResourceOfType(aws.iam.Policy, (policy, _args, report) => check(policy.policy, report)),
    validateResourceOfType(aws.iam.RolePolicy, (policy, _args, report) => check(policy.policy, report)),
  ],
};
