/**
 * Every IAM document the AWS component deploys, as plain JSON-able values built by pure
 * functions of plain strings. The component calls these inside `apply`; the tests call the
 * same functions and evaluate the result with an IAM simulator, so what is proven is exactly
 * what is deployed.
 */

export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface PolicyPrincipal {
  readonly AWS?: string | readonly string[];
  readonly Service?: string;
  readonly Federated?: string;
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | PolicyPrincipal;
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  /** Absent only in trust policies, whose resource is the role itself. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

const document = (statements: ReadonlyArray<PolicyStatement | undefined>): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements.filter((s): s is PolicyStatement => s !== undefined),
});

export const STS_AUDIENCE = "sts.amazonaws.com";
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
export const POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com";
/** Tag on every key this component creates; the deploy role may only manage keys carrying it. */
export const OWNER_TAG = "secrets-platform:prefix";
/**
 * Tag of secrets no function of ours rotates: third-party credentials set out of band and the
 * database admin logins set from stack config. The policy pack accepts it in lieu of a
 * SecretRotation (policy/policies/aws-secretsmanager-require-rotation.ts).
 */
export const ROTATED_BY_ISSUER = { "secrets-platform:rotation": "by-issuer" } as const;

/** Actions a workload may perform on its own secrets: read the value and its metadata. */
export const SECRET_READ_ACTIONS = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"];
/** What the rotation function does on a secret: read stages, write AWSPENDING, move labels. */
export const SECRET_ROTATION_ACTIONS = [
  "secretsmanager:DescribeSecret",
  "secretsmanager:GetSecretValue",
  "secretsmanager:PutSecretValue",
  "secretsmanager:UpdateSecretVersionStage",
];
/** Metadata a preview (refresh) reads; never the value. */
export const SECRET_METADATA_ACTIONS = [
  "secretsmanager:DescribeSecret",
  "secretsmanager:GetResourcePolicy",
  "secretsmanager:ListSecretVersionIds",
];

/**
 * The key-administrator actions of AWS's default key policy: administer, never use (no
 * cryptographic action). Shared with Vault's unseal key.
 */
export const KMS_KEY_ADMINISTRATION = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];
/** Administration of the secrets key also covers its multi-Region replicas. */
const KEY_ADMIN_ACTIONS = [...KMS_KEY_ADMINISTRATION, "kms:ReplicateKey"];
const KEY_METADATA_ACTIONS = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListResourceTags",
];
/** What Secrets Manager asks KMS for when a principal writes a secret value. */
const KEY_WRITE_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"];

export function secretsManagerEndpoint(region: string): string {
  return `secretsmanager.${region}.amazonaws.com`;
}

/** An OIDC issuer as IAM names it in condition keys and provider ARNs: no scheme, no trailing slash. */
export function issuerHost(issuerUrl: string): string {
  return issuerUrl.replace(/^https:\/\//, "").replace(/\/+$/, "");
}

export function oidcProviderArn(accountId: string, issuerUrl: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${issuerHost(issuerUrl)}`;
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** A secret's ARN in another Region: replicas keep the name and the random suffix. */
export function secretArnInRegion(secretArn: string, region: string): string {
  return secretArn.replace(/^(arn:aws[\w-]*:secretsmanager:)[^:]+:/, `$1${region}:`);
}

// ---------------------------------------------------------------------------------------------
// Trust policies

export interface WebIdentityTrust {
  readonly providerArn: string;
  readonly issuerUrl: string;
  /** The one token subject that may assume the role. */
  readonly subject: string;
}

/** IRSA and GitHub Actions: one exact `sub`, and `aud` pinned to STS. */
export function webIdentityTrustPolicy(t: WebIdentityTrust): PolicyDocument {
  const host = issuerHost(t.issuerUrl);
  return document([
    {
      Sid: "AssumeWithExactSubject",
      Effect: "Allow",
      Principal: { Federated: t.providerArn },
      Action: ["sts:AssumeRoleWithWebIdentity"],
      Condition: { StringEquals: { [`${host}:sub`]: t.subject, [`${host}:aud`]: STS_AUDIENCE } },
    },
  ]);
}

export interface PodIdentityTrust {
  readonly accountId: string;
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * EKS Pod Identity: the agent assumes the role with session tags naming the cluster, namespace
 * and service account; pinning them keeps another association in the account from borrowing
 * the role (docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html).
 */
export function podIdentityTrustPolicy(t: PodIdentityTrust): PolicyDocument {
  return document([
    {
      Sid: "AssumeFromExactServiceAccount",
      Effect: "Allow",
      Principal: { Service: POD_IDENTITY_SERVICE },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: {
        StringEquals: {
          "aws:SourceAccount": t.accountId,
          "aws:RequestTag/eks-cluster-name": t.clusterName,
          "aws:RequestTag/kubernetes-namespace": t.namespace,
          "aws:RequestTag/kubernetes-service-account": t.serviceAccount,
        },
      },
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Workload permissions

export interface WorkloadAccess {
  /** The workload's secrets in every Region they exist in (primary and replicas). */
  readonly secretArns: readonly string[];
  /** The environment key in every Region. */
  readonly keyArns: readonly string[];
  readonly regions: readonly string[];
}

/** Read exactly these secrets; decrypt only when Secrets Manager asks, for these secrets. */
export function workloadPolicy(a: WorkloadAccess): PolicyDocument {
  return document([
    { Sid: "ReadOwnSecrets", Effect: "Allow", Action: SECRET_READ_ACTIONS, Resource: [...a.secretArns] },
    {
      Sid: "DecryptOwnSecretsThroughSecretsManager",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [...a.keyArns],
      Condition: {
        StringEquals: {
          "kms:ViaService": a.regions.map(secretsManagerEndpoint),
          "kms:EncryptionContext:SecretARN": [...a.secretArns],
        },
      },
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Secret resource policy

/** Principals (by role ARN) and the only actions they may take on one secret. */
export interface LimitedAccess {
  readonly sid: string;
  readonly principalArns: readonly string[];
  readonly actions: readonly string[];
}

export interface SecretAccess {
  /** Full control: the operators and the deploy role. */
  readonly managerArns: readonly string[];
  /** Everyone else allowed near the secret, each limited to a set of actions. */
  readonly limited: readonly LimitedAccess[];
}

/**
 * Only Deny statements: same-account access still needs an identity policy, and the Denies
 * cap it, so a role that is later given `secretsmanager:*` elsewhere still cannot touch this
 * secret. Matching on `aws:PrincipalArn` (not a role principal) keeps the policy valid before
 * the rotation role exists and after a role is re-created; AWS services acting on their own
 * (replication) carry no principal ARN and are left alone.
 */
export function secretResourcePolicy(a: SecretAccess): PolicyDocument {
  const limited = a.limited.filter((l) => l.principalArns.length > 0);
  return document([
    {
      Sid: "DenyUnlistedPrincipals",
      Effect: "Deny",
      Principal: "*",
      Action: ["secretsmanager:*"],
      Resource: "*",
      Condition: {
        ArnNotEquals: { "aws:PrincipalArn": [...a.managerArns, ...limited.flatMap((l) => l.principalArns)] },
        BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
      },
    },
    ...limited.map((l): PolicyStatement => ({
      Sid: l.sid,
      Effect: "Deny",
      Principal: "*",
      NotAction: [...l.actions],
      Resource: "*",
      Condition: { ArnEquals: { "aws:PrincipalArn": [...l.principalArns] } },
    })),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Key policy

export interface KeyAccess {
  readonly accountId: string;
  readonly regions: readonly string[];
  /** Operators and the deploy role: they manage the key (never use it directly). */
  readonly administratorArns: readonly string[];
  /** Write secret values through Secrets Manager: operators, deploy role, rotation function. */
  readonly writerArns: readonly string[];
  /** Read secret values through Secrets Manager: the workload roles. */
  readonly readerArns: readonly string[];
  /** Read key metadata only: the preview and drift roles. */
  readonly auditorArns: readonly string[];
}

/**
 * No wildcard principal. Administrators are named directly (they exist before the key). Use
 * is granted to the account root but only for the listed `aws:PrincipalArn`s, only through
 * Secrets Manager in our Regions and only from this account: naming the rotation role as a
 * principal would fail while that role does not exist yet (it belongs to another component),
 * and a principal ARN in a key policy silently turns into a dead unique id when the role is
 * re-created, whereas the condition keeps matching by name.
 */
export function keyPolicy(k: KeyAccess): PolicyDocument {
  const root = `arn:aws:iam::${k.accountId}:root`;
  const throughSecretsManager = (sid: string, principals: readonly string[], actions: readonly string[]) =>
    principals.length === 0
      ? undefined
      : ({
          Sid: sid,
          Effect: "Allow",
          Principal: { AWS: root },
          Action: [...actions],
          Resource: "*",
          Condition: {
            StringEquals: {
              "kms:ViaService": k.regions.map(secretsManagerEndpoint),
              "kms:CallerAccount": k.accountId,
            },
            ArnEquals: { "aws:PrincipalArn": [...principals] },
          },
        } satisfies PolicyStatement);
  return document([
    {
      Sid: "KeyAdministration",
      Effect: "Allow",
      Principal: { AWS: [...k.administratorArns] },
      Action: KEY_ADMIN_ACTIONS,
      Resource: "*",
    },
    throughSecretsManager("WriteSecretsThroughSecretsManager", k.writerArns, KEY_WRITE_ACTIONS),
    throughSecretsManager("ReadSecretsThroughSecretsManager", k.readerArns, ["kms:Decrypt"]),
    k.auditorArns.length === 0
      ? undefined
      : {
          Sid: "ReadKeyMetadata",
          Effect: "Allow",
          Principal: { AWS: root },
          Action: KEY_METADATA_ACTIONS,
          Resource: "*",
          Condition: { ArnEquals: { "aws:PrincipalArn": [...k.auditorArns] } },
        },
  ]);
}

// ---------------------------------------------------------------------------------------------
// CI roles

export interface CiScope {
  readonly accountId: string;
  readonly regions: readonly string[];
  /** `<prefix>-<environment>`: every name this environment owns starts with it. */
  readonly namePrefix: string;
  /** Issuers of the OIDC providers the stack manages (EKS clusters, GitHub). */
  readonly oidcIssuerUrls: readonly string[];
  /** Whether workloads use EKS Pod Identity (the deploy role then manages associations). */
  readonly podIdentity: boolean;
  /** Whether the rotation functions attach to a VPC (the deploy role then describes its network). */
  readonly rotationVpc: boolean;
  /** Alias of the KMS key encrypting the stack config (`awskms://` secrets provider), if any. */
  readonly configKeyAlias?: string;
}

/** Names this environment owns: `<p>-…`, `<p>_…` (platform roles), `<p>/…` (admin secrets). */
function owned(namePrefix: string, arnPrefixes: readonly string[], separators = ["-", "_", "/"]): string[] {
  return arnPrefixes.flatMap((arn) => separators.map((s) => `${arn}${namePrefix}${s}*`));
}

const regional = (c: CiScope, service: string, resource: string) =>
  c.regions.map((r) => `arn:aws:${service}:${r}:${c.accountId}:${resource}`);
const secretArns = (c: CiScope) => owned(c.namePrefix, regional(c, "secretsmanager", "secret:"));
const keyArns = (c: CiScope) => regional(c, "kms", "key/*");
const aliasArns = (c: CiScope) => owned(c.namePrefix, regional(c, "kms", "alias/"));
const roleArns = (c: CiScope) => owned(c.namePrefix, [`arn:aws:iam::${c.accountId}:role/`], ["-", "_"]);
const ruleArns = (c: CiScope) => owned(c.namePrefix, regional(c, "events", "rule/"), ["-"]);
const topicArns = (c: CiScope) => owned(c.namePrefix, regional(c, "sns", ""), ["-"]);
const eksArns = (c: CiScope) => [
  ...regional(c, "eks", "cluster/*"),
  ...regional(c, "eks", "podidentityassociation/*"),
];
const providerArns = (c: CiScope) => c.oidcIssuerUrls.map((u) => oidcProviderArn(c.accountId, u));
const functionArns = (c: CiScope) => owned(c.namePrefix, regional(c, "lambda", "function:"), ["-"]);
const functionLogGroupArns = (c: CiScope) =>
  owned(c.namePrefix, regional(c, "logs", "log-group:/aws/lambda/"), ["-"]);
const rotationRoleArns = (c: CiScope) => [`arn:aws:iam::${c.accountId}:role/${c.namePrefix}_rotation-*`];

/**
 * `pulumi preview` and `up` of the stack decrypt its config and state with the secrets
 * provider's key, and with it every secret the stack holds: only the drift and deploy roles may.
 * The key predates the stack (it encrypts the stack's own config), so it is matched by its alias.
 */
function stackConfigStatements(c: CiScope): PolicyStatement[] {
  if (c.configKeyAlias === undefined) return [];
  return [
    {
      Sid: "DecryptStackConfig",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: regional(c, "kms", "key/*"),
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": [c.configKeyAlias] } },
    },
  ];
}

/** Read-only statements: what `pulumi preview --refresh` reads. No values, no writes. */
function readStatements(c: CiScope): PolicyStatement[] {
  return [
    { Sid: "DescribeSecrets", Effect: "Allow", Action: SECRET_METADATA_ACTIONS, Resource: secretArns(c) },
    { Sid: "DescribeKeys", Effect: "Allow", Action: KEY_METADATA_ACTIONS, Resource: keyArns(c) },
    {
      Sid: "ReadRoles",
      Effect: "Allow",
      Action: [
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListRoleTags",
      ],
      Resource: roleArns(c),
    },
    {
      Sid: "ReadOidcProviders",
      Effect: "Allow",
      Action: ["iam:GetOpenIDConnectProvider", "iam:ListOpenIDConnectProviderTags"],
      Resource: providerArns(c),
    },
    {
      Sid: "ReadAuditAlerts",
      Effect: "Allow",
      Action: [
        "events:DescribeRule",
        "events:ListTargetsByRule",
        "events:ListTagsForResource",
        "sns:GetTopicAttributes",
        "sns:ListTagsForResource",
      ],
      Resource: [...ruleArns(c), ...topicArns(c)],
    },
    {
      Sid: "ReadRotationFunctions",
      Effect: "Allow",
      Action: [
        "lambda:GetFunction",
        "lambda:GetFunctionConfiguration",
        "lambda:GetFunctionCodeSigningConfig",
        "lambda:GetPolicy",
        "lambda:ListVersionsByFunction",
        "lambda:ListTags",
        "logs:ListTagsForResource",
      ],
      Resource: [...functionArns(c), ...functionLogGroupArns(c)],
    },
    {
      Sid: "ListWithoutResourceScope",
      Effect: "Allow",
      Action: [
        "secretsmanager:ListSecrets",
        "kms:ListAliases",
        "kms:ListKeys",
        "iam:ListOpenIDConnectProviders",
        "logs:DescribeLogGroups",
        ...(c.podIdentity ? ["eks:DescribePodIdentityAssociation", "eks:ListPodIdentityAssociations"] : []),
      ],
      Resource: "*",
    },
  ];
}

/**
 * The pull-request role: read-only metadata of this environment. Never the stack-config key:
 * the pull request's code runs with this role, and would print whatever the key decrypts.
 */
export function previewRolePolicy(c: CiScope): PolicyDocument {
  return document(readStatements(c));
}

/** The drift role: loads the stack (decrypts its config) and reads metadata; writes nothing. */
export function driftRolePolicy(c: CiScope): PolicyDocument {
  return document([...readStatements(c), ...stackConfigStatements(c)]);
}

/**
 * The main-branch role: what `pulumi up` of the AWS component does, on names of this
 * environment only. It reads secret values because the provider refreshes the versions it
 * created (the rotated secrets' initial values and the database admin logins).
 */
export function deployRolePolicy(c: CiScope): PolicyDocument {
  const environmentTag = { StringEquals: { [`aws:ResourceTag/${OWNER_TAG}`]: c.namePrefix } };
  return document([
    ...readStatements(c),
    ...stackConfigStatements(c),
    {
      Sid: "ManageSecrets",
      Effect: "Allow",
      Action: [
        "secretsmanager:CreateSecret",
        "secretsmanager:DeleteSecret",
        "secretsmanager:RestoreSecret",
        "secretsmanager:UpdateSecret",
        "secretsmanager:TagResource",
        "secretsmanager:UntagResource",
        "secretsmanager:PutResourcePolicy",
        "secretsmanager:DeleteResourcePolicy",
        "secretsmanager:ValidateResourcePolicy",
        "secretsmanager:PutSecretValue",
        "secretsmanager:GetSecretValue",
        "secretsmanager:ReplicateSecretToRegions",
        "secretsmanager:RemoveRegionsFromReplication",
        "secretsmanager:RotateSecret",
        "secretsmanager:CancelRotateSecret",
      ],
      Resource: secretArns(c),
    },
    {
      Sid: "CreateTaggedKeys",
      Effect: "Allow",
      Action: ["kms:CreateKey"],
      Resource: "*",
      Condition: { StringEquals: { [`aws:RequestTag/${OWNER_TAG}`]: c.namePrefix } },
    },
    {
      Sid: "ManageOwnKeys",
      Effect: "Allow",
      Action: [
        "kms:PutKeyPolicy",
        "kms:EnableKeyRotation",
        "kms:DisableKeyRotation",
        "kms:UpdateKeyDescription",
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
        "kms:ReplicateKey",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:CreateAlias",
        "kms:DeleteAlias",
        "kms:UpdateAlias",
      ],
      Resource: keyArns(c),
      Condition: environmentTag,
    },
    {
      Sid: "ManageOwnAliases",
      Effect: "Allow",
      Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      Resource: aliasArns(c),
    },
    {
      Sid: "WriteSecretValuesThroughSecretsManager",
      Effect: "Allow",
      Action: KEY_WRITE_ACTIONS,
      Resource: keyArns(c),
      Condition: { StringEquals: { "kms:ViaService": c.regions.map(secretsManagerEndpoint) } },
    },
    {
      Sid: "ManageOwnRoles",
      Effect: "Allow",
      Action: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:ListInstanceProfilesForRole",
      ],
      Resource: roleArns(c),
    },
    {
      Sid: "ManageOwnOidcProviders",
      Effect: "Allow",
      Action: [
        "iam:CreateOpenIDConnectProvider",
        "iam:DeleteOpenIDConnectProvider",
        "iam:TagOpenIDConnectProvider",
        "iam:UntagOpenIDConnectProvider",
        "iam:UpdateOpenIDConnectProviderThumbprint",
        "iam:AddClientIDToOpenIDConnectProvider",
        "iam:RemoveClientIDFromOpenIDConnectProvider",
      ],
      Resource: providerArns(c),
    },
    {
      Sid: "ManageAuditAlerts",
      Effect: "Allow",
      Action: [
        "events:PutRule",
        "events:DeleteRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "events:TagResource",
        "events:UntagResource",
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:TagResource",
        "sns:UntagResource",
      ],
      Resource: [...ruleArns(c), ...topicArns(c)],
    },
    {
      Sid: "ManageRotationFunctions",
      Effect: "Allow",
      // InvokeFunction: turning rotation on (RotateSecret) requires the caller may invoke it.
      Action: [
        "lambda:CreateFunction",
        "lambda:DeleteFunction",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:AddPermission",
        "lambda:RemovePermission",
        "lambda:TagResource",
        "lambda:UntagResource",
        "lambda:InvokeFunction",
      ],
      Resource: functionArns(c),
    },
    {
      Sid: "ManageRotationLogGroups",
      Effect: "Allow",
      Action: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:TagResource",
        "logs:UntagResource",
      ],
      Resource: functionLogGroupArns(c),
    },
    {
      Sid: "PassRotationRolesToLambda",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: rotationRoleArns(c),
      Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    },
    ...(c.rotationVpc
      ? [
          {
            // Lambda checks that the caller may see the subnets and security groups it attaches.
            Sid: "DescribeRotationNetwork",
            Effect: "Allow",
            Action: ["ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"],
            Resource: "*",
          } satisfies PolicyStatement,
        ]
      : []),
    ...(c.podIdentity
      ? [
          {
            Sid: "PassOwnRolesToPodIdentity",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: roleArns(c),
            Condition: { StringEquals: { "iam:PassedToService": POD_IDENTITY_SERVICE } },
          } satisfies PolicyStatement,
          {
            Sid: "ManagePodIdentityAssociations",
            Effect: "Allow",
            Action: [
              "eks:CreatePodIdentityAssociation",
              "eks:DeletePodIdentityAssociation",
              "eks:UpdatePodIdentityAssociation",
              "eks:TagResource",
            ],
            Resource: eksArns(c),
          } satisfies PolicyStatement,
        ]
      : []),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Audit

/** Only EventBridge, only for the one rule, may publish read alerts. */
export function alertTopicPolicy(a: { readonly topicArn: string; readonly ruleArn: string }): PolicyDocument {
  return document([
    {
      Sid: "PublishFromReadAlertRule",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["sns:Publish"],
      Resource: a.topicArn,
      Condition: { ArnEquals: { "aws:SourceArn": a.ruleArn } },
    },
  ]);
}
