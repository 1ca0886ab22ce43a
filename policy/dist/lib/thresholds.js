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
var thresholds_exports = {};
__export(thresholds_exports, {
  ENVIRONMENTS: () => ENVIRONMENTS,
  FALLBACK_ENVIRONMENT: () => FALLBACK_ENVIRONMENT,
  THRESHOLDS: () => THRESHOLDS,
  isEnvironment: () => isEnvironment
});
module.exports = __toCommonJS(thresholds_exports);
const ENVIRONMENTS = ["dev", "staging", "prod"];
const HOUR = 3600;
const THRESHOLDS = {
  dev: {
    dynamicCredentialTtlSeconds: 8 * HOUR,
    dynamicCredentialMaxTtlSeconds: 24 * HOUR,
    maxRotationDays: 90,
    recoveryWindowDays: 7,
    keyRotationDays: 365,
    secretExpiryDays: 180,
    maxRefreshSeconds: 24 * HOUR,
    vaultMinReplicas: 1,
    protect: false,
    customerManagedKeys: false,
    gcpRotation: false
  },
  staging: {
    dynamicCredentialTtlSeconds: 4 * HOUR,
    dynamicCredentialMaxTtlSeconds: 12 * HOUR,
    maxRotationDays: 30,
    recoveryWindowDays: 14,
    keyRotationDays: 180,
    secretExpiryDays: 90,
    maxRefreshSeconds: 6 * HOUR,
    vaultMinReplicas: 3,
    protect: false,
    customerManagedKeys: false,
    gcpRotation: false
  },
  prod: {
    dynamicCredentialTtlSeconds: 1 * HOUR,
    dynamicCredentialMaxTtlSeconds: 4 * HOUR,
    maxRotationDays: 7,
    recoveryWindowDays: 30,
    keyRotationDays: 90,
    secretExpiryDays: 30,
    maxRefreshSeconds: 1 * HOUR,
    vaultMinReplicas: 3,
    protect: true,
    customerManagedKeys: true,
    gcpRotation: true
  }
};
const FALLBACK_ENVIRONMENT = "prod";
const isEnvironment = (value) => ENVIRONMENTS.includes(value);
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  ENVIRONMENTS,
  FALLBACK_ENVIRONMENT,
  THRESHOLDS,
  isEnvironment
});
