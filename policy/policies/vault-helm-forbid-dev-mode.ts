import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";
import { atPath } from "../lib/values";
import { runsDevServer, validateVaultContainers, validateVaultHelmValues } from "../lib/vault-helm";

export const vaultHelmForbidDevMode: PlatformResourcePolicy = {
  name: "vault-helm-forbid-dev-mode",
  description:
    "No Vault server may run dev mode (in-memory storage, unsealed, a root token in plain text): neither a release of the Vault Helm chart (any release, chart reference or fork whose values configure the chart's server) with `server.dev.enabled`, nor any workload container running the Vault image as `server -dev`, with the image's default command (which is `server -dev`) or with a VAULT_DEV_* variable.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:2.2.2"),
  remediationSteps:
    "Remove `values.server.dev` (or set `server.dev.enabled: false`) and run HA raft with auto-unseal; a Vault container must run `vault server -config=<file>`.",
  validateResource: [
    ...validateVaultHelmValues((values, _args, report) => {
      if (atPath(values, "server.dev.enabled") === true) report("server.dev.enabled is true.");
    }),
    ...validateVaultContainers((c, _args, report) => {
      if (!runsDevServer(c)) return;
      report(
        c.commandLine === undefined && !c.env.has("VAULT_DEV_ROOT_TOKEN_ID")
          ? `${c.label} of the ${c.kind} sets no command, so the image runs its default, \`vault server -dev\`.`
          : `${c.label} of the ${c.kind} runs the Vault dev server.`,
      );
    }),
  ],
};
