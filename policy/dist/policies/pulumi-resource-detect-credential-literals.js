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
var pulumi_resource_detect_credential_literals_exports = {};
__export(pulumi_resource_detect_credential_literals_exports, {
  pulumiResourceDetectCredentialLiterals: () => pulumiResourceDetectCredentialLiterals
});
module.exports = __toCommonJS(pulumi_resource_detect_credential_literals_exports);
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
const CREDENTIAL_PATTERNS = [
  ["AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["private key", /-----BEGIN (RSA |EC |OPENSSH |DSA |ENCRYPTED )?PRIVATE KEY-----/],
  ["GitHub token", /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{60,}\b/],
  ["Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/],
  ["Stripe secret key", /\b(sk|rk)_live_[A-Za-z0-9]{20,}\b/],
  ["Google API key", /\bAIza[0-9A-Za-z_-]{35}\b/],
  ["Vault token", /\bhv[sbr]\.[A-Za-z0-9_-]{24,}\b/],
  ["SendGrid API key", /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/],
  // Vault's connection-URL templates (`{{username}}:{{password}}`) are placeholders, not literals.
  ["password in a URL", /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:@/]+:(?!\{\{)[^\s@/]{3,}@/]
];
const ANY = new RegExp(CREDENTIAL_PATTERNS.map(([, re]) => `(?:${re.source})`).join("|"));
const MAX_DEPTH = 32;
function findLiterals(value, path, depth, found) {
  if (typeof value === "string") {
    if (ANY.test(value)) {
      const kind = CREDENTIAL_PATTERNS.find(([, re]) => re.test(value))[0];
      found.push(`${path || "(value)"} looks like a ${kind}`);
    }
  } else if (depth < MAX_DEPTH && typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      let child;
      try {
        child = value[key];
      } catch (e) {
        if (e instanceof import_policy.UnknownValueError) continue;
        throw e;
      }
      findLiterals(child, path ? `${path}.${key}` : key, depth + 1, found);
    }
  }
}
const validate = (args, report) => {
  const found = [];
  findLiterals(args.props, "", 0, found);
  for (const finding of found)
    report(`${finding}: move it to a secret backend or \`pulumi config set --secret\`.`);
};
const pulumiResourceDetectCredentialLiterals = {
  name: "pulumi-resource-detect-credential-literals",
  description: "Flags resource inputs that look like credentials (access keys, tokens, private keys, passwords in URLs): literals in the program end up in the repository and in state.",
  enforcementLevel: "advisory",
  severity: "high",
  framework: (0, import_frameworks.pciDss)(
    "8.6.2",
    "Passwords/passphrases for application and system accounts are not hard coded in scripts or configuration files."
  ),
  tags: (0, import_frameworks.controls)("soc2:CC6.1"),
  remediationSteps: "Keep the value in a secret backend (the catalog wires it through ESO) or in stack config as a secret; pass `pulumi.secret(...)` outputs, never literals.",
  validateResource: validate
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  pulumiResourceDetectCredentialLiterals
});
