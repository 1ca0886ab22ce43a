import { controls, pciDss } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";
import { atPath } from "../lib/values";
import { validateVaultHelmValues } from "../lib/vault-helm";

export const vaultHelmRequireTls: PlatformResourcePolicy = {
  name: "vault-helm-require-tls",
  description:
    "The Vault Helm release must serve TLS: `global.tlsDisable` must be set to false (the chart's default is true).",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: pciDss("4.2.1", "Strong cryptography protects data in transit."),
  tags: controls("soc2:CC6.7"),
  remediationSteps:
    "Set `values.global.tlsDisable: false` and mount the certificate (cert-manager or the catalog's TLS secret) in the listener config.",
  validateResource: validateVaultHelmValues((values, _args, report) => {
    if (atPath(values, "global.tlsDisable") !== false)
      report("global.tlsDisable is not false: Vault listens in plain HTTP.");
  }),
};
