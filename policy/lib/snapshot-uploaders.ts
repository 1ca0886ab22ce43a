/**
 * The Kubernetes service accounts that take Vault raft snapshots: those whose pods run a
 * container (or init container) whose command line contains `raft snapshot save`, in any
 * workload type. Recognised by what the pod does, never by a name (README, Scope): a snapshot
 * opens every secret of the Vault once the seal is reached, so whatever cloud identity such an
 * account stands for must be able to write snapshots and nothing else.
 */
import type { AccessGraph } from "./access/graph";
import { WORKLOAD_TYPES, podSpecOf } from "./vault-helm";
import { atPath, isRecord } from "./values";

const SAVES_SNAPSHOTS = /\braft\s+snapshot\s+save\b/;

/** `<namespace>/<service account>` of every pod that saves raft snapshots. */
export function snapshotServiceAccounts(g: AccessGraph): ReadonlySet<string> {
  const accounts = new Set<string>();
  for (const type of WORKLOAD_TYPES)
    for (const w of g.ofType(type)) {
      const props = { metadata: g.read(w, "metadata"), spec: g.read(w, "spec") };
      const pod = podSpecOf(type, props);
      if (!isRecord(pod)) continue;
      const containers = [pod.initContainers, pod.containers].flatMap((c) => (Array.isArray(c) ? c : []));
      const saves = containers.some(
        (c) =>
          isRecord(c) &&
          SAVES_SNAPSHOTS.test(
            [c.command, c.args].flatMap((x) => (Array.isArray(x) ? x.map(String) : [])).join(" "),
          ),
      );
      if (!saves) continue;
      const ns = String(atPath(props, "metadata.namespace") ?? "default");
      accounts.add(`${ns}/${String(pod.serviceAccountName ?? pod.serviceAccount ?? "default")}`);
    }
  return accounts;
}
