import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { KEY_PROTECTION, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

export const awsSecretsmanagerRequireCmk: PlatformResourcePolicy = {
  name: "aws-secretsmanager-require-cmk",
  description:
    "Secrets Manager secrets must be encrypted with a customer-managed KMS key, not the AWS-managed aws/secretsmanager key.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: KEY_PROTECTION,
  tags: controls("soc2:CC6.1", "soc2:CC6.7"),
  remediationSteps:
    "Set `kmsKeyId` to the environment's customer-managed key (its ARN), so key policy and rotation are under your control and access can be restricted to Secrets Manager.",
  validateResource: validateResourceOfType(aws.secretsmanager.Secret, (secret, _args, report) => {
    const key = secret.kmsKeyId;
    if (!key)
      report("kmsKeyId is not set: the secret is encrypted with the AWS-managed key aws/secretsmanager.");
    else if (/alias\/aws\/secretsmanager$/.test(key))
      report(`kmsKeyId ${key} is the AWS-managed key; use a customer-managed key.`);
  }),
};
