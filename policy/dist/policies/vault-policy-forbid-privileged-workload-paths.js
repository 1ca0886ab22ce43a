// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
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
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var vault_policy_forbid_privileged_workload_paths_exports = {};
__export(vault_policy_forbid_privileged_workload_paths_exports, {
  vaultPolicyForbidPrivilegedWorkloadPaths: () => vaultPolicyForbidPrivilegedWorkloadPaths
});
module.exports = __toCommonJS(vault_policy_forbid_privileged_workload_paths_exports);
var vault = __toESM(require("@pulumi/vault"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
var import_hcl = require("../lib/hcl");
const WORKLOAD_POLICY = /^workload-/;
const vaultPolicyForbidPrivilegedWorkloadPaths = {
  name: "vault-policy-forbid-privileged-workload-paths",
  description: "Workload Vault policies must not grant `sudo`, glob (`*`, `+`) paths or anything under `sys/`; they list exact paths.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2"),
  remediationSteps: "Grant `read` on the exact KV data paths and database `creds/<role>` paths the workload consumes, nothing else.",
  validateResource: (0, import_policy.validateResourceOfType)(vault.Policy, async (policy, _args, report) => {
    if (!WORKLOAD_POLICY.test(policy.name ?? "")) return;
    let rules;
    try {
      rules = await (0, import_hcl.vaultPolicyRules)(policy.policy);
    } catch (e) {
      report(`policy HCL does not parse: ${e.message}`);
      return;
    }
    for (const { path, capabilities } of rules) {
      if (capabilities.includes("sudo")) report(`path "${path}" grants sudo.`);
      if (/[*+]/.test(path)) report(`path "${path}" is a glob: list the exact paths the workload reads.`);
      if (/^\/?sys\//.test(path)) report(`path "${path}" is under sys/: system endpoints are for operators.`);
    }
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultPolicyForbidPrivilegedWorkloadPaths
});
