/**
 * What the GCP and Azure secret components share: the catalog, the environment's profile,
 * and the instant from which they compute first rotation or expiry times. Checked before any
 * resource is registered, so a wrong call fails with the argument named.
 */
import type { EnvironmentProfile } from "../stacks/profiles";
import type { Catalog } from "../stacks/schema";

export interface CloudSecretsArgs {
  /** The validated catalog; the component reads its own cloud's section and secrets. */
  readonly catalog: Catalog;
  /** The environment's profile (`profileFor(catalog.environment)`). */
  readonly profile: EnvironmentProfile;
  /**
   * Instant from which a new secret's first rotation or expiry time is computed (the UTC
   * midnight one period later, see stacks/schedule.ts). Defaults to now; it matters only when
   * a secret is created, because the cloud owns the value afterwards.
   */
  readonly referenceTime?: Date;
}

/** A function that throws `<component>: <message>`. */
export type ArgumentFailure = (message: string) => never;

export function argumentFailure(component: string): ArgumentFailure {
  return (message) => {
    throw new Error(`${component}: ${message}`);
  };
}

/** The checks every cloud component needs; returns the failure function for its own checks. */
export function checkCloudSecretsArgs(
  component: string,
  cloud: "gcp" | "azure",
  args: CloudSecretsArgs,
): ArgumentFailure {
  const fail = argumentFailure(component);
  const { catalog, profile } = args;
  if (!catalog[cloud]) fail(`the catalog has no "${cloud}" section; add one or do not create ${component}`);
  if (profile.environment !== catalog.environment) {
    fail(
      `profile is for ${profile.environment} but the catalog is ${catalog.environment}; pass profileFor(catalog.environment)`,
    );
  }
  if (args.referenceTime && !Number.isFinite(args.referenceTime.getTime())) {
    fail("referenceTime is an invalid Date");
  }
  return fail;
}
