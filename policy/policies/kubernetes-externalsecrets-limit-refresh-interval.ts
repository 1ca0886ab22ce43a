import { integerThreshold, resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { goDurationSeconds } from "../lib/durations";
import { PERIODIC_CREDENTIAL_CHANGE, controls } from "../lib/frameworks";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";
import { atPath } from "../lib/values";

const NAME = "kubernetes-externalsecrets-limit-refresh-interval";
/**
 * ExternalSecret in every API version ESO has served (v1; v1beta1 and v1alpha1 on older
 * installs), ClusterExternalSecret (which writes one per namespace), and their patches.
 */
const REFRESHING_TYPES = ["v1", "v1beta1", "v1alpha1"].flatMap((v) =>
  ["ExternalSecret", "ClusterExternalSecret"].flatMap((k) =>
    ["", "Patch"].map((p) => `kubernetes:external-secrets.io/${v}:${k}${p}`),
  ),
);
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
    "ExternalSecrets and ClusterExternalSecrets (every ESO API version, and patches that set these fields) must refresh periodically (refreshInterval not zero, refreshPolicy Periodic) and at least as often as the environment's maximum.",
  enforcementLevel: "mandatory",
  severity: "medium",
  framework: PERIODIC_CREDENTIAL_CHANGE,
  tags: controls("soc2:CC6.1"),
  remediationSteps:
    "Set `spec.refreshInterval` from the credential's TTL or rotation (at most this policy's `maxRefreshSeconds`), and leave `spec.refreshPolicy` unset or `Periodic`.",
  configSchema: thresholdSchema(thresholds),
  validateResource: REFRESHING_TYPES.map((type) =>
    validateResourceOfToken(type, (props, args, report) => {
      const patch = type.endsWith("Patch");
      // A ClusterExternalSecret stamps its externalSecretSpec into an ExternalSecret per namespace.
      const spec = type.includes(":ClusterExternalSecret")
        ? atPath(props, "spec.externalSecretSpec")
        : atPath(props, "spec");
      // A patch changes only what it sets.
      if (
        patch &&
        atPath(spec, "refreshInterval") === undefined &&
        atPath(spec, "refreshPolicy") === undefined
      )
        return;
      const { maxRefreshSeconds, environment } = resolveThresholds(
        NAME,
        thresholds,
        args.getConfig(),
        args.urn,
      );
      const policy = atPath(spec, "refreshPolicy");
      if (policy !== undefined && policy !== "Periodic")
        report(`spec.refreshPolicy is ${String(policy)}: rotated values never reach the pod.`);
      const interval = atPath(spec, "refreshInterval") ?? ESO_DEFAULT_REFRESH;
      const seconds = typeof interval === "string" ? goDurationSeconds(interval) : undefined;
      if (seconds === undefined)
        report(`spec.refreshInterval ${JSON.stringify(interval)} is not a duration such as "1h".`);
      else if (seconds === 0)
        report("spec.refreshInterval is zero: the secret is fetched once and never refreshed.");
      else if (seconds > maxRefreshSeconds)
        report(`spec.refreshInterval is ${interval}; ${environment} allows at most ${maxRefreshSeconds}s.`);
    }),
  ),
};
