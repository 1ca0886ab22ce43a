import { controls, pciDss } from "../lib/frameworks";
import { type PlatformResourcePolicy, validateResourceOfToken } from "../lib/policy";
import { atPath } from "../lib/values";
import { CONFIG_DATA_FIELDS, dataValues, plainHttpFindings } from "../lib/vault-config";
import { chartServerConfig, validateVaultContainers, validateVaultHelmValues } from "../lib/vault-helm";

export const vaultHelmRequireTls: PlatformResourcePolicy = {
  name: "vault-helm-require-tls",
  description:
    'Vault must serve TLS. In the Vault Helm chart\'s values (any release or chart of it): `global.tlsDisable` false and a server config whose listener does not set `tls_disable` (the chart\'s default configs do). In every workload container running the Vault server: VAULT_ADDR/VAULT_API_ADDR must be https and VAULT_LOCAL_CONFIG must not disable TLS; a container that shows neither cannot be verified and fails. In every ConfigMap and Secret (and their patches), whatever the key is called: a value that parses as Vault configuration (HCL or JSON) with a `tcp` listener setting `tls_disable` to anything Vault reads as true (true, 1, "true", "1", "t" …) fails, as does a value with a `listener` stanza that does not parse. Vault Agent/Proxy configurations may listen in plain HTTP on loopback only.',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: pciDss("4.2.1", "Strong cryptography protects data in transit."),
  tags: controls("soc2:CC6.7"),
  remediationSteps:
    "Set `values.global.tlsDisable: false` and give the server a config (`server.ha.raft.config`, `server.ha.config` or `server.standalone.config`) whose listener has `tls_disable = false` with `tls_cert_file`/`tls_key_file` from a mounted certificate; a plain workload sets `VAULT_ADDR=https://…` and such a listener.",
  validateResource: [
    ...validateVaultHelmValues(async (values, _args, report) => {
      if (atPath(values, "global.tlsDisable") !== false)
        report("global.tlsDisable is not false: Vault listens in plain HTTP.");
      if (atPath(values, "server.dev.enabled") === true) return; // the dev rule's to report
      const { path, value } = chartServerConfig(values);
      if (value === undefined)
        report(`${path} is unset: the chart's default config sets \`tls_disable = 1\` on the listener.`);
      else for (const finding of await plainHttpFindings(value)) report(`${path} ${finding}.`);
    }),
    ...validateVaultContainers(async (c, _args, report) => {
      const where = `${c.label} of the ${c.kind}`;
      let https = false;
      for (const name of ["VAULT_ADDR", "VAULT_API_ADDR"]) {
        const value = c.env.get(name);
        if (typeof value !== "string") continue;
        if (/^http:\/\//i.test(value)) report(`${where}: ${name} is ${value}, plain HTTP.`);
        else if (/^https:\/\//i.test(value)) https = true;
      }
      const local = c.env.get("VAULT_LOCAL_CONFIG");
      for (const finding of await plainHttpFindings(local))
        report(`${where}: VAULT_LOCAL_CONFIG ${finding}.`);
      if (!https && typeof local !== "string" && !c.patch)
        report(
          `${where} shows no https VAULT_ADDR and no VAULT_LOCAL_CONFIG, so that it serves TLS cannot be verified.`,
        );
    }),
    // The server's configuration file, mounted from a ConfigMap or Secret under any key.
    ...Object.keys(CONFIG_DATA_FIELDS).map((type) =>
      validateResourceOfToken(type, async (props, _args, report) => {
        for (const { where, text } of dataValues(type, props))
          for (const finding of await plainHttpFindings(text)) report(`${where} ${finding}.`);
      }),
    ),
  ],
};
