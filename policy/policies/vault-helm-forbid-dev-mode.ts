import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";
import { atPath } from "../lib/values";
import { validateVaultHelmValues } from "../lib/vault-helm";

export const vaultHelmForbidDevMode: PlatformResourcePolicy = {
  name: "vault-helm-forbid-dev-mode",
  description:
    "The Vault Helm release must not run dev mode (in-memory storage, unsealed, a root token in plain text).",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:2.2.2"),
  remediationSteps:
    "Remove `values.server.dev` (or set `server.dev.enabled: false`) and run HA raft with auto-unseal.",
  validateResource: validateVaultHelmValues((values, _args, report) => {
    if (atPath(values, "server.dev.enabled") === true) report("server.dev.enabled is true.");
  }),
};
