import * as vault from "@pulumi/vault";
import { controls, soc2 } from "../lib/frameworks";
import type { PlatformStackPolicy } from "../lib/policy";

export const vaultAuditRequireDevice: PlatformStackPolicy = {
  name: "vault-audit-require-device",
  description: "A stack that configures Vault (any `vault:` resource) must enable at least one audit device.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: soc2("CC7.2", "System components are monitored for anomalies indicative of malicious acts."),
  tags: controls("pci-dss:10.2.1"),
  remediationSteps:
    "Add a `vault.Audit` device (file to stdout for the cluster's log pipeline, or syslog/socket per the catalog's `vault.audit`).",
  validateStack: (args, report) => {
    // Providers (`pulumi:providers:vault`) are not `vault:` resources: configuring nothing needs no audit.
    const configures = args.resources.some((r) => r.type.startsWith("vault:"));
    if (configures && !args.resources.some((r) => r.isType(vault.Audit))) {
      report("the stack configures Vault but enables no audit device: requests to Vault leave no trail.");
    }
  },
};
