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
var hcl_exports = {};
__export(hcl_exports, {
  vaultPolicyRules: () => vaultPolicyRules
});
module.exports = __toCommonJS(hcl_exports);
var import_hcl2json = require("@cdktf/hcl2json");
const cache = /* @__PURE__ */ new Map();
function vaultPolicyRules(text) {
  let rules = cache.get(text);
  if (!rules) {
    rules = (0, import_hcl2json.parse)("policy.hcl", text).then(toRules);
    cache.set(text, rules);
  }
  return rules;
}
function toRules(doc) {
  const paths = doc.path ?? {};
  return Object.entries(paths).flatMap(
    ([path, blocks]) => blocks.map((block) => ({ path, capabilities: block.capabilities ?? [] }))
  );
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultPolicyRules
});
