/**
 * What the GCP and Azure secret components share: the catalog, the environment's profile,
 * and the instant from which they compute first rotation or expiry times. Checked before any
 * resource is registered, so a wrong call fails with the argument named.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { EnvironmentProfile } from "../stacks/profiles";
import type { Catalog, Database } from "../stacks/schema";

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
  /**
   * Secret config values by key (`LoadedStack.secrets`): the admin passwords of the databases
   * whose logins this cloud's secrets rotate. Needed only when the catalog rotates one.
   */
  readonly secrets?: ReadonlyMap<string, pulumi.Input<string>>;
}

/** Databases some `source: <cloud>` secret with `rotation` names, in catalog order. */
export function rotatedDatabases(catalog: Catalog, cloud: "gcp" | "azure"): Database[] {
  const names = new Set(
    catalog.workloads.flatMap((w) =>
      w.secrets.flatMap((s) => (s.source === cloud && s.rotation ? [s.rotation.database] : [])),
    ),
  );
  return catalog.databases.filter((d) => names.has(d.name));
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
  for (const database of rotatedDatabases(catalog, cloud)) {
    if (!args.secrets?.has(database.adminPasswordConfigKey)) {
      fail(
        `databases[${catalog.databases.indexOf(database)}].adminPasswordConfigKey: no secret config value ${database.adminPasswordConfigKey} was passed in "secrets"; the rotation function of ${database.name} needs the admin login`,
      );
    }
  }
  return fail;
}
