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
var vault_helm_exports = {};
__export(vault_helm_exports, {
  HELM_TYPES: () => HELM_TYPES,
  WORKLOAD_TYPES: () => WORKLOAD_TYPES,
  chartName: () => chartName,
  chartServerConfig: () => chartServerConfig,
  isVaultImage: () => isVaultImage,
  podSpecOf: () => podSpecOf,
  runsDevServer: () => runsDevServer,
  validateVaultContainers: () => validateVaultContainers,
  validateVaultHelmValues: () => validateVaultHelmValues,
  workloadKind: () => workloadKind
});
module.exports = __toCommonJS(vault_helm_exports);
var import_policy = require("./policy");
var import_values = require("./values");
const HELM_TYPES = [
  "kubernetes:helm.sh/v3:Release",
  "kubernetes:helm.sh/v4:Chart",
  "kubernetes:helm.sh/v3:Chart"
];
const POD_SPEC_AT = {
  Pod: "spec",
  Deployment: "spec.template.spec",
  StatefulSet: "spec.template.spec",
  DaemonSet: "spec.template.spec",
  ReplicaSet: "spec.template.spec",
  ReplicationController: "spec.template.spec",
  Job: "spec.template.spec",
  CronJob: "spec.jobTemplate.spec.template.spec"
};
const WORKLOAD_TYPES = [
  "apps/v1:DaemonSet",
  "apps/v1:Deployment",
  "apps/v1:ReplicaSet",
  "apps/v1:StatefulSet",
  "apps/v1beta1:Deployment",
  "apps/v1beta1:StatefulSet",
  "apps/v1beta2:DaemonSet",
  "apps/v1beta2:Deployment",
  "apps/v1beta2:ReplicaSet",
  "apps/v1beta2:StatefulSet",
  "batch/v1:CronJob",
  "batch/v1:Job",
  "batch/v1beta1:CronJob",
  "batch/v2alpha1:CronJob",
  "core/v1:Pod",
  "core/v1:ReplicationController",
  "extensions/v1beta1:DaemonSet",
  "extensions/v1beta1:Deployment",
  "extensions/v1beta1:ReplicaSet"
].flatMap((t) => [`kubernetes:${t}`, `kubernetes:${t}Patch`]);
function chartName(reference) {
  const last = reference.replace(/\/+$/, "").split(/[/:]/).pop() ?? "";
  return last.replace(/\.tgz$/, "").replace(/-\d+\.\d+\.\d+([-+][\w.]+)?$/, "").replace(/@.*$/, "");
}
function isVaultImage(image) {
  const repository = image.split("@")[0].replace(/:[^/:]+$/, "");
  return /(^|\/)vault(-enterprise)?$/.test(repository);
}
function configuresVaultServer(values) {
  const server = values.server;
  if (!(0, import_values.isRecord)(server)) return false;
  const image = (0, import_values.atPath)(server, "image.repository");
  return "dev" in server || "ha" in server || "standalone" in server || typeof image === "string" && isVaultImage(image);
}
const prop = (props, key) => props[key];
function validateVaultHelmValues(validate) {
  return HELM_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (props, args, report) => {
      const values = prop(props, "values");
      const chart = prop(props, "chart");
      const plain = (0, import_values.isRecord)(values) ? values : {};
      const named = typeof chart === "string" && chartName(chart) === "vault";
      if (!named && !configuresVaultServer(plain)) return;
      return validate(plain, args, report);
    })
  );
}
function chartServerConfig(values) {
  const path = (0, import_values.atPath)(values, "server.ha.enabled") === true ? (0, import_values.atPath)(values, "server.ha.raft.enabled") === true ? "server.ha.raft.config" : "server.ha.config" : "server.standalone.config";
  return { path, value: (0, import_values.atPath)(values, path) };
}
function workloadKind(type) {
  const kindWithPatch = type.split(":")[2] ?? "";
  const patch = kindWithPatch.endsWith("Patch");
  return { kind: patch ? kindWithPatch.slice(0, -"Patch".length) : kindWithPatch, patch };
}
function podSpecOf(type, props) {
  return (0, import_values.atPath)(props, POD_SPEC_AT[workloadKind(type).kind] ?? "spec");
}
function containersOf(type, props) {
  const { kind, patch } = workloadKind(type);
  const podSpec = podSpecOf(type, props);
  const containers = (0, import_values.isRecord)(podSpec) && Array.isArray(podSpec.containers) ? podSpec.containers : [];
  const found = [];
  for (const c of containers) {
    if (!(0, import_values.isRecord)(c) || typeof c.image !== "string" || !isVaultImage(c.image)) continue;
    const parts = [c.command, c.args].flatMap((x) => Array.isArray(x) ? x.map(String) : []);
    const commandLine = parts.length > 0 ? parts.join(" ") : void 0;
    if (commandLine !== void 0 && /(^|[\s;&|])(vault\s+)?(agent|proxy)(\s|$)/.test(commandLine) && !/\bserver\b/.test(commandLine))
      continue;
    const env = /* @__PURE__ */ new Map();
    for (const e of Array.isArray(c.env) ? c.env : [])
      if ((0, import_values.isRecord)(e) && typeof e.name === "string") env.set(e.name, e.value);
    found.push({
      kind,
      patch,
      name: String(c.name ?? "?"),
      image: c.image,
      commandLine,
      env,
      replicas: (0, import_values.atPath)(props, "spec.replicas"),
      label: `container ${JSON.stringify(String(c.name ?? "?"))} (${c.image})`
    });
  }
  return found;
}
function validateVaultContainers(validate) {
  return WORKLOAD_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, async (props, args, report) => {
      for (const container of containersOf(type, props)) await validate(container, args, report);
    })
  );
}
function runsDevServer(c) {
  if (c.env.has("VAULT_DEV_ROOT_TOKEN_ID") || c.env.has("VAULT_DEV_LISTEN_ADDRESS")) return true;
  if (c.commandLine === void 0) return !c.patch;
  return /(^|\s)--?dev(\s|=|-|$)/.test(c.commandLine);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  HELM_TYPES,
  WORKLOAD_TYPES,
  chartName,
  chartServerConfig,
  isVaultImage,
  podSpecOf,
  runsDevServer,
  validateVaultContainers,
  validateVaultHelmValues,
  workloadKind
});
