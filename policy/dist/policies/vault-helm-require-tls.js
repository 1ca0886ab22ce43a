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
var vault_helm_require_tls_exports = {};
__export(vault_helm_require_tls_exports, {
  vaultHelmRequireTls: () => vaultHelmRequireTls
});
module.exports = __toCommonJS(vault_helm_require_tls_exports);
var import_frameworks = require("../lib/frameworks");
var import_policy = require("../lib/policy");
var import_values = require("../lib/values");
var import_vault_config = require("../lib/vault-config");
var import_vault_helm = require("../lib/vault-helm");
const vaultHelmRequireTls = {
  name: "vault-helm-require-tls",
  description: 'Vault must serve TLS. In the Vault Helm chart\'s values (any release or chart of it): `global.tlsDisable` false and a server config whose listener does not set `tls_disable` (the chart\'s default configs do). In every workload container running the Vault server: VAULT_ADDR/VAULT_API_ADDR must be https and VAULT_LOCAL_CONFIG must not disable TLS; a container that shows neither cannot be verified and fails. In every ConfigMap and Secret (and their patches), whatever the key is called: a value that parses as Vault configuration (HCL or JSON) with a `tcp` listener setting `tls_disable` to anything Vault reads as true (true, 1, "true", "1", "t" …) fails, as does a value with a `listener` stanza that does not parse. Vault Agent/Proxy configurations may listen in plain HTTP on loopback only.',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: (0, import_frameworks.pciDss)("4.2.1", "Strong cryptography protects data in transit."),
  tags: (0, import_frameworks.controls)("soc2:CC6.7"),
  remediationSteps: "Set `values.global.tlsDisable: false` and give the server a config (`server.ha.raft.config`, `server.ha.config` or `server.standalone.config`) whose listener has `tls_disable = false` with `tls_cert_file`/`tls_key_file` from a mounted certificate; a plain workload sets `VAULT_ADDR=https://…` and such a listener.",
  validateResource: [
    ...(0, import_vault_helm.validateVaultHelmValues)(async (values, _args, report) => {
      if ((0, import_values.atPath)(values, "global.tlsDisable") !== false)
        report("global.tlsDisable is not false: Vault listens in plain HTTP.");
      if ((0, import_values.atPath)(values, "server.dev.enabled") === true) return;
      const { path, value } = (0, import_vault_helm.chartServerConfig)(values);
      if (value === void 0)
        report(`${path} is unset: the chart's default config sets \`tls_disable = 1\` on the listener.`);
      else for (const finding of await (0, import_vault_config.plainHttpFindings)(value)) report(`${path} ${finding}.`);
    }),
    ...(0, import_vault_helm.validateVaultContainers)(async (c, _args, report) => {
      const where = `${c.label} of the ${c.kind}`;
      let https = false;
      for (const name of ["VAULT_ADDR", "VAULT_API_ADDR"]) {
        const value = c.env.get(name);
        if (typeof value !== "string") continue;
        if (/^http:\/\//i.test(value)) report(`${where}: ${name} is ${value}, plain HTTP.`);
        else if (/^https:\/\//i.test(value)) https = true;
      }
      const local = c.env.get("VAULT_LOCAL_CONFIG");
      for (const finding of await (0, import_vault_config.plainHttpFindings)(local))
        report(`${where}: VAULT_LOCAL_CONFIG ${finding}.`);
      if (!https && typeof local !== "string" && !c.patch)
        report(
          `${where} shows no https VAULT_ADDR and no VAULT_LOCAL_CONFIG, so that it serves TLS cannot be verified.`
        );
    }),
    // The server's configuration file, mounted from a ConfigMap or Secret under any key.
    ...Object.keys(import_vault_config.CONFIG_DATA_FIELDS).map(
      (type) => (0, import_policy.validateResourceOfToken)(type, async (props, _args, report) => {
        for (const { where, text } of (0, import_vault_config.dataValues)(type, props))
          for (const finding of await (0, import_vault_config.plainHttpFindings)(text)) report(`${where} ${finding}.`);
      })
    )
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultHelmRequireTls
});
