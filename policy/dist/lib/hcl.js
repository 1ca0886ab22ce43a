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
  blocksOf: () => blocksOf,
  parseVaultDocument: () => parseVaultDocument,
  valuesOf: () => valuesOf,
  vaultPolicyRules: () => vaultPolicyRules
});
module.exports = __toCommonJS(hcl_exports);
var import_hcl2json = require("@cdktf/hcl2json");
var import_values = require("./values");
const LEGACY_POLICY = {
  deny: ["deny"],
  read: ["read", "list"],
  write: ["create", "read", "update", "delete", "list"],
  sudo: ["create", "read", "update", "delete", "list", "sudo"]
};
const cache = /* @__PURE__ */ new Map();
async function vaultPolicyRules(text) {
  return toRules(await parseVaultDocument(text));
}
function parseVaultDocument(text) {
  let doc = cache.get(text);
  if (!doc) {
    doc = parseDocument(text);
    cache.set(text, doc);
  }
  return doc;
}
async function parseDocument(text) {
  if (text.trimStart().startsWith("{")) {
    try {
      const json = JSON.parse(text);
      if ((0, import_values.isRecord)(json)) return json;
    } catch {
    }
  }
  return (0, import_hcl2json.parse)("policy.hcl", text);
}
function valuesOf(record, key) {
  return Object.entries(record).filter(([k]) => k.toLowerCase() === key).map(([, v]) => v);
}
function blocksOf(value) {
  if (Array.isArray(value)) return value.filter(import_values.isRecord);
  return (0, import_values.isRecord)(value) ? [value] : [];
}
function strings(value) {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.map(String) : [];
}
function toRules(doc) {
  const rules = [];
  for (const pathsValue of valuesOf(doc, "path")) {
    for (const paths of blocksOf(pathsValue)) {
      for (const [path, blocks] of Object.entries(paths)) {
        for (const block of blocksOf(blocks)) {
          const capabilities = valuesOf(block, "capabilities").flatMap(strings);
          for (const legacy of valuesOf(block, "policy").flatMap(strings))
            capabilities.push(...LEGACY_POLICY[legacy.toLowerCase()] ?? [legacy]);
          rules.push({
            path: path.startsWith("/") ? path.slice(1) : path,
            capabilities: capabilities.map((c) => c.toLowerCase())
          });
        }
      }
    }
  }
  return rules;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  blocksOf,
  parseVaultDocument,
  valuesOf,
  vaultPolicyRules
});
