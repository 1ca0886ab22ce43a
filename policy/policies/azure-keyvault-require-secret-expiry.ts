import * as azure from "@pulumi/azure-native";
import { validateResourceOfType } from "@pulumi/policy";
import { integerThreshold, resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { cis, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";
import { isRedacted, redactedMessage } from "../lib/values";

const NAME = "azure-keyvault-require-secret-expiry";
const DAY = 86_400;
/** Slack for the time between the program computing `expires` and the policy reading it. */
const CLOCK_SLACK_SECONDS = DAY;
const thresholds = {
  maxExpiryDays: integerThreshold(
    1,
    "Latest a secret may expire, in days from now.",
    (t) => t.secretExpiryDays,
  ),
} as const satisfies ThresholdSet;

export const azureKeyvaultRequireSecretExpiry: PlatformResourcePolicy = {
  name: NAME,
  description:
    "Key Vault secrets must have an expiry date no further away than the environment's maximum secret lifetime.",
  enforcementLevel: "mandatory",
  severity: "medium",
  framework: cis(
    "Microsoft Azure Foundations",
    "8.3",
    "Ensure that the Expiration Date is set for all Secrets in RBAC Key Vaults.",
  ),
  tags: controls("pci-dss:8.6.3", "soc2:CC6.1"),
  remediationSteps:
    "Set `properties.attributes.expires` (Unix seconds) to at most now + this policy's `maxExpiryDays`, and rotate before it passes.",
  configSchema: thresholdSchema(thresholds),
  validateResource: validateResourceOfType(azure.keyvault.Secret, (secret, args, report) => {
    const { maxExpiryDays, environment } = resolveThresholds(NAME, thresholds, args.getConfig(), args.urn);
    // In an exported state only `properties.value` is secret; a program (or export) that made
    // the whole `properties` secret hides the expiry: refuse to guess (REDACTED).
    if (isRedacted(secret.properties)) {
      report(redactedMessage("properties", "properties.attributes.expires"));
      return;
    }
    const expires = secret.properties.attributes?.expires;
    if (expires === undefined) {
      report("properties.attributes.expires is not set: the secret never expires.");
      return;
    }
    const latest = Date.now() / 1000 + maxExpiryDays * DAY + CLOCK_SLACK_SECONDS;
    if (expires > latest) {
      report(
        `secret expires in ${Math.round((expires - Date.now() / 1000) / DAY)} days; ${environment} allows at most ${maxExpiryDays}.`,
      );
    }
  }),
};
