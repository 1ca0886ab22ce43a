import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { cis, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

const NAME = "aws-kms-require-key-rotation";
/** KMS's rotation period when `rotationPeriodInDays` is unset. */
const KMS_DEFAULT_ROTATION_DAYS = 365;
const thresholds = {
  maxKeyRotationDays: {
    schema: {
      type: "integer",
      minimum: 90,
      description:
        "Longest automatic rotation period of a customer-managed key, in days (KMS accepts 90-2560).",
    },
    byEnvironment: (t) => t.keyRotationDays,
  },
} as const satisfies ThresholdSet;

export const awsKmsRequireKeyRotation: PlatformResourcePolicy = {
  name: NAME,
  description:
    "Customer-managed KMS keys must rotate automatically, at least as often as the environment's key rotation period.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: cis("AWS Foundations", "3.6", "Ensure rotation for customer-created symmetric CMKs is enabled."),
  tags: controls("pci-dss:3.7.4", "soc2:CC6.1"),
  remediationSteps:
    "Set `enableKeyRotation: true` and `rotationPeriodInDays` to at most this policy's `maxKeyRotationDays`.",
  configSchema: thresholdSchema(thresholds),
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, report) => {
    const { maxKeyRotationDays, environment } = resolveThresholds(
      NAME,
      thresholds,
      args.getConfig(),
      args.urn,
    );
    if (key.enableKeyRotation !== true) {
      report("enableKeyRotation is not true: the key material never rotates.");
      return;
    }
    const days = key.rotationPeriodInDays ?? KMS_DEFAULT_ROTATION_DAYS;
    if (days > maxKeyRotationDays)
      report(`key rotates every ${days} days; ${environment} requires at most ${maxKeyRotationDays}.`);
  }),
};
