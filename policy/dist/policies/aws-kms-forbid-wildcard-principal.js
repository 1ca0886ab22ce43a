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
var aws_kms_forbid_wildcard_principal_exports = {};
__export(aws_kms_forbid_wildcard_principal_exports, {
  KEY_POLICY_TYPES: () => KEY_POLICY_TYPES,
  awsKmsForbidWildcardPrincipal: () => awsKmsForbidWildcardPrincipal
});
module.exports = __toCommonJS(aws_kms_forbid_wildcard_principal_exports);
var import_frameworks = require("../lib/frameworks");
var import_iam = require("../lib/iam");
var import_policy = require("../lib/policy");
const KEY_POLICY_TYPES = [
  "aws:kms/key:Key",
  "aws:kms/keyPolicy:KeyPolicy",
  "aws:kms/externalKey:ExternalKey",
  "aws:kms/replicaKey:ReplicaKey",
  "aws:kms/replicaExternalKey:ReplicaExternalKey"
];
const awsKmsForbidWildcardPrincipal = {
  name: "aws-kms-forbid-wildcard-principal",
  description: 'KMS key policies must not allow Principal "*" unless a condition restricts the caller to this account or organisation: the policy of a key, an external key, a replica key, or a separate KeyPolicy resource.',
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.RESTRICTED_LOGICAL_ACCESS,
  tags: (0, import_frameworks.controls)("pci-dss:3.6.1", "pci-dss:7.2.1"),
  remediationSteps: "Name principals explicitly (the account root for IAM delegation, operator and workload role ARNs), or add a kms:CallerAccount / aws:PrincipalAccount condition to the statement.",
  validateResource: KEY_POLICY_TYPES.map(
    (type) => (0, import_policy.validateResourceOfToken)(type, (props, _args, report) => {
      if (props.policy === void 0) return;
      const parsed = (0, import_iam.readStatements)(props.policy, "key policy", report);
      if (!parsed) return;
      for (const [i, s] of parsed.entries()) {
        if (s.effect === "Allow" && (0, import_iam.hasWildcardPrincipal)(s) && !(0, import_iam.isNarrowedByCondition)(s)) {
          report(`${(0, import_iam.statementLabel)(s, i)} allows Principal "*" on the key with no caller condition.`);
        }
      }
    })
  )
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  KEY_POLICY_TYPES,
  awsKmsForbidWildcardPrincipal
});
