// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var vault_helm_require_raft_quorum_exports = {};
__export(vault_helm_require_raft_quorum_exports, {
  vaultHelmRequireRaftQuorum: () => vaultHelmRequireRaftQuorum
});
module.exports = __toCommonJS(vault_helm_require_raft_quorum_exports);
var import_config = require("../lib/config");
var import_frameworks = require("../lib/frameworks");
var import_values = require("../lib/values");
var import_vault_helm = require("../lib/vault-helm");
const NAME = "vault-helm-require-raft-quorum";
const thresholds = {
  // Raft keeps a quorum through one failure from 3 voters on: staging and prod ask for 3.
  minReplicas: (0, import_config.integerThreshold)(1, "Fewest Vault server replicas (raft voters).", (t) => t.vaultMinReplicas)
};
const SPREAD_KEYS = /* @__PURE__ */ new Set(["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);
function spreadsServers(affinity) {
  const terms = (0, import_values.atPath)(affinity, "podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution");
  return Array.isArray(terms) && terms.some(
    (t) => typeof t === "object" && t !== null && SPREAD_KEYS.has(String(t.topologyKey))
  );
}
const vaultHelmRequireRaftQuorum = {
  name: NAME,
  description: "Vault must run in HA mode with integrated storage (raft) and, in staging and prod, at least 3 replicas, each required on a node (or zone) of its own: in the Vault Helm chart's values (any release or chart of it), and for every workload running the Vault server (a StatefulSet with at least that many replicas; a Deployment, DaemonSet, Pod or Job is no raft cluster).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: (0, import_frameworks.soc2)("A1.2", "Environmental protections and recovery infrastructure support availability."),
  tags: (0, import_frameworks.controls)("pci-dss:12.10.1"),
  remediationSteps: "Set `values.server.ha.enabled: true`, `values.server.ha.raft.enabled: true` and `values.server.ha.replicas` to at least this policy's `minReplicas` (3 in staging and prod); where that minimum is 3 or more, leave `values.server.affinity` to the chart or require a pod anti-affinity on `kubernetes.io/hostname` or `topology.kubernetes.io/zone`; a plain workload must be a StatefulSet with that many replicas and a raft storage config.",
  configSchema: (0, import_config.thresholdSchema)(thresholds),
  validateResource: [
    ...(0, import_vault_helm.validateVaultHelmValues)((values, args, report) => {
      const { minReplicas, environment } = (0, import_config.resolveThresholds)(NAME, thresholds, args.getConfig(), args.urn);
      if ((0, import_values.atPath)(values, "server.ha.enabled") !== true) report("server.ha.enabled is not true.");
      if ((0, import_values.atPath)(values, "server.ha.raft.enabled") !== true)
        report("server.ha.raft.enabled is not true: no integrated storage.");
      const replicas = (0, import_values.atPath)(values, "server.ha.replicas") ?? 3;
      if (typeof replicas !== "number" || replicas < minReplicas) {
        report(`server.ha.replicas is ${String(replicas)}; ${environment} requires at least ${minReplicas}.`);
      }
      const affinity = (0, import_values.atPath)(values, "server.affinity");
      if (minReplicas >= 3 && affinity !== void 0 && !spreadsServers(affinity))
        report(
          `server.affinity does not require the servers on different nodes or zones; ${environment} requires it (a one-node cluster is for dev: kubernetes.clusters[].singleNode).`
        );
    }),
    ...(0, import_vault_helm.validateVaultContainers)((c, args, report) => {
      const { minReplicas, environment } = (0, import_config.resolveThresholds)(NAME, thresholds, args.getConfig(), args.urn);
      const where = `${c.label} of the ${c.kind}`;
      if (c.kind !== "StatefulSet") {
        if (!c.patch) report(`${where}: a ${c.kind} is no raft cluster (raft members need a StatefulSet).`);
        return;
      }
      if (c.patch && c.replicas === void 0) return;
      const replicas = c.replicas ?? 1;
      if (typeof replicas !== "number" || replicas < minReplicas)
        report(`${where}: replicas is ${String(replicas)}; ${environment} requires at least ${minReplicas}.`);
    })
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultHelmRequireRaftQuorum
});
