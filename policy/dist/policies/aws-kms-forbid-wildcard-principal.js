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
var aws_kms_forbid_wildcard_principal_exports = {};
__export(aws_kms_forbid_wildcard_principal_exports, {
  awsKmsForbidWildcardPrincipal: () => awsKmsForbidWildcardPrincipal
});
module.exports = __toCommonJS(aws_kms_forbid_wildcard_principal_exports);
var aws = __toESM(require("@pulumi/aws"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
var import_iam = require("../lib/iam");
const awsKmsForbidWildcardPrincipal = {
  name: "aws-kms-forbid-wildcard-principal",
  description: 'KMS key policies must not allow Principal "*" unless a condition restricts the caller to this account or organisation.',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.RESTRICTED_LOGICAL_ACCESS,
  tags: (0, import_frameworks.controls)("pci-dss:3.6.1", "pci-dss:7.2.1"),
  remediationSteps: "Name principals explicitly (the account root for IAM delegation, operator and workload role ARNs), or add a kms:CallerAccount / aws:PrincipalAccount condition to the statement.",
  validateResource: (0, import_policy.validateResourceOfType)(aws.kms.Key, (key, _args, report) => {
    if (key.policy === void 0) return;
    const parsed = (0, import_iam.readStatements)(key.policy, "key policy", report);
    if (!parsed) return;
    for (const [i, s] of parsed.entries()) {
      if (s.effect === "Allow" && (0, import_iam.hasWildcardPrincipal)(s) && !(0, import_iam.isNarrowedByCondition)(s)) {
        report(`${(0, import_iam.statementLabel)(s, i)} allows Principal "*" on the key with no caller condition.`);
      }
    }
  })
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsKmsForbidWildcardPrincipal
});
