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
var aws_iam_sources_exports = {};
__export(aws_iam_sources_exports, {
  BROAD_AWS_MANAGED_POLICIES: () => BROAD_AWS_MANAGED_POLICIES,
  IDENTITY_POLICY_DOCUMENTS: () => IDENTITY_POLICY_DOCUMENTS,
  KNOWN_SAFE_AWS_MANAGED_POLICIES: () => KNOWN_SAFE_AWS_MANAGED_POLICIES,
  MANAGED_POLICY_ARNS: () => MANAGED_POLICY_ARNS,
  awsManagedPolicy: () => awsManagedPolicy
});
module.exports = __toCommonJS(aws_iam_sources_exports);
var import_values = require("./values");
const field = (name) => (props) => props[name] === void 0 ? [] : [{ field: name, document: props[name] }];
const IDENTITY_POLICY_DOCUMENTS = {
  "aws:iam/policy:Policy": field("policy"),
  "aws:iam/rolePolicy:RolePolicy": field("policy"),
  "aws:iam/userPolicy:UserPolicy": field("policy"),
  "aws:iam/groupPolicy:GroupPolicy": field("policy"),
  "aws:iam/role:Role": (props) => {
    const inline = props.inlinePolicies;
    return (Array.isArray(inline) ? inline : []).flatMap(
      (p, i) => (0, import_values.isRecord)(p) && p.policy !== void 0 ? [{ field: `inlinePolicies[${i}].policy`, document: p.policy }] : []
    );
  },
  // IAM Identity Center: the inline policy of a permission set, granted to every user assigned it.
  "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": field("inlinePolicy")
};
const MANAGED_POLICY_ARNS = {
  "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
  "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
  "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns",
  "aws:iam/role:Role": "managedPolicyArns",
  "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": "managedPolicyArn",
  "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive": "managedPolicyArns",
  // QuickSight: an IAM policy assigned to QuickSight users and groups.
  "aws:quicksight/iamPolicyAssignment:IamPolicyAssignment": "policyArn"
};
const BROAD_AWS_MANAGED_POLICIES = {
  AdministratorAccess: 'allows "*" on Resource "*"',
  PowerUserAccess: 'allows NotAction [iam:*, organizations:*, account:*] on Resource "*", Secrets Manager, KMS and SSM included',
  SecretsManagerReadWrite: 'allows secretsmanager:* on Resource "*"',
  AmazonSSMFullAccess: 'allows ssm:* on Resource "*"',
  AmazonSSMReadOnlyAccess: 'allows ssm:Get* (parameter values) on Resource "*"',
  AmazonSSMManagedInstanceCore: 'allows ssm:GetParameter and ssm:GetParameters on Resource "*"'
};
const KNOWN_SAFE_AWS_MANAGED_POLICIES = {
  "service-role/AWSLambdaBasicExecutionRole": "logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents",
  "service-role/AWSLambdaVPCAccessExecutionRole": "logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents, ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DescribeSubnets, ec2:DeleteNetworkInterface, ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses",
  AmazonEKSWorkerNodePolicy: "ec2:DescribeInstances, ec2:DescribeInstanceTypes, ec2:DescribeRouteTables, ec2:DescribeSecurityGroups, ec2:DescribeSubnets, ec2:DescribeVolumes, ec2:DescribeVolumesModifications, ec2:DescribeVpcs, eks:DescribeCluster, eks-auth:AssumeRoleForPodIdentity"
};
function awsManagedPolicy(arn) {
  const id = /^arn:[^:]*:iam::aws:policy\/(.*)$/s.exec(arn)?.[1];
  return id === void 0 ? void 0 : { id, name: id.slice(id.lastIndexOf("/") + 1) };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  BROAD_AWS_MANAGED_POLICIES,
  IDENTITY_POLICY_DOCUMENTS,
  KNOWN_SAFE_AWS_MANAGED_POLICIES,
  MANAGED_POLICY_ARNS,
  awsManagedPolicy
});
