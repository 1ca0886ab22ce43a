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
var kubernetes_externalsecrets_limit_refresh_interval_exports = {};
__export(kubernetes_externalsecrets_limit_refresh_interval_exports, {
  kubernetesExternalsecretsLimitRefreshInterval: () => kubernetesExternalsecretsLimitRefreshInterval
});
module.exports = __toCommonJS(kubernetes_externalsecrets_limit_refresh_interval_exports);
var import_config = require("../lib/config");
var import_durations = require("../lib/durations");
var import_frameworks = require("../lib/frameworks");
var import_policy = require("../lib/policy");
var import_values = require("../lib/values");
const NAME = "kubernetes-externalsecrets-limit-refresh-interval";
const REFRESHING_TYPES = ["v1", "v1beta1", "v1alpha1"].flatMap(
  (v) => ["ExternalSecret", "ClusterExternalSecret"].flatMap(
    (k) => ["", "Patch"].map((p) => `kubernetes:external-secrets.io/${v}:${k}${p}`)
  )
);
const ESO_DEFAULT_REFRESH = "1h";
const thresholds = {
  maxRefreshSeconds: (0, import_config.integerThreshold)(
    1,
    "Longest refresh interval of an ExternalSecret, in seconds.",
    (t) => t.maxRefreshSeconds
  )
};
const kubernetesExternalsecretsLimitRefreshInterval = {
  name: NAME,
  description: "ExternalSecrets and ClusterExternalSecrets (every ESO API version, and patches that set these fields) must refresh periodically (refreshInterval not zero, refreshPolicy Periodic) and at least as often as the environment's maximum.",
  enforcementLevel: "mandatory",
  severity: "medium",
  framework: import_frameworks.PERIODIC_CREDENTIAL_CHANGE,
  tags: (0, import_frameworks.controls)("soc2:CC6.1"),
  remediationSteps: "Set `spec.refreshInterval` from the credential's TTL or rotation (at most this policy's `maxRefreshSeconds`), and leave `spec.refreshPolicy` unset or `Periodic`.",
  configSchema: (0, import_config.thresholdSchema)(thresholds),
  validateResource: REFRESHING_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (props, args, report) => {
      const patch = type.endsWith("Patch");
      const spec = type.includes(":ClusterExternalSecret") ? (0, import_values.atPath)(props, "spec.externalSecretSpec") : (0, import_values.atPath)(props, "spec");
      if (patch && (0, import_values.atPath)(spec, "refreshInterval") === void 0 && (0, import_values.atPath)(spec, "refreshPolicy") === void 0)
        return;
      const { maxRefreshSeconds, environment } = (0, import_config.resolveThresholds)(
        NAME,
        thresholds,
        args.getConfig(),
        args.urn
      );
      const policy = (0, import_values.atPath)(spec, "refreshPolicy");
      if (policy !== void 0 && policy !== "Periodic")
        report(`spec.refreshPolicy is ${String(policy)}: rotated values never reach the pod.`);
      const interval = (0, import_values.atPath)(spec, "refreshInterval") ?? ESO_DEFAULT_REFRESH;
      const seconds = typeof interval === "string" ? (0, import_durations.goDurationSeconds)(interval) : void 0;
      if (seconds === void 0)
        report(`spec.refreshInterval ${JSON.stringify(interval)} is not a duration such as "1h".`);
      else if (seconds === 0)
        report("spec.refreshInterval is zero: the secret is fetched once and never refreshed.");
      else if (seconds > maxRefreshSeconds)
        report(`spec.refreshInterval is ${interval}; ${environment} allows at most ${maxRefreshSeconds}s.`);
    })
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  kubernetesExternalsecretsLimitRefreshInterval
});
