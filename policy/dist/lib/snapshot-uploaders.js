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
var snapshot_uploaders_exports = {};
__export(snapshot_uploaders_exports, {
  snapshotServiceAccounts: () => snapshotServiceAccounts
});
module.exports = __toCommonJS(snapshot_uploaders_exports);
var import_vault_helm = require("./vault-helm");
var import_values = require("./values");
const SAVES_SNAPSHOTS = /\braft\s+snapshot\s+save\b/;
function snapshotServiceAccounts(g) {
  const accounts = /* @__PURE__ */ new Set();
  for (const type of import_vault_helm.WORKLOAD_TYPES)
    for (const w of g.ofType(type)) {
      const props = { metadata: g.read(w, "metadata"), spec: g.read(w, "spec") };
      const pod = (0, import_vault_helm.podSpecOf)(type, props);
      if (!(0, import_values.isRecord)(pod)) continue;
      const containers = [pod.initContainers, pod.containers].flatMap((c) => Array.isArray(c) ? c : []);
      const saves = containers.some(
        (c) => (0, import_values.isRecord)(c) && SAVES_SNAPSHOTS.test(
          [c.command, c.args].flatMap((x) => Array.isArray(x) ? x.map(String) : []).join(" ")
        )
      );
      if (!saves) continue;
      const ns = String((0, import_values.atPath)(props, "metadata.namespace") ?? "default");
      accounts.add(`${ns}/${String(pod.serviceAccountName ?? pod.serviceAccount ?? "default")}`);
    }
  return accounts;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  snapshotServiceAccounts
});
