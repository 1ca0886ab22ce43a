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
var iam_exports = {};
__export(iam_exports, {
  hasWildcardPrincipal: () => hasWildcardPrincipal,
  isNarrowedBy: () => isNarrowedBy,
  isNarrowedByCondition: () => isNarrowedByCondition,
  readStatements: () => readStatements,
  statementLabel: () => statementLabel,
  statements: () => statements
});
module.exports = __toCommonJS(iam_exports);
var import_values = require("./values");
const parsed = /* @__PURE__ */ new Map();
function statements(document) {
  if (typeof document === "string") {
    let result = parsed.get(document);
    if (!result) {
      try {
        result = normalise(JSON.parse(document));
      } catch (e) {
        result = e instanceof Error ? e : new Error(String(e));
      }
      parsed.set(document, result);
    }
    if (result instanceof Error) throw result;
    return result;
  }
  return normalise(document);
}
function normalise(doc) {
  if (!(0, import_values.isRecord)(doc)) throw new Error("policy document is not a JSON object");
  return (0, import_values.asArray)(doc.Statement).map((raw) => {
    if (!(0, import_values.isRecord)(raw)) throw new Error("a Statement is not a JSON object");
    const conditions = {};
    for (const [operator, entries] of Object.entries((0, import_values.isRecord)(raw.Condition) ? raw.Condition : {})) {
      conditions[operator] = {};
      for (const [key, values] of Object.entries((0, import_values.isRecord)(entries) ? entries : {})) {
        conditions[operator][key.toLowerCase()] = (0, import_values.asArray)(values).map(String);
      }
    }
    return {
      sid: typeof raw.Sid === "string" ? raw.Sid : void 0,
      effect: raw.Effect === "Deny" ? "Deny" : "Allow",
      actions: (0, import_values.asArray)(raw.Action ?? raw.NotAction).map(String),
      notAction: raw.NotAction !== void 0,
      resources: (0, import_values.asArray)(raw.Resource ?? raw.NotResource ?? "*").map(String),
      notResource: raw.Resource === void 0 && raw.NotResource !== void 0,
      principal: normalisePrincipal(raw.Principal),
      notPrincipal: raw.Principal === void 0 && raw.NotPrincipal !== void 0,
      conditions
    };
  });
}
function normalisePrincipal(principal) {
  if (principal === void 0) return void 0;
  if (principal === "*") return "*";
  if (!(0, import_values.isRecord)(principal)) return {};
  return Object.fromEntries(
    Object.entries(principal).map(([k, v]) => [k, (0, import_values.asArray)(v).map(String)])
  );
}
function hasWildcardPrincipal(statement) {
  if (statement.notPrincipal) return true;
  const p = statement.principal;
  if (p === "*") return true;
  return p !== void 0 && Object.values(p).some((ids) => ids.includes("*"));
}
const NARROWING_KEYS = [
  "aws:principalarn",
  "aws:principalaccount",
  "aws:principalorgid",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:calleraccount",
  "kms:calleraccount"
];
const ARN_KEYS = ["aws:principalarn", "aws:sourcearn"];
const NARROWING_OPERATORS = ["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"];
function namesCallers(key, value) {
  const fixed = ARN_KEYS.includes(key) ? value.split(":").slice(0, 5).join(":") : value;
  return value !== "" && !/[*?]/.test(fixed);
}
const exactValue = (_key, value) => value !== "" && !/[*?]/.test(value);
function isNarrowedBy(statement, keys, operators, names = exactValue) {
  return Object.entries(statement.conditions).some(
    ([operator, entries]) => operators.includes(operator) && Object.entries(entries).some(
      ([key, values]) => keys.includes(key) && values.length > 0 && values.every((v) => names(key, v))
    )
  );
}
function isNarrowedByCondition(statement) {
  return isNarrowedBy(statement, NARROWING_KEYS, NARROWING_OPERATORS, namesCallers);
}
function statementLabel(statement, index) {
  return statement.sid ? `statement "${statement.sid}"` : `statement ${index}`;
}
function readStatements(document, what, report) {
  try {
    return statements(document);
  } catch (e) {
    report(`${what} cannot be read: ${e.message}`);
    return void 0;
  }
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  hasWildcardPrincipal,
  isNarrowedBy,
  isNarrowedByCondition,
  readStatements,
  statementLabel,
  statements
});
