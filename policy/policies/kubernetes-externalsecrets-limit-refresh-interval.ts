import { integerThreshold, resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { goDurationSeconds } from "../lib/durations";
import { PERIODIC_CREDENTIAL_CHANGE, controls } from "../lib/frameworks";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";
import { atPath } from "../lib/values";

const NAME = "kubernetes-externalsecrets-limit-refresh-interval";
/** ESO's refresh interval when `spec.refreshInterval` is unset. */
const ESO_DEFAULT_REFRESH = "1h";
const thresholds = {
  maxRefreshSeconds: integerThreshold(
    1,
    "Longest refresh interval of an ExternalSecret, in seconds.",
    (t) => t.maxRefreshSeconds,
  ),
} as const satisfies ThresholdSet;

export const kubernetesExternalsecretsLimitRefreshInterval: PlatformResourcePolicy = {
  name: NAME,
  description:
    "ExternalSecrets must refresh periodically (refreshInterval not zero, refreshPolicy Periodic) and at least as often as the environment's maximum.",
  enforcementLevel: "mandatory",
  severity: "medium",
  framework: PERIODIC_CREDENTIAL_CHANGE,
  tags: controls("soc2:CC6.1"),
  remediationSteps:
    "Set `spec.refreshInterval` from the credential's TTL or rotation (at most this policy's `maxRefreshSeconds`), and leave `spec.refreshPolicy` unset or `Periodic`.",
  configSchema: thresholdSchema(thresholds),
  validateResource: validateResourceOfToken(
    "kubernetes:external-secrets.io/v1:ExternalSecret",
    (props, args, report) => {
      const { maxRefreshSeconds, environment } = resolveThresholds(
        NAME,
        thresholds,
        args.getConfig(),
        args.urn,
      );
      const policy = atPath(props, "spec.refreshPolicy");
      if (policy !== undefined && policy !== "Periodic")
        report(`spec.refreshPolicy is ${String(policy)}: rotated values never reach the pod.`);
      const interval = atPath(props, "spec.refreshInterval") ?? ESO_DEFAULT_REFRESH;
      const seconds = typeof interval === "string" ? goDurationSeconds(interval) : undefined;
      if (seconds === undefined)
        report(`spec.refreshInterval ${JSON.stringify(interval)} is not a duration such as "1h".`);
      else if (seconds === 0)
        report("spec.refreshInterval is zero: the secret is fetched once and never refreshed.");
      else if (seconds > maxRefreshSeconds)
        report(`spec.refreshInterval is ${interval}; ${environment} allows at most ${maxRefreshSeconds}s.`);
    },
  ),
};
