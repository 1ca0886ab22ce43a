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
var config_exports = {};
__export(config_exports, {
  environmentProperty: () => environmentProperty,
  integerThreshold: () => integerThreshold,
  resolveEnvironment: () => resolveEnvironment,
  resolveThresholds: () => resolveThresholds,
  thresholdSchema: () => thresholdSchema
});
module.exports = __toCommonJS(config_exports);
var import_thresholds = require("./thresholds");
function resolveEnvironment(config, urn) {
  if (config.environment !== void 0) return config.environment;
  const stack = urn?.startsWith("urn:pulumi:") ? urn.slice("urn:pulumi:".length).split("::", 1)[0] : void 0;
  return (0, import_thresholds.isEnvironment)(stack) ? stack : import_thresholds.FALLBACK_ENVIRONMENT;
}
const environmentProperty = {
  type: "string",
  enum: [...import_thresholds.ENVIRONMENTS],
  description: "Environment whose limits the thresholds default to; when unset, the stack name if it is dev, staging or prod, else prod (the strictest)."
};
const integerThreshold = (minimum, description, byEnvironment) => ({ schema: { type: "integer", minimum, description }, byEnvironment });
function thresholdSchema(thresholds) {
  const properties = { environment: environmentProperty };
  for (const [key, t] of Object.entries(thresholds)) {
    const defaults = import_thresholds.ENVIRONMENTS.map((env) => `${env} ${String(t.byEnvironment(import_thresholds.THRESHOLDS[env]))}`).join(
      ", "
    );
    properties[key] = {
      ...t.schema,
      description: `${t.schema.description} Default per environment: ${defaults}.`
    };
  }
  return { properties };
}
const resolvedCache = /* @__PURE__ */ new WeakMap();
function resolveThresholds(policyName, thresholds, config, urn) {
  const environment = resolveEnvironment(config, urn);
  let byPolicy = resolvedCache.get(config);
  if (!byPolicy) resolvedCache.set(config, byPolicy = /* @__PURE__ */ new Map());
  let byEnv = byPolicy.get(policyName);
  if (!byEnv) byPolicy.set(policyName, byEnv = /* @__PURE__ */ new Map());
  const cached = byEnv.get(environment);
  if (cached) return cached;
  const limits = import_thresholds.THRESHOLDS[environment];
  const resolved = { environment };
  for (const [key, t] of Object.entries(thresholds)) {
    resolved[key] = config[key] ?? t.byEnvironment(limits);
  }
  byEnv.set(environment, resolved);
  return resolved;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  environmentProperty,
  integerThreshold,
  resolveEnvironment,
  resolveThresholds,
  thresholdSchema
});
