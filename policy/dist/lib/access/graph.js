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
var graph_exports = {};
__export(graph_exports, {
  AccessGraph: () => AccessGraph,
  addAll: () => addAll,
  globMatch: () => globMatch,
  hasWildcard: () => hasWildcard
});
module.exports = __toCommonJS(graph_exports);
var import_policy = require("@pulumi/policy");
class AccessGraph {
  byType = /* @__PURE__ */ new Map();
  /** The first value found unknown: the policy rethrows it at the end (the engine's advisory). */
  unknown;
  constructor(resources) {
    for (const r of resources) {
      const list = this.byType.get(r.type);
      if (list) list.push(r);
      else this.byType.set(r.type, [r]);
    }
  }
  ofType(type) {
    return this.byType.get(type) ?? [];
  }
  /**
   * A prop with every nested value known (plain JSON), or undefined when absent or when any
   * part of it is unknown during preview; the first unknown is kept for the policy to report.
   */
  read(resource, key) {
    try {
      return plain(resource.props[key]);
    } catch (e) {
      if (!(e instanceof import_policy.UnknownValueError)) throw e;
      this.unknown ??= e;
      return void 0;
    }
  }
  /** A string prop, or undefined (absent, unknown, or not a string). */
  text(resource, key) {
    const value = this.read(resource, key);
    return typeof value === "string" ? value : void 0;
  }
  /** A map prop such as `tags`/`labels`, or an empty map. */
  record(resource, key) {
    const value = this.read(resource, key);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
  }
}
function plain(value) {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
const globs = /* @__PURE__ */ new Map();
function globMatch(pattern, value, ignoreCase = false) {
  const key = `${ignoreCase ? "i" : "s"}${pattern}`;
  let re = globs.get(key);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, ignoreCase ? "i" : "");
    globs.set(key, re);
  }
  return re.test(value);
}
const hasWildcard = (pattern) => /[*?]/.test(pattern);
function addAll(map, key, ...values) {
  const set = map.get(key);
  if (set) for (const v of values) set.add(v);
  else map.set(key, new Set(values));
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  AccessGraph,
  addAll,
  globMatch,
  hasWildcard
});
