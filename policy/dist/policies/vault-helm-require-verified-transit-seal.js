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
var vault_helm_require_verified_transit_seal_exports = {};
__export(vault_helm_require_verified_transit_seal_exports, {
  vaultHelmRequireVerifiedTransitSeal: () => vaultHelmRequireVerifiedTransitSeal
});
module.exports = __toCommonJS(vault_helm_require_verified_transit_seal_exports);
var import_frameworks = require("../lib/frameworks");
var import_hcl = require("../lib/hcl");
var import_policy = require("../lib/policy");
var import_values = require("../lib/values");
var import_vault_config = require("../lib/vault-config");
var import_vault_helm = require("../lib/vault-helm");
async function transitSealFindings(config, inSecret = false) {
  let doc;
  if ((0, import_values.isRecord)(config)) doc = config;
  else if (typeof config !== "string") return [];
  else
    try {
      doc = await (0, import_hcl.parseVaultDocument)(config);
    } catch {
      return [];
    }
  const findings = [];
  for (const { type, body } of (0, import_vault_config.typedBlocks)(doc, "seal")) {
    if (type !== "transit") continue;
    const address = (0, import_hcl.valuesOf)(body, "address").find((a) => typeof a === "string");
    if (address === void 0)
      findings.push(
        "has a transit seal without `address` (VAULT_ADDR decides), so that it uses https cannot be verified"
      );
    else if (!/^https:\/\//i.test(address))
      findings.push(`has a transit seal at ${address}: the unsealing Vault must be reached over https`);
    if ((0, import_hcl.valuesOf)(body, "tls_skip_verify").some(import_vault_config.vaultTrue))
      findings.push(
        "has a transit seal with tls_skip_verify: the unsealing Vault's certificate is not verified"
      );
    for (const token of inSecret ? [] : (0, import_hcl.valuesOf)(body, "token"))
      if (typeof token !== "string" || !/^(file|env):\/\//.test(token))
        findings.push(
          "has a transit seal whose `token` is the token itself: name a mounted file (file://…) or a variable set from a Secret (env://…)"
        );
  }
  return findings;
}
const vaultHelmRequireVerifiedTransitSeal = {
  name: "vault-helm-require-verified-transit-seal",
  description: "A Vault server that auto-unseals through another Vault's transit engine (`seal \"transit\"`) must reach it over https with certificate verification (an https `address`, no `tls_skip_verify`) and must not hold the seal's token in plain configuration: the stanza's `token` may only name a file (`file://…`, a mounted Secret) or a variable (`env://…`), and the Vault Helm chart's plain `server.extraEnvironmentVars` may not set VAULT_TOKEN. Checked in the chart's server config (any release or chart of it) and in every ConfigMap's and Secret's values that hold a Vault configuration (a Secret may hold the token itself).",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: (0, import_frameworks.pciDss)("4.2.1", "Strong cryptography protects data in transit."),
  tags: (0, import_frameworks.controls)("pci-dss:8.3.2", "soc2:CC6.1"),
  remediationSteps: 'Give the transit seal `address = "https://…"` and `tls_ca_cert` of the unsealing Vault\'s CA (no `tls_skip_verify`), put its token in a Kubernetes Secret mounted into the server pods and set `token = "file://<mounted path>"` (what `vault.unseal: transit` renders), or pass VAULT_TOKEN through `server.extraSecretEnvironmentVars`.',
  validateResource: [
    ...(0, import_vault_helm.validateVaultHelmValues)(async (values, _args, report) => {
      const { path, value } = (0, import_vault_helm.chartServerConfig)(values);
      for (const finding of await transitSealFindings(value)) report(`${path} ${finding}.`);
      const env = (0, import_values.atPath)(values, "server.extraEnvironmentVars");
      if ((0, import_values.isRecord)(env) && Object.keys(env).some((name) => name.toUpperCase() === "VAULT_TOKEN"))
        report(
          "server.extraEnvironmentVars sets VAULT_TOKEN in plain values: use server.extraSecretEnvironmentVars (a Secret) or a mounted token file."
        );
    }),
    ...Object.keys(import_vault_config.CONFIG_DATA_FIELDS).map(
      (type) => (0, import_policy.validateResourceOfToken)(type, async (props, _args, report) => {
        for (const { where, text } of (0, import_vault_config.dataValues)(type, props))
          for (const finding of await transitSealFindings(text, type.includes(":Secret")))
            report(`${where} ${finding}.`);
      })
    )
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultHelmRequireVerifiedTransitSeal
});
