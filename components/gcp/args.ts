/** GcpSecrets' arguments and the checks that run before any resource is registered. */
import { type CloudSecretsArgs, checkCloudSecretsArgs } from "../cloud-secrets-args";

/**
 * Uses the catalog's `gcp` section and the secrets with `source: gcp`; from the profile, key
 * rotation, rotation periods, deletion protection and `protect`.
 */
export type GcpSecretsArgs = CloudSecretsArgs;

/** Throws, naming the offending argument, when the component cannot be built from `args`. */
export function checkGcpSecretsArgs(args: GcpSecretsArgs): void {
  const fail = checkCloudSecretsArgs("GcpSecrets", "gcp", args);
  const { catalog } = args;
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
