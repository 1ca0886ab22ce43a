import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { integerThreshold, resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { awsScheduleIntervalDays } from "../lib/durations";
import { PERIODIC_CREDENTIAL_CHANGE, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

const NAME = "aws-secretsmanager-limit-rotation-interval";
const thresholds = {
  maxRotationDays: integerThreshold(
    1,
    "Longest interval between two rotations of a secret, in days.",
    (t) => t.maxRotationDays,
  ),
} as const satisfies ThresholdSet;

export const awsSecretsmanagerLimitRotationInterval: PlatformResourcePolicy = {
  name: NAME,
  description:
    "Secrets Manager rotation schedules must rotate at least as often as the environment's maximum rotation period.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: PERIODIC_CREDENTIAL_CHANGE,
  tags: controls("soc2:CC6.1"),
  remediationSteps:
    "Set `rotationRules.scheduleExpression` to rotate at least every `maxRotationDays` (this policy's config), e.g. `rate(7 days)` in prod.",
  configSchema: thresholdSchema(thresholds),
  validateResource: validateResourceOfType(aws.secretsmanager.SecretRotation, (rotation, args, report) => {
    const { maxRotationDays, environment } = resolveThresholds(NAME, thresholds, args.getConfig(), args.urn);
    const rules = rotation.rotationRules;
    const expression = rules?.scheduleExpression;
    const days =
      expression !== undefined ? awsScheduleIntervalDays(expression) : rules?.automaticallyAfterDays;
    if (days === undefined) {
      report(
        expression !== undefined
          ? `rotationRules.scheduleExpression "${expression}" is not a rate() or cron() expression.`
          : "rotationRules sets neither scheduleExpression nor automaticallyAfterDays.",
      );
    } else if (days > maxRotationDays) {
      report(`rotation runs every ${days} days; ${environment} requires at most ${maxRotationDays}.`);
    }
  }),
};
