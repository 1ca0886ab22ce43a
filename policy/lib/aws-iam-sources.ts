/**
 * Where the aws provider (7.48) lets a program give IAM principals permissions, by resource
 * type and field: identity policy documents written inline, and managed policies attached by
 * ARN. Derived from the SDK: `test/policy/sdk-resource-types.test.ts` lists every resource
 * with an input named `policy`, `inlinePolicy`, `inlinePolicies`, `policyArn(s)`,
 * `managedPolicyArn(s)` and fails when one is not classified here or there (resource policies
 * of other services, session policies that can only narrow a role, non-IAM documents).
 */
import { isRecord } from "./values";

/** A policy document found in a resource's inputs, and where. */
export interface DocumentSource {
  readonly field: string;
  readonly document: unknown;
}

type Props = Record<string, unknown>;
const field =
  (name: string) =>
  (props: Props): DocumentSource[] =>
    props[name] === undefined ? [] : [{ field: name, document: props[name] }];

/** Identity policy documents: type → the documents a resource of it writes. */
export const IDENTITY_POLICY_DOCUMENTS: Readonly<Record<string, (props: Props) => DocumentSource[]>> = {
  "aws:iam/policy:Policy": field("policy"),
  "aws:iam/rolePolicy:RolePolicy": field("policy"),
  "aws:iam/userPolicy:UserPolicy": field("policy"),
  "aws:iam/groupPolicy:GroupPolicy": field("policy"),
  "aws:iam/role:Role": (props) => {
    const inline = props.inlinePolicies;
    return (Array.isArray(inline) ? inline : []).flatMap((p, i) =>
      isRecord(p) && p.policy !== undefined
        ? [{ field: `inlinePolicies[${i}].policy`, document: p.policy }]
        : [],
    );
  },
  // IAM Identity Center: the inline policy of a permission set, granted to every user assigned it.
  "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": field("inlinePolicy"),
};

/** Managed policies attached by ARN: type → the field holding one ARN or a list of them. */
export const MANAGED_POLICY_ARNS: Readonly<Record<string, string>> = {
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
  "aws:quicksight/iamPolicyAssignment:IamPolicyAssignment": "policyArn",
};

/**
 * AWS-managed policies that grant what this pack forbids to write inline: every action (so
 * every secret), or service-wide Secrets Manager / SSM reads on every resource. Keyed by name
 * (any path, any partition), so a copy under another path is no way around it. Their documents
 * are AWS's (docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html), not in the
 * program's state; customer-managed policies are judged where the stack writes them
 * (`aws:iam/policy:Policy`).
 */
export const BROAD_AWS_MANAGED_POLICIES: Readonly<Record<string, string>> = {
  AdministratorAccess: 'allows "*" on Resource "*"',
  PowerUserAccess:
    'allows NotAction [iam:*, organizations:*, account:*] on Resource "*", Secrets Manager, KMS and SSM included',
  SecretsManagerReadWrite: 'allows secretsmanager:* on Resource "*"',
  AmazonSSMFullAccess: 'allows ssm:* on Resource "*"',
  AmazonSSMReadOnlyAccess: 'allows ssm:Get* (parameter values) on Resource "*"',
  AmazonSSMManagedInstanceCore: 'allows ssm:GetParameter and ssm:GetParameters on Resource "*"',
};

/**
 * AWS-managed policies known to grant no secret read, by path and name as in their ARN (after
 * `:policy/`), each with the actions of its documented default version (same reference as
 * above): no Secrets Manager, KMS or SSM action. Every other AWS-managed policy is reported,
 * because the pack cannot read its document, unless the rule's config names it with a reason.
 */
export const KNOWN_SAFE_AWS_MANAGED_POLICIES: Readonly<Record<string, string>> = {
  "service-role/AWSLambdaBasicExecutionRole": "logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents",
  "service-role/AWSLambdaVPCAccessExecutionRole":
    "logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents, ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces, ec2:DescribeSubnets, ec2:DeleteNetworkInterface, ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses",
  AmazonEKSWorkerNodePolicy:
    "ec2:DescribeInstances, ec2:DescribeInstanceTypes, ec2:DescribeRouteTables, ec2:DescribeSecurityGroups, ec2:DescribeSubnets, ec2:DescribeVolumes, ec2:DescribeVolumesModifications, ec2:DescribeVpcs, eks:DescribeCluster, eks-auth:AssumeRoleForPodIdentity",
};

/** An AWS-managed policy named by an ARN (any partition): its name and its path + name. */
export interface AwsManagedPolicy {
  /** The last segment: `AWSLambdaBasicExecutionRole`. */
  readonly name: string;
  /** Path and name as in the ARN after `:policy/`: `service-role/AWSLambdaBasicExecutionRole`. */
  readonly id: string;
}

/**
 * The AWS-managed policy an ARN names (account `aws`, any partition, any path), if it is one.
 * Any text after `:policy/` counts, however odd: such an ARN is never taken for a
 * customer-managed policy judged elsewhere.
 */
export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  const id = /^arn:[^:]*:iam::aws:policy\/(.*)$/s.exec(arn)?.[1];
  return id === undefined ? undefined : { id, name: id.slice(id.lastIndexOf("/") + 1) };
}
