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
var aws_escalation_exports = {};
__export(aws_escalation_exports, {
  ESCALATING_AWS_MANAGED_POLICIES: () => ESCALATING_AWS_MANAGED_POLICIES,
  ESCALATION_ACTIONS: () => ESCALATION_ACTIONS,
  PASS_ROLE: () => PASS_ROLE
});
module.exports = __toCommonJS(aws_escalation_exports);
const ESCALATION_ACTIONS = {
  "iam:PutRolePolicy": "writes a role's inline policy",
  "iam:PutUserPolicy": "writes a user's inline policy",
  "iam:PutGroupPolicy": "writes a group's inline policy",
  "iam:AttachRolePolicy": "attaches any managed policy to a role",
  "iam:AttachUserPolicy": "attaches any managed policy to a user",
  "iam:AttachGroupPolicy": "attaches any managed policy to a group",
  "iam:CreatePolicy": "creates managed policies",
  "iam:CreatePolicyVersion": "rewrites a managed policy",
  "iam:SetDefaultPolicyVersion": "switches a managed policy to another version",
  "iam:UpdateAssumeRolePolicy": "rewrites who may assume a role",
  "iam:PutRolePermissionsBoundary": "replaces a role's permissions boundary",
  "iam:PutUserPermissionsBoundary": "replaces a user's permissions boundary",
  "iam:DeleteRolePermissionsBoundary": "removes a role's permissions boundary",
  "iam:DeleteUserPermissionsBoundary": "removes a user's permissions boundary",
  "iam:AddUserToGroup": "adds a user to a group, with the group's policies",
  "iam:CreateAccessKey": "creates another user's access keys, and acts as that user",
  "iam:CreateLoginProfile": "sets another user's console password, and acts as that user",
  "iam:UpdateLoginProfile": "resets another user's console password, and acts as that user",
  "secretsmanager:PutResourcePolicy": "rewrites who may read a secret",
  "secretsmanager:DeleteResourcePolicy": "removes a secret's resource policy (and its denies)",
  "kms:PutKeyPolicy": "rewrites who may use a key",
  "kms:CreateGrant": "grants any principal the use of a key"
};
const PASS_ROLE = "iam:PassRole";
const ESCALATING_AWS_MANAGED_POLICIES = {
  AdministratorAccess: 'allows "*"',
  PowerUserAccess: "allows every action but iam:*, organizations:* and account:* (kms:PutKeyPolicy, kms:CreateGrant, secretsmanager:PutResourcePolicy included)",
  IAMFullAccess: "allows iam:*",
  SecretsManagerReadWrite: "allows secretsmanager:* (PutResourcePolicy, DeleteResourcePolicy included)",
  AWSKeyManagementServicePowerUser: "allows kms:Create*, kms:Put* (CreateGrant, PutKeyPolicy)"
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  ESCALATING_AWS_MANAGED_POLICIES,
  ESCALATION_ACTIONS,
  PASS_ROLE
});
