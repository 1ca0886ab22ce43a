import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy";
import { integerThreshold, resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { googleDurationSeconds } from "../lib/durations";
import { PERIODIC_CREDENTIAL_CHANGE, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

const NAME = "gcp-secretmanager-require-rotation";
const DAY = 86_400;
const thresholds = {
  required: {
    schema: {
      type: "boolean",
      description: "Whether secrets must publish rotation notifications to a Pub/Sub topic.",
    },
    byEnvironment: (t) => t.gcpRotation,
  },
  maxRotationDays: integerThreshold(
    1,
    "Longest rotation period of a secret, in days.",
    (t) => t.secretExpiryDays,
  ),
} as const satisfies ThresholdSet;

export const gcpSecretmanagerRequireRotation: PlatformResourcePolicy = {
  name: NAME,
  description:
    "In prod, Secret Manager secrets must have a rotation topic and a rotation period no longer than the environment's maximum.",
  enforcementLevel: "mandatory",
  severity: "medium",
  framework: PERIODIC_CREDENTIAL_CHANGE,
  tags: controls("soc2:CC6.1"),
  remediationSteps:
    'Set `topics: [{ name: <rotation topic> }]` and `rotation: { rotationPeriod: "<seconds>s", nextRotationTime }` with a period of at most this policy\'s `maxRotationDays`.',
  configSchema: thresholdSchema(thresholds),
  validateResource: validateResourceOfType(gcp.secretmanager.Secret, (secret, args, report) => {
    const { required, maxRotationDays, environment } = resolveThresholds(
      NAME,
      thresholds,
      args.getConfig(),
      args.urn,
    );
    if (!required) return;
    if (!secret.topics || secret.topics.length === 0)
      report("no Pub/Sub topic: rotation notifications go nowhere.");
    const period = secret.rotation?.rotationPeriod;
    const seconds = period === undefined ? undefined : googleDurationSeconds(period);
    if (period === undefined) report("rotation.rotationPeriod is not set.");
    else if (seconds === undefined)
      report(`rotation.rotationPeriod "${period}" is not a duration such as "604800s".`);
    else if (seconds > maxRotationDays * DAY) {
      report(`rotation period is ${seconds / DAY} days; ${environment} requires at most ${maxRotationDays}.`);
    }
  }),
};
