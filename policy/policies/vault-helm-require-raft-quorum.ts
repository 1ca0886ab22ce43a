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

export const vaultHelmRequireRaftQuorum: PlatformResourcePolicy = {
  name: NAME,
  description:
    "Vault must run in HA mode with integrated storage (raft) and, in staging and prod, at least 3 replicas: in the Vault Helm chart's values (any release or chart of it), and for every workload running the Vault server (a StatefulSet with at least that many replicas; a Deployment, DaemonSet, Pod or Job is no raft cluster).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: soc2("A1.2", "Environmental protections and recovery infrastructure support availability."),
  tags: controls("pci-dss:12.10.1"),
  remediationSteps:
    "Set `values.server.ha.enabled: true`, `values.server.ha.raft.enabled: true` and `values.server.ha.replicas` to at least this policy's `minReplicas` (3 in staging and prod); a plain workload must be a StatefulSet with that many replicas and a raft storage config.",
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
