import * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import { PERIODIC_CREDENTIAL_CHANGE, controls } from "../lib/frameworks";
import type { PlatformStackPolicy } from "../lib/policy";
import { isRecord } from "../lib/values";

/**
 * A secret whose value a third party issues (a payment provider's API key) cannot be rotated
 * by our function; tagging it so records that its issuer rotates it, visibly in review.
 */
export const ROTATED_BY_ISSUER_TAG = { key: "secrets-platform:rotation", value: "by-issuer" } as const;

/** Reads a prop, treating a value unknown during preview as absent. */
function known(resource: PolicyResource, key: string): unknown {
  try {
    return resource.props[key];
  } catch {
    return undefined;
  }
}

export const awsSecretsmanagerRequireRotation: PlatformStackPolicy = {
  name: "aws-secretsmanager-require-rotation",
  description: `Every Secrets Manager secret must have a SecretRotation, unless tagged ${ROTATED_BY_ISSUER_TAG.key}=${ROTATED_BY_ISSUER_TAG.value} (rotated by the third party that issues it).`,
  enforcementLevel: "mandatory",
  severity: "high",
  framework: PERIODIC_CREDENTIAL_CHANGE,
  tags: controls("soc2:CC6.1"),
  remediationSteps:
    "Give the catalog secret a `rotation: { database: <name> }` so the platform deploys the rotation function, or, for a credential only its issuer can rotate, tag the secret `secrets-platform:rotation: by-issuer` and rotate it at the issuer.",
  validateStack: (args, report) => {
    const rotated = new Set<string>();
    const rotations = args.resources.filter((r) => r.isType(aws.secretsmanager.SecretRotation));
    const secrets = args.resources.filter((r) => r.isType(aws.secretsmanager.Secret));
    for (const rotation of rotations) {
      for (const dep of rotation.propertyDependencies["secretId"] ?? []) rotated.add(dep.urn);
      const secretId = known(rotation, "secretId");
      for (const secret of secrets) {
        if (secretId !== undefined && (secretId === known(secret, "arn") || secretId === known(secret, "id")))
          rotated.add(secret.urn);
      }
    }
    for (const secret of secrets) {
      if (rotated.has(secret.urn)) continue;
      const tags = known(secret, "tags");
      if (isRecord(tags) && tags[ROTATED_BY_ISSUER_TAG.key] === ROTATED_BY_ISSUER_TAG.value) continue;
      report(
        `secret ${secret.name} has no SecretRotation and is not tagged as rotated by its issuer.`,
        secret.urn,
      );
    }
  },
};
