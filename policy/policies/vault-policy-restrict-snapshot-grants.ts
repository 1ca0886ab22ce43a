import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { vaultPolicyRules } from "../lib/hcl";
import type { PlatformStackPolicy } from "../lib/policy";
import { isUnsure, vaultAclInventory } from "../lib/vault-acl";

/** The one grant a raft-snapshot identity needs: download a snapshot. */
const SNAPSHOT_PATH = "sys/storage/raft/snapshot";

/** A path naming raft snapshots exactly: saving (`snapshot`), restoring (`snapshot-force`), auto-snapshot configs. */
const SNAPSHOT_FAMILY = /^sys\/storage\/raft\/snapshot(-force|-auto\/.*)?$/;

export const vaultPolicyRestrictSnapshotGrants: PlatformStackPolicy = {
  name: "vault-policy-restrict-snapshot-grants",
  description:
    "A Vault ACL policy that grants anything on raft snapshots (`sys/storage/raft/snapshot`, `snapshot-force`, `snapshot-auto/…`) must be a snapshot identity's and nothing more: exactly `read` on `sys/storage/raft/snapshot`, and no other path. A snapshot holds every secret of the cluster (encrypted by its keyring, which the cluster's seal unwraps), so the identity that downloads snapshots may read nothing else and never restore one (`update` would overwrite the whole cluster). Checked on every ACL policy the stack writes (vault.Policy, or through a generic endpoint or secret), whoever carries it. `vault-policy-forbid-privileged-workload-paths` still applies to the rest of `sys/`; a snapshot policy exempted there (by name) is held to this rule.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "soc2:A1.2"),
  remediationSteps:
    'Give the snapshot job a policy of its own with exactly `path "sys/storage/raft/snapshot" { capabilities = ["read"] }` (components/vault/policies.ts snapshotPolicy); restore with a person\'s break-glass token (`npm run vault:snapshot-restore`).',
  validateStack: async (args, report) => {
    for (const source of vaultAclInventory(args.resources).sources) {
      if (isUnsure(source.text)) continue; // the privileged-paths rule reports what it cannot read
      let rules;
      try {
        rules = await vaultPolicyRules(source.text);
      } catch {
        continue; // unparsable: the privileged-paths rule reports it
      }
      const granted = rules.filter((r) => r.capabilities.length > 0 && !r.capabilities.includes("deny"));
      if (!granted.some((r) => SNAPSHOT_FAMILY.test(r.path))) continue;
      const problems: string[] = [];
      for (const r of granted) {
        const caps = [...new Set(r.capabilities)].sort();
        if (r.path !== SNAPSHOT_PATH)
          problems.push(`path "${r.path}" (${caps.join(", ")}), which a snapshot identity needs not`);
        else if (caps.join() !== "read")
          problems.push(
            `${caps.filter((c) => c !== "read").join(", ")} on "${SNAPSHOT_PATH}" (a restore rewrites the cluster)`,
          );
      }
      if (problems.length > 0)
        report(
          `${source.label} grants raft snapshots and also ${problems.join("; ")}: a snapshot identity may only read "${SNAPSHOT_PATH}".`,
          source.resource.urn,
        );
    }
  },
};
