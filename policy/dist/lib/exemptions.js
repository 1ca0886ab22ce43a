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
var exemptions_exports = {};
__export(exemptions_exports, {
  exemptNote: () => exemptNote,
  exemptionsSchema: () => exemptionsSchema,
  readExemptions: () => readExemptions,
  reportUnlessExempt: () => reportUnlessExempt,
  unusedNote: () => unusedNote
});
module.exports = __toCommonJS(exemptions_exports);
var import_policy = require("./policy");
function exemptionsSchema(kind, description) {
  return {
    type: "array",
    default: [],
    description,
    items: {
      type: "object",
      properties: {
        [kind.key]: { type: "string", minLength: 1, description: `${capitalise(kind.exactName)}.` },
        reason: { type: "string", minLength: 1, description: "Why it is legitimate." }
      },
      required: [kind.key, "reason"],
      additionalProperties: false
    }
  };
}
const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);
function readExemptions(raw, kind, report, setting = "exemptions") {
  const byName = /* @__PURE__ */ new Map();
  if (raw === void 0) return byName;
  if (!Array.isArray(raw)) {
    report(`config \`${setting}\` is not a list: no exemption applies.`);
    return byName;
  }
  raw.forEach((entry, i) => {
    const e = typeof entry === "object" && entry !== null ? entry : {};
    const name = e[kind.key];
    const reason = e.reason;
    if (typeof name === "string" && name.trim() !== "" && typeof reason === "string" && reason.trim() !== "")
      byName.set(name, { name, reason: reason.trim() });
    else
      report(
        `config ${setting}[${i}] is ignored: it needs \`${kind.key}\` (${kind.exactName}) and a non-empty \`reason\`.`
      );
  });
  return byName;
}
const exemptNote = (e, what) => `${what}. Exempt by configuration (exemption ${JSON.stringify(e.name)}): ${e.reason}`;
const unusedNote = (name, kind) => `exemption ${JSON.stringify(name)} matched no ${kind.matches} in this stack: remove it, or check the name (an exemption matches ${kind.exactName.replace(/^an? /, "the ")}).`;
function reportUnlessExempt(report, exemptions, name, what, refusal) {
  const exemption = readExemptions(exemptions.raw, exemptions.kind, (m) => report(m), exemptions.setting).get(
    name
  );
  if (exemption) (0, import_policy.reportAdvisory)(report, exemptNote(exemption, what));
  else report(`${what}${refusal}`);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  exemptNote,
  exemptionsSchema,
  readExemptions,
  reportUnlessExempt,
  unusedNote
});
