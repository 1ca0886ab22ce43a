import * as aws from "@pulumi/aws";
import * as azure from "@pulumi/azure-native";
import * as gcp from "@pulumi/gcp";
import type { ResourceValidation } from "@pulumi/policy";
import { resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { controls, soc2 } from "../lib/frameworks";
import { typeToken, validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";

const NAME = "pulumi-resource-require-protect";
/** Keys, secrets and vaults: deleting one destroys data that cannot be recreated. */
const PROTECTED_TYPES: ReadonlySet<string> = new Set(
  [
    aws.kms.Key,
    aws.secretsmanager.Secret,
    gcp.kms.CryptoKey,
    gcp.secretmanager.Secret,
    azure.keyvault.Vault,
    azure.keyvault.Secret,
    azure.keyvault.Key,
  ].map(typeToken),
);
const thresholds = {
  required: {
    schema: {
      type: "boolean",
      description: "Whether keys, secrets and key vaults need Pulumi's `protect` option.",
    },
    byEnvironment: (t) => t.protect,
  },
} as const satisfies ThresholdSet;

const validate: ResourceValidation = (args, report) => {
  const { required, environment } = resolveThresholds(NAME, thresholds, args.getConfig(), args.urn);
  if (required && !args.opts.protect)
    report(`${args.type} ${args.name} is not protected; ${environment} requires protect.`);
};

export const pulumiResourceRequireProtect: PlatformResourcePolicy = {
  name: NAME,
  description:
    "In prod, KMS keys, secrets and key vaults must carry Pulumi's `protect` option, so no update can delete them by accident.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: soc2("CC8.1", "Changes to infrastructure are authorised and controlled."),
  tags: controls("soc2:A1.2"),
  remediationSteps:
    "Pass `{ protect: true }` to keys, secrets and vaults where this policy's `required` is true (prod by default); deleting one then takes a deliberate `pulumi state unprotect`.",
  configSchema: thresholdSchema(thresholds),
  // One validator per type, so the engine calls none for other resources.
  validateResource: [...PROTECTED_TYPES].map((type) =>
    validateResourceOfToken(type, (_props, args, report) => validate(args, report)),
  ),
};
