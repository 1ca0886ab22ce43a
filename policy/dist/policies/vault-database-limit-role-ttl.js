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
var vault_database_limit_role_ttl_exports = {};
__export(vault_database_limit_role_ttl_exports, {
  vaultDatabaseLimitRoleTtl: () => vaultDatabaseLimitRoleTtl
});
module.exports = __toCommonJS(vault_database_limit_role_ttl_exports);
var vault = __toESM(require("@pulumi/vault"));
var import_policy = require("@pulumi/policy");
var import_config = require("../lib/config");
var import_durations = require("../lib/durations");
var import_frameworks = require("../lib/frameworks");
const NAME = "vault-database-limit-role-ttl";
const thresholds = {
  maxDefaultTtlSeconds: (0, import_config.integerThreshold)(
    1,
    "Longest default lease of a dynamic database credential, in seconds.",
    (t) => t.dynamicCredentialTtlSeconds
  ),
  maxMaxTtlSeconds: (0, import_config.integerThreshold)(
    1,
    "Longest maximum lease of a dynamic database credential, in seconds.",
    (t) => t.dynamicCredentialMaxTtlSeconds
  )
};
const vaultDatabaseLimitRoleTtl = {
  name: NAME,
  description: "Dynamic database roles must set a default and maximum TTL within the environment's limits (0 or unset means the mount's, up to 32 days).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.PERIODIC_CREDENTIAL_CHANGE,
  tags: (0, import_frameworks.controls)("soc2:CC6.1"),
  remediationSteps: "Set `defaultTtl` and `maxTtl` to at most this policy's `maxDefaultTtlSeconds` and `maxMaxTtlSeconds`.",
  configSchema: (0, import_config.thresholdSchema)(thresholds),
  validateResource: (0, import_policy.validateResourceOfType)(vault.database.SecretBackendRole, (role, args, report) => {
    const limits = (0, import_config.resolveThresholds)(NAME, thresholds, args.getConfig(), args.urn);
    const fields = [
      ["defaultTtl", role.defaultTtl, limits.maxDefaultTtlSeconds],
      ["maxTtl", role.maxTtl, limits.maxMaxTtlSeconds]
    ];
    for (const [field, value, limit] of fields) {
      const seconds = (0, import_durations.vaultTtlSeconds)(value);
      if (!seconds)
        report(
          `${field} is ${value ?? "unset"}: the lease falls back to the mount's TTL; set at most ${limit}s.`
        );
      else if (seconds > limit)
        report(`${field} is ${seconds}s; ${limits.environment} allows at most ${limit}s.`);
    }
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultDatabaseLimitRoleTtl
});
