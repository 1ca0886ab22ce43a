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
var vault_helm_forbid_dev_mode_exports = {};
__export(vault_helm_forbid_dev_mode_exports, {
  vaultHelmForbidDevMode: () => vaultHelmForbidDevMode
});
module.exports = __toCommonJS(vault_helm_forbid_dev_mode_exports);
var import_frameworks = require("../lib/frameworks");
var import_values = require("../lib/values");
var import_vault_helm = require("../lib/vault-helm");
const vaultHelmForbidDevMode = {
  name: "vault-helm-forbid-dev-mode",
  description: "No Vault server may run dev mode (in-memory storage, unsealed, a root token in plain text): neither a release of the Vault Helm chart (any release, chart reference or fork whose values configure the chart's server) with `server.dev.enabled`, nor any workload container running the Vault image as `server -dev`, with the image's default command (which is `server -dev`) or with a VAULT_DEV_* variable.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.RESTRICTED_LOGICAL_ACCESS,
  tags: (0, import_frameworks.controls)("pci-dss:2.2.2"),
  remediationSteps: "Remove `values.server.dev` (or set `server.dev.enabled: false`) and run HA raft with auto-unseal; a Vault container must run `vault server -config=<file>`.",
  validateResource: [
    ...(0, import_vault_helm.validateVaultHelmValues)((values, _args, report) => {
      if ((0, import_values.atPath)(values, "server.dev.enabled") === true) report("server.dev.enabled is true.");
    }),
    ...(0, import_vault_helm.validateVaultContainers)((c, _args, report) => {
      if (!(0, import_vault_helm.runsDevServer)(c)) return;
      report(
        c.commandLine === void 0 && !c.env.has("VAULT_DEV_ROOT_TOKEN_ID") ? `${c.label} of the ${c.kind} sets no command, so the image runs its default, \`vault server -dev\`.` : `${c.label} of the ${c.kind} runs the Vault dev server.`
      );
    })
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultHelmForbidDevMode
});
