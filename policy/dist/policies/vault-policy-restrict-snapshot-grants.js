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
var vault_policy_restrict_snapshot_grants_exports = {};
__export(vault_policy_restrict_snapshot_grants_exports, {
  vaultPolicyRestrictSnapshotGrants: () => vaultPolicyRestrictSnapshotGrants
});
module.exports = __toCommonJS(vault_policy_restrict_snapshot_grants_exports);
var import_frameworks = require("../lib/frameworks");
var import_hcl = require("../lib/hcl");
var import_vault_acl = require("../lib/vault-acl");
const SNAPSHOT_PATH = "sys/storage/raft/snapshot";
const SNAPSHOT_FAMILY = /^sys\/storage\/raft\/snapshot(-force|-auto\/.*)?$/;
const vaultPolicyRestrictSnapshotGrants = {
  name: "vault-policy-restrict-snapshot-grants",
  description: "A Vault ACL policy that grants anything on raft snapshots (`sys/storage/raft/snapshot`, `snapshot-force`, `snapshot-auto/…`) must be a snapshot identity's and nothing more: exactly `read` on `sys/storage/raft/snapshot`, and no other path. A snapshot holds every secret of the cluster (encrypted by its keyring, which the cluster's seal unwraps), so the identity that downloads snapshots may read nothing else and never restore one (`update` would overwrite the whole cluster). Checked on every ACL policy the stack writes (vault.Policy, or through a generic endpoint or secret), whoever carries it. `vault-policy-forbid-privileged-workload-paths` still applies to the rest of `sys/`; a snapshot policy exempted there (by name) is held to this rule.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "soc2:A1.2"),
  remediationSteps: 'Give the snapshot job a policy of its own with exactly `path "sys/storage/raft/snapshot" { capabilities = ["read"] }` (components/vault/policies.ts snapshotPolicy); restore with a person\'s break-glass token (`npm run vault:snapshot-restore`).',
  validateStack: async (args, report) => {
    for (const source of (0, import_vault_acl.vaultAclInventory)(args.resources).sources) {
      if ((0, import_vault_acl.isUnsure)(source.text)) continue;
      let rules;
      try {
        rules = await (0, import_hcl.vaultPolicyRules)(source.text);
      } catch {
        continue;
      }
      const granted = rules.filter((r) => r.capabilities.length > 0 && !r.capabilities.includes("deny"));
      if (!granted.some((r) => SNAPSHOT_FAMILY.test(r.path))) continue;
      const problems = [];
      for (const r of granted) {
        const caps = [...new Set(r.capabilities)].sort();
        if (r.path !== SNAPSHOT_PATH)
          problems.push(`path "${r.path}" (${caps.join(", ")}), which a snapshot identity needs not`);
        else if (caps.join() !== "read")
          problems.push(
            `${caps.filter((c) => c !== "read").join(", ")} on "${SNAPSHOT_PATH}" (a restore rewrites the cluster)`
          );
      }
      if (problems.length > 0)
        report(
          `${source.label} grants raft snapshots and also ${problems.join("; ")}: a snapshot identity may only read "${SNAPSHOT_PATH}".`,
          source.resource.urn
        );
    }
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultPolicyRestrictSnapshotGrants
});
