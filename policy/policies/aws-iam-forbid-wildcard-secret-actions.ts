import type { ReportViolation } from "@pulumi/policy";
import {
  BROAD_AWS_MANAGED_POLICIES,
  IDENTITY_POLICY_DOCUMENTS,
  MANAGED_POLICY_ARNS,
  awsManagedPolicyName,
} from "../lib/aws-iam-sources";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { readStatements, statementLabel } from "../lib/iam";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";

const NAME = "aws-iam-forbid-wildcard-secret-actions";
const SECRET_SERVICES = ["secretsmanager", "kms", "ssm"];
/** Actions that return secret material; with `Resource: "*"` they read every secret in the account. */
const SECRET_READS =
  /^(secretsmanager:(GetSecretValue|BatchGetSecretValue)|kms:Decrypt|ssm:GetParameters?|ssm:GetParametersByPath)$/i;

function check(document: unknown, report: ReportViolation, where = "policy document"): void {
  const parsed = readStatements(document, where, report);
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
    'IAM identity policies must not grant wildcard or service-wide Secrets Manager, KMS or SSM actions, nor secret reads on Resource "*": customer-managed policies, inline policies of roles, users and groups (also `Role.inlinePolicies`), IAM Identity Center permission sets, and AWS-managed policies that grant the same (AdministratorAccess, PowerUserAccess, SecretsManagerReadWrite, AmazonSSMFullAccess, AmazonSSMReadOnlyAccess) attached by any attachment resource or `managedPolicyArns`.',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "cis-aws-foundations:1.16"),
  remediationSteps:
    "Replace `secretsmanager:*`, `kms:*`, `ssm:*` (and `*`) with the exact actions the role needs, e.g. `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`, and scope `Resource` to the secret ARNs; decrypt keys only `kms:ViaService` Secrets Manager.",
  validateResource: [
    ...Object.entries(IDENTITY_POLICY_DOCUMENTS).map(([type, documents]) =>
      validateResourceOfToken(type, (props, _args, report) => {
        for (const { field, document } of documents(props)) {
          if (field === "policy") check(document, report);
          else check(document, (m, urn) => report(`${field}: ${m}`, urn), field);
        }
      }),
    ),
    ...Object.entries(MANAGED_POLICY_ARNS).map(([type, key]) =>
      validateResourceOfToken(type, (props, _args, report) => {
        const value = props[key];
        for (const arn of Array.isArray(value) ? value : [value]) {
          const name = typeof arn === "string" ? awsManagedPolicyName(arn) : undefined;
          const grant = name === undefined ? undefined : BROAD_AWS_MANAGED_POLICIES[name];
          if (grant) report(`${key} attaches the AWS-managed policy ${name}, which ${grant}.`);
        }
      }),
    ),
  ],
};
