/** GcpSecrets' arguments and the checks that run before any resource is registered. */
import type { EnvironmentProfile } from "../../stacks/profiles";
import type { Catalog } from "../../stacks/schema";

export interface GcpSecretsArgs {
  /** The validated catalog; its `gcp` section and the secrets with `source: gcp` are used. */
  readonly catalog: Catalog;
  /** The environment's profile: key rotation, rotation periods, protection. */
  readonly profile: EnvironmentProfile;
  /**
   * Instant from which a new secret's first `nextRotationTime` is computed (the UTC midnight
   * one rotation period later, see stacks/schedule.ts). Defaults to now; it matters only when
   * a secret is created, because Secret Manager owns the value afterwards.
   */
  readonly referenceTime?: Date;
}

/** Throws, naming the offending argument, when the component cannot be built from `args`. */
export function checkGcpSecretsArgs(args: GcpSecretsArgs): void {
  const { catalog, profile } = args;
  const fail = (message: string): never => {
    throw new Error(`GcpSecrets: ${message}`);
  };
  if (!catalog.gcp) fail('the catalog has no "gcp" section; add one or do not create GcpSecrets');
  if (profile.environment !== catalog.environment) {
    fail(
      `profile is for ${profile.environment} but the catalog is ${catalog.environment}; pass profileFor(catalog.environment)`,
    );
  }
  if (args.referenceTime && !Number.isFinite(args.referenceTime.getTime())) {
    fail("referenceTime is an invalid Date");
  }
  const locations = catalog.gcp?.replicaLocations ?? [];
  const repeated = locations.filter((l, i) => locations.indexOf(l) !== i);
  if (repeated.length > 0) fail(`gcp.replicaLocations lists ${repeated.join(", ")} more than once`);
  for (const workload of catalog.workloads) {
    if (!workload.secrets.some((s) => s.source === "gcp")) continue;
    const cluster = catalog.kubernetes.clusters.find((c) => c.name === workload.cluster);
    if (cluster?.cloud !== "gcp") {
      fail(
        `workload ${workload.name} reads gcp secrets but runs on cluster ${workload.cluster} (${cluster?.cloud ?? "undeclared"}); GKE Workload Identity needs a gcp cluster`,
      );
    }
  }
}
