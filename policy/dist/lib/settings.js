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
var settings_exports = {};
__export(settings_exports, {
  unknownSettingMessage: () => unknownSettingMessage,
  unknownSettings: () => unknownSettings,
  withSettingsCheck: () => withSettingsCheck
});
module.exports = __toCommonJS(settings_exports);
const ENGINE_KEYS = /* @__PURE__ */ new Set(["enforcementLevel"]);
function unknownSettings(policy, config) {
  if (typeof config !== "object" || config === null) return [];
  const known = new Set(Object.keys(policy.configSchema?.properties ?? {}));
  return Object.keys(config).filter((key) => !known.has(key) && !ENGINE_KEYS.has(key)).sort();
}
function unknownSettingMessage(policy, key) {
  const known = Object.keys(policy.configSchema?.properties ?? {}).sort();
  return `policy config \`${policy.name}.${key}\` is not a setting of this policy, so it is ignored (${known.length === 0 ? "it has no settings" : `its settings: ${known.join(", ")}`}): fix or remove it.`;
}
function reportUnknown(policy, args, report) {
  for (const key of unknownSettings(policy, args.getConfig())) report(unknownSettingMessage(policy, key));
}
function wrapResource(policy, validation) {
  const wrapped = (args, report) => {
    reportUnknown(policy, args, report);
    return validation(args, report);
  };
  const type = validation.__pulumiType;
  return type === void 0 ? wrapped : Object.assign(wrapped, { __pulumiType: type });
}
function withSettingsCheck(policy) {
  if ("validateStack" in policy && policy.validateStack) {
    const validateStack = policy.validateStack;
    return {
      ...policy,
      validateStack: (args, report) => {
        reportUnknown(policy, args, report);
        return validateStack(args, report);
      }
    };
  }
  if ("validateResource" in policy && policy.validateResource) {
    const v = policy.validateResource;
    return {
      ...policy,
      validateResource: Array.isArray(v) ? v.map((x) => wrapResource(policy, x)) : wrapResource(policy, v)
    };
  }
  return policy;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  unknownSettingMessage,
  unknownSettings,
  withSettingsCheck
});
