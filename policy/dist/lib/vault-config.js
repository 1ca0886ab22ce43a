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
var vault_config_exports = {};
__export(vault_config_exports, {
  CONFIG_DATA_FIELDS: () => CONFIG_DATA_FIELDS,
  dataValues: () => dataValues,
  plainHttpFindings: () => plainHttpFindings,
  readVaultConfig: () => readVaultConfig,
  typedBlocks: () => typedBlocks,
  vaultTrue: () => vaultTrue
});
module.exports = __toCommonJS(vault_config_exports);
var import_hcl = require("./hcl");
var import_values = require("./values");
const SERVER_STANZAS = [
  "storage",
  "backend",
  "ha_storage",
  "ha_backend",
  "seal",
  "api_addr",
  "cluster_addr",
  "ui",
  "service_registration",
  "plugin_directory",
  "default_lease_ttl",
  "max_lease_ttl",
  "raw_storage_endpoint",
  "disable_clustering"
];
const AGENT_STANZAS = [
  "auto_auth",
  "cache",
  "api_proxy",
  "template",
  "template_config",
  "vault",
  "exec",
  "env_template"
];
const BOUNDARY_STANZAS = ["controller", "worker"];
function vaultTrue(value) {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  return typeof value === "string" && ["1", "t", "T", "true", "TRUE", "True"].includes(value);
}
function loopback(address) {
  const host = address.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return host === "" || host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
const LISTENER_STANZA = /(^|[\s{,[])"?listener"?\s*(("[^"\n]*"|[\w-]+)\s*)?[{:=]/i;
function typedBlocks(doc, stanza) {
  const found = [];
  const typed = (body, label) => {
    const type = (0, import_hcl.valuesOf)(body, "type").find((t) => typeof t === "string");
    found.push({ type: String(type ?? label).toLowerCase(), body });
  };
  for (const value of (0, import_hcl.valuesOf)(doc, stanza))
    for (const block of (0, import_hcl.blocksOf)(value)) {
      const isBody = Object.values(block).some((v) => (0, import_hcl.blocksOf)(v).length === 0);
      if (isBody) typed(block, "");
      else
        for (const [label, inner] of Object.entries(block))
          for (const body of (0, import_hcl.blocksOf)(inner)) typed(body, label);
    }
  return found;
}
const has = (doc, stanzas) => stanzas.some((s) => (0, import_hcl.valuesOf)(doc, s).length > 0);
async function readVaultConfig(value) {
  let doc;
  if ((0, import_values.isRecord)(value)) doc = value;
  else if (typeof value !== "string") return { kind: "none" };
  else
    try {
      doc = await (0, import_hcl.parseVaultDocument)(value);
    } catch {
      return LISTENER_STANZA.test(value) ? { kind: "unparsed" } : { kind: "none" };
    }
  const all = typedBlocks(doc, "listener");
  if (all.length === 0) return { kind: "none" };
  const server = has(doc, SERVER_STANZAS);
  if (!server && has(doc, BOUNDARY_STANZAS)) return { kind: "none" };
  const agent = !server && has(doc, AGENT_STANZAS);
  const plain = [];
  for (const { type, body } of all) {
    if (type !== "tcp") continue;
    const setting = (0, import_hcl.valuesOf)(body, "tls_disable").find(vaultTrue);
    if (setting === void 0) continue;
    const address = (0, import_hcl.valuesOf)(body, "address").find((a) => typeof a === "string");
    if (agent && loopback(address ?? "")) continue;
    plain.push({ address: address ?? "127.0.0.1:8200", setting });
  }
  return { kind: "config", plain };
}
async function plainHttpFindings(value) {
  const reading = await readVaultConfig(value);
  if (reading.kind === "unparsed")
    return [
      "has a `listener` stanza but does not parse as Vault configuration, so that it serves TLS cannot be verified"
    ];
  if (reading.kind === "none") return [];
  return reading.plain.map(
    (l) => `sets tls_disable = ${JSON.stringify(l.setting)} on the tcp listener at ${l.address}: Vault listens in plain HTTP`
  );
}
const CONFIG_DATA_FIELDS = {
  "kubernetes:core/v1:ConfigMap": { text: ["data"], base64: ["binaryData"] },
  "kubernetes:core/v1:ConfigMapPatch": { text: ["data"], base64: ["binaryData"] },
  "kubernetes:core/v1:Secret": { text: ["stringData"], base64: ["data"] },
  "kubernetes:core/v1:SecretPatch": { text: ["stringData"], base64: ["data"] }
};
function dataValues(type, props) {
  const fields = CONFIG_DATA_FIELDS[type];
  const found = [];
  for (const [field, decode] of [
    ...fields.text.map((f) => [f, false]),
    ...fields.base64.map((f) => [f, true])
  ]) {
    const values = props[field];
    if (!(0, import_values.isRecord)(values)) continue;
    for (const [key, value] of Object.entries(values)) {
      if (typeof value !== "string" || (0, import_values.isRedacted)(value)) continue;
      found.push({
        where: `${field}.${key}`,
        text: decode ? Buffer.from(value, "base64").toString("utf8") : value
      });
    }
  }
  return found;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  CONFIG_DATA_FIELDS,
  dataValues,
  plainHttpFindings,
  readVaultConfig,
  typedBlocks,
  vaultTrue
});
