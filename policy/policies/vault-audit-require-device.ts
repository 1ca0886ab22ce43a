import type { Resource } from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { controls, soc2 } from "../lib/frameworks";
import type { PlatformStackPolicy } from "../lib/policy";

/**
 * What a team adds inside a Vault someone else runs: ACL policies, login roles on existing auth
 * mounts, dynamic database roles on an existing database mount and connection, KV entries. A
 * stack holding only these configures no part of the server (no mount, no auth method, no
 * connection, no audit device; its token cannot reach `sys/audit`), so the server's own stack
 * owns the audit device and is the one judged. Any other `vault:` type, known or not, counts as
 * configuring Vault.
 */
const TENANT_TYPES = [
  vault.Policy,
  vault.kubernetes.AuthBackendRole,
  vault.jwt.AuthBackendRole,
  vault.approle.AuthBackendRole,
  vault.database.SecretBackendRole,
  vault.kv.SecretV2,
  vault.kv.Secret,
] as const;

export const vaultAuditRequireDevice: PlatformStackPolicy = {
  name: "vault-audit-require-device",
  description:
    "A stack that configures Vault (a `vault:` resource other than policies, login roles, database roles and KV entries) must enable at least one audit device.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: soc2("CC7.2", "System components are monitored for anomalies indicative of malicious acts."),
  tags: controls("pci-dss:10.2.1"),
  remediationSteps:
    "Add a `vault.Audit` device (file to stdout for the cluster's log pipeline, or syslog/socket per the catalog's `vault.audit`).",
  validateStack: (args, report) => {
    // Providers (`pulumi:providers:vault`) are not `vault:` resources: configuring nothing needs no audit.
    const configures = args.resources.some(
      (r) => r.type.startsWith("vault:") && !TENANT_TYPES.some((type) => r.isType<Resource>(type)),
    );
    if (configures && !args.resources.some((r) => r.isType(vault.Audit))) {
      report("the stack configures Vault but enables no audit device: requests to Vault leave no trail.");
    }
  },
};
