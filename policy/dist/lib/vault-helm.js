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
var vault_helm_exports = {};
__export(vault_helm_exports, {
  validateVaultHelmValues: () => validateVaultHelmValues
});
module.exports = __toCommonJS(vault_helm_exports);
var k8s = __toESM(require("@pulumi/kubernetes"));
var import_policy = require("@pulumi/policy");
var import_values = require("./values");
const VAULT_CHART = /(^|\/)vault$/;
function validateVaultHelmValues(validate) {
  return (0, import_policy.validateResourceOfType)(k8s.helm.v3.Release, (release, args, report) => {
    if (!VAULT_CHART.test(release.chart)) return;
    validate((0, import_values.isRecord)(release.values) ? release.values : {}, args, report);
  });
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  validateVaultHelmValues
});
