import { integerThreshold, resolveThresholds, thresholdSchema, type ThresholdSet } from "../lib/config";
import { controls, soc2 } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";
import { atPath } from "../lib/values";
import { validateVaultContainers, validateVaultHelmValues } from "../lib/vault-helm";

const NAME = "vault-helm-require-raft-quorum";
const thresholds = {
  // Raft keeps a quorum through one failure from 3 voters on: staging and prod ask for 3.
  minReplicas: integerThreshold(1, "Fewest Vault server replicas (raft voters).", (t) => t.vaultMinReplicas),
} as const satisfies ThresholdSet;

const SPREAD_KEYS = new Set(["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);

/** A required pod anti-affinity term on the node's or the zone's label. */
function spreadsServers(affinity: unknown): boolean {
  const terms = atPath(affinity, "podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution");
  return (
    Array.isArray(terms) &&
    terms.some(
      (t) =>
        typeof t === "object" &&
        t !== null &&
        SPREAD_KEYS.has(String((t as { topologyKey?: unknown }).topologyKey)),
    )
  );
}

export const vaultHelmRequireRaftQuorum: PlatformResourcePolicy = {
  name: NAME,
  description:
    "Vault must run in HA mode with integrated storage (raft) and, in staging and prod, at least 3 replicas, each required on a node (or zone) of its own: in the Vault Helm chart's values (any release or chart of it), and for every workload running the Vault server (a StatefulSet with at least that many replicas; a Deployment, DaemonSet, Pod or Job is no raft cluster).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: soc2("A1.2", "Environmental protections and recovery infrastructure support availability."),
  tags: controls("pci-dss:12.10.1"),
  remediationSteps:
    "Set `values.server.ha.enabled: true`, `values.server.ha.raft.enabled: true` and `values.server.ha.replicas` to at least this policy's `minReplicas` (3 in staging and prod); where that minimum is 3 or more, leave `values.server.affinity` to the chart or require a pod anti-affinity on `kubernetes.io/hostname` or `topology.kubernetes.io/zone`; a plain workload must be a StatefulSet with that many replicas and a raft storage config.",
  configSchema: thresholdSchema(thresholds),
  validateResource: [
    ...validateVaultHelmValues((values, args, report) => {
      const { minReplicas, environment } = resolveThresholds(NAME, thresholds, args.getConfig(), args.urn);
      if (atPath(values, "server.ha.enabled") !== true) report("server.ha.enabled is not true.");
      if (atPath(values, "server.ha.raft.enabled") !== true)
        report("server.ha.raft.enabled is not true: no integrated storage.");
      // The chart's default is 3 replicas.
      const replicas = atPath(values, "server.ha.replicas") ?? 3;
      if (typeof replicas !== "number" || replicas < minReplicas) {
        report(`server.ha.replicas is ${String(replicas)}; ${environment} requires at least ${minReplicas}.`);
      }
      // Where raft must survive a failure, the failure must not take two voters: each server on
      // a node (or zone) of its own. The chart's default affinity (no value) does that.
      const affinity = atPath(values, "server.affinity");
      if (minReplicas >= 3 && affinity !== undefined && !spreadsServers(affinity))
        report(
          `server.affinity does not require the servers on different nodes or zones; ${environment} requires it (a one-node cluster is for dev: kubernetes.clusters[].singleNode).`,
        );
    }),
    ...validateVaultContainers((c, args, report) => {
      const { minReplicas, environment } = resolveThresholds(NAME, thresholds, args.getConfig(), args.urn);
      const where = `${c.label} of the ${c.kind}`;
      if (c.kind !== "StatefulSet") {
        if (!c.patch) report(`${where}: a ${c.kind} is no raft cluster (raft members need a StatefulSet).`);
        return;
      }
      if (c.patch && c.replicas === undefined) return;
      const replicas = c.replicas ?? 1;
      if (typeof replicas !== "number" || replicas < minReplicas)
        report(`${where}: replicas is ${String(replicas)}; ${environment} requires at least ${minReplicas}.`);
    }),
  ],
};
