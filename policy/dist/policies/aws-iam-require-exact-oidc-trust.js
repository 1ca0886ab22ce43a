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
var aws_iam_require_exact_oidc_trust_exports = {};
__export(aws_iam_require_exact_oidc_trust_exports, {
  awsIamRequireExactOidcTrust: () => awsIamRequireExactOidcTrust
});
module.exports = __toCommonJS(aws_iam_require_exact_oidc_trust_exports);
var aws = __toESM(require("@pulumi/aws"));
var import_policy = require("@pulumi/policy");
var import_graph = require("../lib/access/graph");
var import_frameworks = require("../lib/frameworks");
var import_iam = require("../lib/iam");
const NAME = "aws-iam-require-exact-oidc-trust";
function exactClaim(statement, claim) {
  const equals = statement.conditions["StringEquals"] ?? {};
  const entry = Object.entries(equals).find(([key]) => key.endsWith(`:${claim}`));
  if (!entry || entry[1].length === 0 || entry[1].some((v) => v.includes("*") || v.includes("?")))
    return void 0;
  return entry[1];
}
const awsIamRequireExactOidcTrust = {
  name: NAME,
  description: "Roles assumed with web identity (IRSA, GitHub OIDC) must pin the token's `sub` and `aud` with StringEquals, without wildcards: every Allow statement of the trust policy that grants `sts:AssumeRoleWithWebIdentity` (by name or any wildcard matching it, or a NotAction that does not exclude it) or names a Federated principal. A Deny or another condition operator never stands in for the pin.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.RESTRICTED_LOGICAL_ACCESS,
  tags: (0, import_frameworks.controls)("pci-dss:8.2.2", "pci-dss:7.2.1"),
  remediationSteps: 'In the trust policy add `"StringEquals": { "<issuer>:sub": "system:serviceaccount:<namespace>:<service-account>", "<issuer>:aud": "sts.amazonaws.com" }`; never StringLike or `*` in either claim.',
  validateResource: (0, import_policy.validateResourceOfType)(aws.iam.Role, (role, _args, report) => {
    const trust = (0, import_iam.readStatements)(role.assumeRolePolicy, "assumeRolePolicy", report);
    if (!trust) return;
    for (const [i, s] of trust.entries()) {
      const listed = s.actions.some((a) => (0, import_graph.globMatch)(a, "sts:AssumeRoleWithWebIdentity", true));
      const webIdentity = s.effect === "Allow" && (s.notAction ? !listed : listed);
      const federated = s.principal !== void 0 && s.principal !== "*" && (s.principal.Federated ?? []).length > 0;
      if (!webIdentity && !federated) continue;
      const where = (0, import_iam.statementLabel)(s, i);
      for (const claim of ["sub", "aud"]) {
        if (!exactClaim(s, claim))
          report(`${where} trusts an OIDC provider without an exact StringEquals on \`${claim}\`.`);
      }
    }
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsIamRequireExactOidcTrust
});
