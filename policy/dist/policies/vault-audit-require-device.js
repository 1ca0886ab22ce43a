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
var vault_audit_require_device_exports = {};
__export(vault_audit_require_device_exports, {
  vaultAuditRequireDevice: () => vaultAuditRequireDevice
});
module.exports = __toCommonJS(vault_audit_require_device_exports);
var vault = __toESM(require("@pulumi/vault"));
var import_frameworks = require("../lib/frameworks");
const TENANT_TYPES = [
  vault.Policy,
  vault.kubernetes.AuthBackendRole,
  vault.jwt.AuthBackendRole,
  vault.approle.AuthBackendRole,
  vault.database.SecretBackendRole,
  vault.kv.SecretV2,
  vault.kv.Secret
];
const vaultAuditRequireDevice = {
  name: "vault-audit-require-device",
  description: "A stack that configures Vault (a `vault:` resource other than policies, login roles, database roles and KV entries) must enable at least one audit device.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: (0, import_frameworks.soc2)("CC7.2", "System components are monitored for anomalies indicative of malicious acts."),
  tags: (0, import_frameworks.controls)("pci-dss:10.2.1"),
  remediationSteps: "Add a `vault.Audit` device (file to stdout for the cluster's log pipeline, or syslog/socket per the catalog's `vault.audit`).",
  validateStack: (args, report) => {
    const configures = args.resources.some(
      (r) => r.type.startsWith("vault:") && !TENANT_TYPES.some((type) => r.isType(type))
    );
    if (configures && !args.resources.some((r) => r.isType(vault.Audit))) {
      report("the stack configures Vault but enables no audit device: requests to Vault leave no trail.");
    }
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultAuditRequireDevice
});
