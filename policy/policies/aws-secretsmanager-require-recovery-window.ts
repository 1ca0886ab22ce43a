import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { integerThreshold, resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { controls, soc2 } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

const NAME = "aws-secretsmanager-require-recovery-window";
/** Secrets Manager's recovery window when `recoveryWindowInDays` is unset. */
const AWS_DEFAULT_RECOVERY_DAYS = 30;
const thresholds = {
  minRecoveryWindowDays: integerThreshold(
    0,
    "Shortest recovery window a deleted secret may have, in days.",
    (t) => t.recoveryWindowDays,
  ),
} as const satisfies ThresholdSet;

export const awsSecretsmanagerRequireRecoveryWindow: PlatformResourcePolicy = {
  name: NAME,
  description:
    "Deleted Secrets Manager secrets must stay recoverable for at least the environment's recovery window (0 = immediate deletion is never allowed).",
  enforcementLevel: "mandatory",
  severity: "medium",
  framework: soc2("A1.2", "Recovery of data is provided for."),
  tags: controls("pci-dss:12.10.1"),
  remediationSteps:
    "Set `recoveryWindowInDays` to at least this policy's `minRecoveryWindowDays`, or leave it unset (30 days).",
  configSchema: thresholdSchema(thresholds),
  validateResource: validateResourceOfType(aws.secretsmanager.Secret, (secret, args, report) => {
    const { minRecoveryWindowDays, environment } = resolveThresholds(
      NAME,
      thresholds,
      args.getConfig(),
      args.urn,
    );
    const days = secret.recoveryWindowInDays ?? AWS_DEFAULT_RECOVERY_DAYS;
    if (days < minRecoveryWindowDays) {
      report(`recoveryWindowInDays is ${days}; ${environment} requires at least ${minRecoveryWindowDays}.`);
    }
  }),
};
