import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy";
import { resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { KEY_PROTECTION, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

const NAME = "gcp-secretmanager-require-cmek";
const thresholds = {
  required: {
    schema: {
      type: "boolean",
      description: "Whether secrets must be encrypted with a customer-managed key.",
    },
    byEnvironment: (t) => t.customerManagedKeys,
  },
} as const satisfies ThresholdSet;

export const gcpSecretmanagerRequireCmek: PlatformResourcePolicy = {
  name: NAME,
  description:
    "In prod, Secret Manager secrets must be encrypted with a customer-managed Cloud KMS key (CMEK) in every replica.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: KEY_PROTECTION,
  tags: controls("soc2:CC6.1"),
  remediationSteps:
    "Set `replication.auto.customerManagedEncryption.kmsKeyName`, or `customerManagedEncryption.kmsKeyName` on every `replication.userManaged.replicas[]` entry (a key in the replica's location).",
  configSchema: thresholdSchema(thresholds),
  validateResource: validateResourceOfType(gcp.secretmanager.Secret, (secret, args, report) => {
    if (!resolveThresholds(NAME, thresholds, args.getConfig(), args.urn).required) return;
    const replication = secret.replication;
    if (replication.userManaged) {
      for (const replica of replication.userManaged.replicas) {
        if (!replica.customerManagedEncryption?.kmsKeyName)
          report(`replica in ${replica.location} has no customer-managed key.`);
      }
    } else if (!replication.auto?.customerManagedEncryption?.kmsKeyName) {
      report("replication.auto has no customerManagedEncryption.kmsKeyName: Google-managed encryption only.");
    }
  }),
};
