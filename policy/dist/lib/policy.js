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
var policy_exports = {};
__export(policy_exports, {
  PACK_ENFORCEMENT_LEVEL: () => PACK_ENFORCEMENT_LEVEL,
  reportAdvisory: () => reportAdvisory,
  typeToken: () => typeToken,
  validateResourceOfToken: () => validateResourceOfToken
});
module.exports = __toCommonJS(policy_exports);
function validateResourceOfToken(type, validate) {
  const fn = (args, report) => {
    if (args.type === type) return validate(args.props, args, report);
  };
  return Object.assign(fn, { __pulumiType: type });
}
const PACK_ENFORCEMENT_LEVEL = "mandatory";
function typeToken(resourceClass) {
  const token = resourceClass.__pulumiType;
  if (typeof token !== "string") throw new Error("not a Pulumi SDK resource class: it has no __pulumiType");
  return token;
}
function reportAdvisory(report, message, urn) {
  report({ message, urn, enforcementLevel: "advisory" });
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  PACK_ENFORCEMENT_LEVEL,
  reportAdvisory,
  typeToken,
  validateResourceOfToken
});
