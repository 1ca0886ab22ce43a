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
var values_exports = {};
__export(values_exports, {
  REDACTED: () => REDACTED,
  asArray: () => asArray,
  atPath: () => atPath,
  isRecord: () => isRecord,
  isRedacted: () => isRedacted,
  redactedMessage: () => redactedMessage
});
module.exports = __toCommonJS(values_exports);
function asArray(value) {
  if (value === void 0 || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function atPath(value, path) {
  let current = value;
  for (const key of path.split(".")) {
    if (!isRecord(current)) return void 0;
    current = current[key];
  }
  return current;
}
const REDACTED = "[secret]";
function isRedacted(value) {
  return value === REDACTED;
}
function redactedMessage(field, needed) {
  return `${field} is a secret this analysis cannot decrypt ("${REDACTED}"), so ${needed} cannot be verified; mark only the sensitive value secret, or analyze with the stack's secrets provider.`;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  REDACTED,
  asArray,
  atPath,
  isRecord,
  isRedacted,
  redactedMessage
});
