/**
 * Every policy against the compliant prod stack and one-field mutations of it, evaluated
 * through the gate (inputs behind `unknownCheckingProxy`, type filtering, stack policies on
 * the whole graph), i.e. the engine's path.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { evaluatePolicies } from "../../tools/offline/gate";
import { policies } from "../../policy/policies";
import type { Environment } from "../../stacks/schema";
import type { RecordedResource } from "../../tools/offline/types";
import { SNAPSHOT_CONTAINER, SNAPSHOT_GSA, compliantStack, recorded } from "./fixtures";

type Inputs = Record<string, any>;

interface Mutation {
  /** What the mutation does, for the test title. */
  readonly change: string;
  /** Resource (by name) and the edit of its inputs; or an edit of the whole list. */
  readonly resource?: string;
  readonly edit: (inputs: Inputs, resources: RecordedResource[]) => void | RecordedResource[];
  /** The policy that must flag it (defaults to the table key). */
  readonly environment?: Environment;
  /** When true the mutation must NOT be flagged (thresholds of looser environments). */
  readonly allowed?: boolean;
  /** Policy config as `--policy-pack-config` gives it (exemptions). */
  readonly config?: Record<string, unknown>;
}

const doc = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const json = (text: string) => JSON.parse(text);
const DAY = 86_400;
const SUDO_HCL = 'path "sys/*" {\n  capabilities = ["sudo"]\n}\n';

/** Adds a Vault ACL policy named vault-snapshot with this text. */
const withVaultPolicy = (policy: string) => (_i: Inputs, rs: RecordedResource[]) => [
  ...rs,
  recorded("vault:index/policy:Policy", "vault-snapshot", { name: "vault-snapshot", policy }),
];

/** A server config's transit seal: the one `unseal: transit` renders, with these attributes changed (null: left out). */
function transitSeal(changes: Record<string, string | null>): string {
  const attributes: Record<string, string | null> = {
    address: "https://unseal.example.internal:8200",
    mount_path: "transit/",
    key_name: "sp-prod-unseal",
    tls_ca_cert: "/vault/userconfig/transit-seal/ca.crt",
    token: "file:///vault/userconfig/transit-seal/token",
    ...changes,
  };
  const body = Object.entries(attributes)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`);
  return `listener "tcp" {\n  tls_disable = false\n}\nseal "transit" {\n${body.join("\n")}\n}\n`;
}
const withTransitSeal = (changes: Record<string, string | null>) => (i: Inputs) =>
  void (i.values.server.ha.raft.config += transitSeal(changes).replace(/^listener "tcp" \{\n.*\n\}\n/, ""));

/** A resource attaching AWS-managed policy ARNs to a role (a foreign program's, no names of ours). */
const attach = (policyArn: string) => (_i: Inputs, rs: RecordedResource[]) => [
  ...rs,
  recorded("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", { role: "batch", policyArn }),
];
const MANAGED = "arn:aws:iam::aws:policy/";
/** A role of a foreign program that AWS Batch assumes, with one inline policy of these statements. */
const batchRole = (statements: object[], extra: object = {}, outputs: Record<string, unknown> = {}) =>
  recorded(
    "aws:iam/role:Role",
    "batch",
    {
      assumeRolePolicy: doc([
        { Effect: "Allow", Principal: { Service: "batch.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]),
      inlinePolicies: [{ name: "read", policy: doc(statements) }],
      ...extra,
    },
    { outputs },
  );
/** Config of one policy with one setting, as `--policy-pack-config` gives it. */
const setting = (policy: string, key: string, value: unknown) => ({ [policy]: { [key]: value } });
const awsManaged = (entries: object[]) =>
  setting("aws-iam-forbid-wildcard-secret-actions", "awsManagedPolicies", entries);
const gcpCustomRoles = (entries: object[]) =>
  setting("gcp-secretmanager-forbid-project-level-roles", "customRoles", entries);
const azureCustomRoles = (entries: object[]) =>
  setting("azure-authorization-forbid-admin-custom-roles", "exemptions", entries);
/** A key policy statement allowing kms:Decrypt to every AWS principal, with `extra` fields. */
const toAnyone = (extra: object = {}) => ({
  Effect: "Allow",
  Principal: { AWS: "*" },
  Action: "kms:Decrypt",
  Resource: "*",
  ...extra,
});
const keyPolicy =
  (...statements: object[]) =>
  (i: Inputs) =>
    void (i.policy = doc(statements));
/** A custom Azure role definition of a foreign program with these permissions. */
const customRole =
  (permissions: object[], roleName = "vault-ops") =>
  (_i: Inputs, rs: RecordedResource[]) => [
    ...rs,
    recorded("azure-native:authorization:RoleDefinition", "custom-role", {
      scope: "/subscriptions/00000000-0000-0000-0000-000000000000",
      roleName,
      roleType: "CustomRole",
      permissions,
      assignableScopes: ["/subscriptions/00000000-0000-0000-0000-000000000000"],
    }),
  ];
/** A GCP grant of `role` on a project (member) of a foreign program. */
const projectGrant = (role: string) => (_i: Inputs, rs: RecordedResource[]) => [
  ...rs,
  recorded("gcp:projects/iAMMember:IAMMember", "custom-grant", {
    project: "p",
    role,
    member: "serviceAccount:ci@p.iam.gserviceaccount.com",
  }),
];

const RBAC = "kubernetes:rbac.authorization.k8s.io/v1";
/** The rules of the compliant stack's Role (its Secret rule first). */
const ownRole = (rs: RecordedResource[]): Inputs => rs.find((r) => r.type === `${RBAC}:Role`)!.inputs;
const secretRule = (edit: (rule: Inputs) => void) => (_i: Inputs, rs: RecordedResource[]) =>
  void edit(ownRole(rs).rules[0]);
/** One more rule in the compliant stack's Role, which is bound to payments/payments-api. */
const addRule = (rule: object) => (_i: Inputs, rs: RecordedResource[]) => void ownRole(rs).rules.push(rule);
/** A ClusterRole of a foreign program and a RoleBinding of it to payments/payments-api. */
const boundClusterRole =
  (role: object, labels?: object, extra: RecordedResource[] = []) =>
  (_i: Inputs, rs: RecordedResource[]) => [
    ...rs,
    ...extra,
    recorded(`${RBAC}:ClusterRole`, "their-role", { metadata: { name: "their-role", labels }, ...role }),
    recorded(`${RBAC}:RoleBinding`, "their-binding", {
      metadata: { name: "their-binding", namespace: "payments" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "their-role" },
      subjects: [{ kind: "ServiceAccount", name: "payments-api", namespace: "payments" }],
    }),
  ];
const bindingOf = (rs: RecordedResource[]): Inputs =>
  rs.find((r) => r.type === `${RBAC}:RoleBinding`)!.inputs;
/** The compliant RoleBinding naming another role (inputs and the outputs stack policies read). */
const rebind = (roleRef: object) => (_i: Inputs, rs: RecordedResource[]) => {
  const binding = rs.find((r) => r.type === `${RBAC}:RoleBinding`)!;
  binding.inputs.roleRef = binding.outputs.roleRef = roleRef;
};

/** The compliant rotation function's managed policy with one more statement. */
const rotationStatement = (statement: object) => (_i: Inputs, rs: RecordedResource[]) => {
  const policy = rs.find((r) => r.name === "rotation-function")!;
  const parsed = JSON.parse(String(policy.inputs.policy));
  parsed.Statement.push(statement);
  policy.inputs.policy = policy.outputs.policy = JSON.stringify(parsed);
};
const allow = (Action: string | string[], Resource: string | string[] = SECRET_ARN_OF_FIXTURE) => ({
  Effect: "Allow",
  Action,
  Resource,
});
const SECRET_ARN_OF_FIXTURE =
  "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sp-prod-payments-api-stripe-AbCdEf";
const escalationExempt = (names: string[]) =>
  setting(
    "aws-iam-forbid-permission-escalation",
    "exemptions",
    names.map((name) => ({ name, reason: "deploys the stack" })),
  );

const HTTPS_ENV = [{ name: "VAULT_ADDR", value: "https://127.0.0.1:8200" }];
const POD_SPEC_AT: Record<string, string[]> = {
  StatefulSet: ["spec", "template", "spec"],
  Deployment: ["spec", "template", "spec"],
  Pod: ["spec"],
};

/** A workload of a foreign program running the Vault image (no chart, no names of ours). */
function vaultStatefulSet(o: {
  kind?: "StatefulSet" | "Deployment" | "Pod";
  image?: string;
  command?: string[] | null;
  args?: string[];
  env?: object[];
  replicas?: number;
}): RecordedResource {
  const kind = o.kind ?? "StatefulSet";
  const container: Record<string, unknown> = {
    name: "kv",
    image: o.image ?? "hashicorp/vault:1.21.0",
    env: o.env ?? HTTPS_ENV,
  };
  if (o.command !== null) container.command = o.command ?? ["vault"];
  if (o.command !== null) container.args = o.args ?? ["server", "-config=/vault/config/server.hcl"];
  const spec: Record<string, unknown> = {};
  let node = spec;
  const path = POD_SPEC_AT[kind];
  for (const key of path.slice(1)) node = node[key] = {} as Record<string, unknown>;
  node.containers = [container];
  if (kind !== "Pod") spec.replicas = o.replicas ?? 3;
  return recorded(
    `kubernetes:${kind === "Pod" ? "core/v1" : "apps/v1"}:${kind}`,
    `kv-${kind.toLowerCase()}`,
    {
      metadata: { name: "kv", namespace: "platform" },
      spec,
    },
  );
}

const MUTATIONS: Record<string, Mutation[]> = {
  "aws-iam-forbid-wildcard-secret-actions": [
    {
      change: "secretsmanager:* in a user's inline policy",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/userPolicy:UserPolicy", "ops", {
          user: "ops",
          policy: doc([{ Effect: "Allow", Action: "secretsmanager:*", Resource: "arn:x" }]),
        }),
      ],
    },
    {
      change: "secretsmanager:* in a group's inline policy",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/groupPolicy:GroupPolicy", "ops", {
          group: "ops",
          policy: doc([{ Effect: "Allow", Action: "secretsmanager:*", Resource: "arn:x" }]),
        }),
      ],
    },
    {
      change: "GetSecretValue on * in a role's inlinePolicies",
      edit: (_i, rs) => [
        ...rs,
        batchRole([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }]),
      ],
    },
    {
      change: "AWS-managed SecretsManagerReadWrite attached to a role",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "rw", {
          role: "batch",
          policyArn: "arn:aws:iam::aws:policy/SecretsManagerReadWrite",
        }),
      ],
    },
    {
      change: "AWS-managed AdministratorAccess in managedPolicyArns (GovCloud partition)",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/role:Role", "admin", {
          assumeRolePolicy: doc([
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
          ]),
          managedPolicyArns: ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"],
        }),
      ],
    },
    {
      change: "AWS-managed AmazonSSMReadOnlyAccess attached exclusively to a user",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "ops", {
          userName: "ops",
          policyArns: [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess",
          ],
        }),
      ],
    },
    {
      change: "secretsmanager:* in an IAM Identity Center permission set",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "ops", {
          instanceArn: "arn:aws:sso:::instance/ssoins-1",
          permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1/ps-1",
          inlinePolicy: doc([{ Effect: "Allow", Action: "secretsmanager:*", Resource: "arn:x" }]),
        }),
      ],
    },
    {
      change: "a customer-managed policy ARN attached (judged where the policy is written)",
      allowed: true,
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "own", {
          role: "batch",
          policyArn: "arn:aws:iam::123456789012:policy/SecretsManagerReadWrite",
        }),
      ],
    },
    {
      change: "secretsmanager:* action",
      resource: "payments-api-read",
      edit: (i) =>
        void (i.policy = doc([{ Effect: "Allow", Action: "secretsmanager:*", Resource: "arn:x" }])),
    },
    {
      change: "GetSecretValue on Resource *",
      resource: "rotation-function",
      edit: (i) =>
        void (i.policy = doc([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }])),
    },
    {
      change: "kms:Decrypt* wildcard",
      resource: "payments-api-read",
      edit: (i) => void (i.policy = doc([{ Effect: "Allow", Action: ["kms:Decrypt*"], Resource: "arn:k" }])),
    },
    {
      change: "NotAction allow",
      resource: "rotation-function",
      edit: (i) => void (i.policy = doc([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }])),
    },
    {
      change: "GetSecretValue on NotResource (every other secret)",
      resource: "payments-api-read",
      edit: (i) =>
        void (i.policy = doc([
          {
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            NotResource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x",
          },
        ])),
    },
    ...[
      "arn:aws:secretsmanager:*:*:secret:*",
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:*",
      "arn:aws:secretsmanager:*:*:*",
      "arn:aws-us-gov:secretsmanager:*:*:secret?*",
    ].map((arn) => ({
      change: `GetSecretValue on ${arn} (every secret, written as an ARN)`,
      resource: "payments-api-read",
      edit: (i: Record<string, unknown>) =>
        void (i.policy = doc([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn }])),
    })),
    ...[
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments-api/stripe-??????",
      "arn:aws:secretsmanager:*:123456789012:secret:payments-api/*",
    ].map((arn) => ({
      change: `GetSecretValue on ${arn} (one family of secrets, by name prefix)`,
      resource: "payments-api-read",
      allowed: true,
      edit: (i: Record<string, unknown>) =>
        void (i.policy = doc([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn }])),
    })),
    {
      change: "kms:Decrypt on every key of the account as an ARN (key/*)",
      edit: (_i, rs) => [
        ...rs,
        batchRole([
          { Effect: "Allow", Action: "kms:Decrypt", Resource: "arn:aws:kms:eu-west-1:123456789012:key/*" },
        ]),
      ],
    },
    ...(
      [
        ["StringEquals", "kms:ViaService", "secretsmanager.eu-west-1.amazonaws.com", true],
        ["ForAnyValue:StringEquals", "kms:ResourceAliases", "alias/pulumi-config", true],
        ["StringEqualsIfExists", "kms:ViaService", "secretsmanager.eu-west-1.amazonaws.com", false],
        ["ForAllValues:StringEquals", "kms:ResourceAliases", "alias/pulumi-config", false],
        ["StringLike", "kms:ViaService", "*", false],
        ["StringEquals", "kms:ViaService", "secretsmanager.*.amazonaws.com", false],
        ["StringEquals", "aws:ResourceTag/team", "payments", false],
      ] as const
    ).map(([operator, key, value, allowed]) => ({
      change: `kms:Decrypt on key/* under ${operator} ${key} ${value}`,
      allowed,
      edit: (_i: Record<string, unknown>, rs: RecordedResource[]) => [
        ...rs,
        batchRole([
          {
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: "arn:aws:kms:eu-west-1:123456789012:key/*",
            Condition: { [operator]: { [key]: value } },
          },
        ]),
      ],
    })),
    {
      change: "ssm:GetParametersByPath on every parameter as an ARN (parameter/*)",
      edit: (_i, rs) => [
        ...rs,
        batchRole([
          { Effect: "Allow", Action: "ssm:GetParametersByPath", Resource: "arn:aws:ssm:*:*:parameter/*" },
        ]),
      ],
    },
    {
      change: "kms:Decrypt on NotResource in a role's inlinePolicies",
      edit: (_i, rs) => [
        ...rs,
        batchRole([{ Effect: "Allow", Action: "kms:Decrypt", NotResource: ["arn:k"] }]),
      ],
    },
    {
      change: "`?` wildcard in a secret action (secretsmanager:GetSecretValu?)",
      resource: "payments-api-read",
      edit: (i) =>
        void (i.policy = doc([
          { Effect: "Allow", Action: "secretsmanager:GetSecretValu?", Resource: "arn:x" },
        ])),
    },
    {
      change: "GetSecretValue on * with a Deny of the same beside it (a Deny is not read: strict)",
      resource: "payments-api-read",
      edit: (i) =>
        void (i.policy = doc([
          { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" },
          { Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: "*" },
        ])),
    },
    {
      change: "GetSecretValue on * under a condition (a condition is not read: strict)",
      resource: "payments-api-read",
      edit: (i) =>
        void (i.policy = doc([
          {
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceTag/team": "payments" } },
          },
        ])),
    },
    {
      change: "AWS-managed AmazonSSMManagedInstanceCore attached",
      edit: attach(`${MANAGED}AmazonSSMManagedInstanceCore`),
    },
    {
      change: "an AWS-managed policy the pack cannot read (ReadOnlyAccess) attached",
      edit: attach(`${MANAGED}ReadOnlyAccess`),
    },
    {
      change: "an unreadable AWS-managed policy through IAM Identity Center",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment", "sso", {
          instanceArn: "arn:aws:sso:::instance/ssoins-1",
          permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1/ps-1",
          managedPolicyArn: `${MANAGED}job-function/DatabaseAdministrator`,
        }),
      ],
    },
    {
      change: "the known-safe AWSLambdaBasicExecutionRole attached",
      allowed: true,
      edit: attach(`${MANAGED}service-role/AWSLambdaBasicExecutionRole`),
    },
    {
      change:
        "the known-safe AWSLambdaVPCAccessExecutionRole and AmazonEKSWorkerNodePolicy in managedPolicyArns",
      allowed: true,
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/role:Role", "nodes", {
          assumeRolePolicy: doc([
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
          ]),
          managedPolicyArns: [
            `${MANAGED}service-role/AWSLambdaVPCAccessExecutionRole`,
            "arn:aws-cn:iam::aws:policy/AmazonEKSWorkerNodePolicy",
          ],
        }),
      ],
    },
    {
      change: "a known-safe name under another path (not the documented policy)",
      edit: attach(`${MANAGED}AWSLambdaBasicExecutionRole`),
    },
    {
      change: "ReadOnlyAccess attached, exempt by exact name in the config",
      allowed: true,
      config: awsManaged([{ policy: "ReadOnlyAccess", reason: "auditors' role; reviewed 2026-11" }]),
      edit: attach(`${MANAGED}ReadOnlyAccess`),
    },
    {
      change: "ReadOnlyAccess attached, the exemption names another policy",
      config: awsManaged([{ policy: "readonlyaccess", reason: "auditors' role" }]),
      edit: attach(`${MANAGED}ReadOnlyAccess`),
    },
    {
      change: "ReadOnlyAccess attached, the exemption has no reason (malformed)",
      config: awsManaged([{ policy: "ReadOnlyAccess" }]),
      edit: attach(`${MANAGED}ReadOnlyAccess`),
    },
    {
      change: "AdministratorAccess attached: an exemption cannot cover a policy known to grant secret reads",
      config: awsManaged([{ policy: "AdministratorAccess", reason: "break-glass" }]),
      edit: attach(`${MANAGED}AdministratorAccess`),
    },
    {
      change: "unparsable document",
      resource: "rotation-function",
      edit: (i) => void (i.policy = "{not json"),
    },
  ],
  "pulumi-stack-restrict-secret-readers": [
    {
      change: "a service role reads every secret but one through NotResource",
      edit: (_i, rs) => [
        ...rs,
        batchRole(
          [
            {
              Effect: "Allow",
              Action: "secretsmanager:GetSecretValue",
              NotResource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:other",
            },
          ],
          { name: "batch" },
          { arn: "arn:aws:iam::123456789012:role/batch" },
        ),
      ],
    },
    {
      change: "workload role trusts any service account (StringLike sub)",
      resource: "payments-api-role",
      edit: (i) =>
        void (i.assumeRolePolicy = String(i.assumeRolePolicy).replace("StringEquals", "StringLike")),
    },
    {
      change: "GCP accessor's service account loses its Workload Identity binding",
      resource: "catalog-api-workload-identity",
      edit: (i) => void (i.role = "roles/iam.serviceAccountViewer"),
    },
    {
      change: "Azure Secrets User assigned to a principal that is no identity of the stack",
      resource: "identity-api-saml-reader",
      edit: (i) => void (i.principalId = "22222222-2222-2222-2222-222222222222"),
    },
  ],
  "aws-iam-forbid-permission-escalation": [
    {
      change: "iam:PutRolePolicy on one exact role ARN",
      edit: rotationStatement(
        allow("iam:PutRolePolicy", "arn:aws:iam::123456789012:role/sp-prod-payments-api"),
      ),
    },
    {
      change: "iam:AttachRolePolicy in a user's inline policy",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/userPolicy:UserPolicy", "ops", {
          user: "ops",
          policy: doc([allow("iam:AttachRolePolicy", "arn:aws:iam::123456789012:role/batch")]),
        }),
      ],
    },
    {
      change: "iam:CreatePolicyVersion",
      edit: rotationStatement(allow("iam:CreatePolicyVersion", "arn:aws:iam::123456789012:policy/x")),
    },
    {
      change: "iam:UpdateAssumeRolePolicy in a role's inlinePolicies",
      edit: (_i, rs) => [
        ...rs,
        batchRole([allow("iam:UpdateAssumeRolePolicy", "arn:aws:iam::123456789012:role/batch")]),
      ],
    },
    {
      change: "iam:CreateAccessKey on another user",
      edit: rotationStatement(allow("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/ops")),
    },
    {
      change: "iam:Put* (wildcard)",
      edit: rotationStatement(allow("iam:Put*", "arn:aws:iam::123456789012:role/x")),
    },
    {
      change: "iam:PassRole on every role",
      edit: rotationStatement(allow("iam:PassRole", "arn:aws:iam::123456789012:role/*")),
    },
    {
      change: "iam:PassRole on one role",
      allowed: true,
      edit: rotationStatement(
        allow("iam:PassRole", "arn:aws:iam::123456789012:role/sp-prod_rotation-orders"),
      ),
    },
    {
      change: "secretsmanager:PutResourcePolicy on its own secret",
      edit: rotationStatement(allow("secretsmanager:PutResourcePolicy")),
    },
    {
      change: "secretsmanager:DeleteResourcePolicy on its own secret",
      edit: rotationStatement(allow("secretsmanager:DeleteResourcePolicy")),
    },
    {
      change: "kms:PutKeyPolicy on one key",
      edit: rotationStatement(allow("kms:PutKeyPolicy", "arn:aws:kms:eu-west-1:123456789012:key/0000-key")),
    },
    {
      change: "kms:CreateGrant on one key",
      edit: rotationStatement(allow("kms:CreateGrant", "arn:aws:kms:eu-west-1:123456789012:key/0000-key")),
    },
    {
      change: "NotAction s3:* (every other action)",
      edit: rotationStatement({ Effect: "Allow", NotAction: "s3:*", Resource: "arn:x" }),
    },
    {
      change: "a Deny of iam:PutRolePolicy",
      allowed: true,
      edit: rotationStatement({ Effect: "Deny", Action: "iam:PutRolePolicy", Resource: "*" }),
    },
    {
      change: "iam:DetachRolePolicy (only removes a grant)",
      allowed: true,
      edit: rotationStatement(allow("iam:DetachRolePolicy", "arn:aws:iam::123456789012:role/x")),
    },
    { change: "AWS-managed IAMFullAccess attached", edit: attach(`${MANAGED}IAMFullAccess`) },
    {
      change: "AWS-managed AWSKeyManagementServicePowerUser in managedPolicyArns",
      edit: (_i, rs) => [
        ...rs,
        batchRole([allow("s3:GetObject", "arn:aws:s3:::b/*")], {
          name: "batch",
          managedPolicyArns: [`${MANAGED}AWSKeyManagementServicePowerUser`],
        }),
      ],
    },
    {
      change: "iam:PutRolePolicy in the inline policy of a role the config names",
      allowed: true,
      config: escalationExempt(["deployer"]),
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/rolePolicy:RolePolicy", "deployer", {
          role: "deployer",
          policy: doc([allow("iam:PutRolePolicy", "arn:aws:iam::123456789012:role/sp-prod-*")]),
        }),
      ],
    },
    {
      change: "IAMFullAccess attached to two roles, only one of which the config names",
      config: escalationExempt(["deployer"]),
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/policyAttachment:PolicyAttachment", "full", {
          roles: ["deployer", "batch"],
          policyArn: `${MANAGED}IAMFullAccess`,
        }),
      ],
    },
  ],
  "aws-iam-require-exact-oidc-trust": [
    {
      change: "web identity through a wildcard action (sts:AssumeRoleWith*) with no claim pinned",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/role:Role", "open-trust", {
          assumeRolePolicy: doc([{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRoleWith*" }]),
        }),
      ],
    },
    {
      change: "Principal * allowed NotAction sts:AssumeRole (web identity included) with no claim pinned",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:iam/role:Role", "open-trust", {
          assumeRolePolicy: doc([{ Effect: "Allow", Principal: "*", NotAction: "sts:AssumeRole" }]),
        }),
      ],
    },
    {
      change: "aud dropped",
      resource: "payments-api-role",
      edit: (i) => {
        const d = json(i.assumeRolePolicy);
        const eq = d.Statement[0].Condition.StringEquals;
        delete eq[Object.keys(eq).find((k) => k.endsWith(":aud"))!];
        i.assumeRolePolicy = JSON.stringify(d);
      },
    },
    {
      change: "sub wildcard via StringLike",
      resource: "payments-api-role",
      edit: (i) => {
        const d = json(i.assumeRolePolicy);
        const eq = d.Statement[0].Condition.StringEquals;
        const sub = Object.keys(eq).find((k) => k.endsWith(":sub"))!;
        d.Statement[0].Condition.StringLike = { [sub]: "system:serviceaccount:payments:*" };
        delete eq[sub];
        i.assumeRolePolicy = JSON.stringify(d);
      },
    },
  ],
  "aws-secretsmanager-require-cmk": [
    { change: "kmsKeyId unset", resource: "payments-api-stripe", edit: (i) => void delete i.kmsKeyId },
    {
      change: "AWS-managed key",
      resource: "payments-api-stripe",
      edit: (i) => void (i.kmsKeyId = "alias/aws/secretsmanager"),
    },
  ],
  "aws-secretsmanager-require-recovery-window": [
    {
      change: "force delete (0 days)",
      resource: "payments-api-stripe",
      edit: (i) => void (i.recoveryWindowInDays = 0),
    },
    {
      change: "7 days in prod",
      resource: "payments-api-stripe",
      edit: (i) => void (i.recoveryWindowInDays = 7),
    },
    {
      change: "7 days in dev",
      resource: "payments-api-stripe",
      environment: "dev",
      allowed: true,
      edit: (i) => void (i.recoveryWindowInDays = 7),
    },
  ],
  "aws-secretsmanager-require-rotation": [
    {
      change: "rotation removed",
      edit: (_i, rs) => rs.filter((r) => r.type !== "aws:secretsmanager/secretRotation:SecretRotation"),
    },
    {
      change: "rotation removed, secret tagged rotated by issuer (a tag is no exemption)",
      resource: "payments-api-stripe",
      edit: (i, rs) => {
        i.tags = { "secrets-platform:rotation": "by-issuer" };
        return rs.filter((r) => r.type !== "aws:secretsmanager/secretRotation:SecretRotation");
      },
    },
    {
      change: "rotation removed, secret exempt by exact name in the config",
      allowed: true,
      config: {
        "aws-secretsmanager-require-rotation": {
          exemptions: [{ secret: "sp-prod-payments-api-stripe", reason: "rotated by its issuer" }],
        },
      },
      edit: (_i, rs) => rs.filter((r) => r.type !== "aws:secretsmanager/secretRotation:SecretRotation"),
    },
    {
      change: "rotation removed, exemption names another secret",
      config: {
        "aws-secretsmanager-require-rotation": {
          exemptions: [{ secret: "sp-prod-payments-api-stripe-2", reason: "rotated by its issuer" }],
        },
      },
      edit: (_i, rs) => rs.filter((r) => r.type !== "aws:secretsmanager/secretRotation:SecretRotation"),
    },
    {
      change: "the rotation targets another secret, by ARN, with no dependency",
      resource: "payments-api-stripe-rotation",
      edit: (i, rs) => {
        i.secretId = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:someone-else-AbCdEf";
        const rotation = rs.find((r) => r.name === "payments-api-stripe-rotation")!;
        (rotation.opts as { propertyDependencies: unknown }).propertyDependencies = {};
      },
    },
  ],
  "aws-secretsmanager-limit-rotation-interval": [
    {
      change: "rate(30 days) in prod",
      resource: "payments-api-stripe-rotation",
      edit: (i) => void (i.rotationRules.scheduleExpression = "rate(30 days)"),
    },
    {
      change: "monthly cron in prod",
      resource: "payments-api-stripe-rotation",
      edit: (i) => void (i.rotationRules.scheduleExpression = "cron(0 3 1 * ? *)"),
    },
    {
      change: "rate(30 days) in dev",
      resource: "payments-api-stripe-rotation",
      environment: "dev",
      allowed: true,
      edit: (i) => void (i.rotationRules.scheduleExpression = "rate(30 days)"),
    },
    {
      change: "no schedule",
      resource: "payments-api-stripe-rotation",
      edit: (i) => void (i.rotationRules = {}),
    },
  ],
  "aws-secretsmanager-forbid-public-policy": [
    {
      change: "NotPrincipal allowed (every principal but one)",
      resource: "payments-api-stripe-policy",
      edit: (i) =>
        void (i.policy = doc([
          {
            Effect: "Allow",
            NotPrincipal: { AWS: "arn:aws:iam::123456789012:role/x" },
            Action: "secretsmanager:GetSecretValue",
            Resource: "*",
          },
        ])),
    },
    {
      change: "Principal * in the policy written on the Secret itself",
      resource: "payments-api-stripe",
      edit: (i) =>
        void (i.policy = doc([
          { Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" },
        ])),
    },
    {
      change: "Principal * allowed",
      resource: "payments-api-stripe-policy",
      edit: (i) =>
        void (i.policy = doc([
          { Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" },
        ])),
    },
    {
      change: "blockPublicPolicy off",
      resource: "payments-api-stripe-policy",
      edit: (i) => void (i.blockPublicPolicy = false),
    },
  ],
  "aws-kms-require-key-rotation": [
    { change: "rotation off", resource: "secrets-key", edit: (i) => void (i.enableKeyRotation = false) },
    {
      change: "365-day rotation in prod",
      resource: "secrets-key",
      edit: (i) => void (i.rotationPeriodInDays = 365),
    },
    {
      change: "365-day rotation in dev",
      resource: "secrets-key",
      environment: "dev",
      allowed: true,
      edit: (i) => void (i.rotationPeriodInDays = 365),
    },
  ],
  "aws-kms-forbid-wildcard-principal": [
    {
      change: "Principal * in a separate KeyPolicy resource",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:kms/keyPolicy:KeyPolicy", "open", {
          keyId: "k",
          policy: doc([{ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }]),
        }),
      ],
    },
    {
      change: "Principal * on a replica key",
      edit: (_i, rs) => [
        ...rs,
        recorded("aws:kms/replicaKey:ReplicaKey", "replica", {
          primaryKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/mrk-1",
          policy: doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }]),
        }),
      ],
    },
    {
      change: "AWS: *",
      resource: "secrets-key",
      edit: keyPolicy(toAnyone()),
    },
    {
      change: "NotPrincipal allowed on the key",
      resource: "secrets-key",
      edit: keyPolicy({
        Effect: "Allow",
        NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: "kms:*",
        Resource: "*",
      }),
    },
    ...(
      [
        ["StringNotLike (everyone else)", { StringNotLike: { "kms:CallerAccount": "123456789012" } }],
        [
          "StringEqualsIfExists (true without the key)",
          { StringEqualsIfExists: { "aws:SourceAccount": "123456789012" } },
        ],
        [
          "ForAnyValue:StringNotEquals",
          { "ForAnyValue:StringNotEquals": { "aws:PrincipalAccount": "123456789012" } },
        ],
        ["Null", { Null: { "aws:PrincipalAccount": "false" } }],
        ["a wildcard account", { StringLike: { "aws:PrincipalAccount": "12345678901?" } }],
        ["an ARN in any account", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/ops" } }],
      ] as const
    ).map(([how, condition]): Mutation => ({
      change: `AWS: * under a condition that names no caller: ${how}`,
      resource: "secrets-key",
      edit: keyPolicy(toAnyone({ Condition: condition })),
    })),
    {
      change: "AWS: * allowed with a Deny for other accounts beside it (a Deny is not read: strict)",
      resource: "secrets-key",
      edit: keyPolicy(
        toAnyone(),
        toAnyone({ Effect: "Deny", Condition: { StringNotEquals: { "kms:CallerAccount": "123456789012" } } }),
      ),
    },
    {
      change: "AWS: * narrowed by an exact aws:PrincipalArn in this account",
      resource: "secrets-key",
      allowed: true,
      edit: keyPolicy(
        toAnyone({ Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/ops-*" } } }),
      ),
    },
    {
      change: "AWS: * narrowed by kms:CallerAccount",
      resource: "secrets-key",
      allowed: true,
      edit: keyPolicy(toAnyone({ Condition: { StringEquals: { "kms:CallerAccount": "123456789012" } } })),
    },
  ],
  "gcp-iam-forbid-set-iam-policy-roles": [
    {
      change: "Secret Manager Admin on one secret (member)",
      resource: "catalog-api-search-access",
      edit: (i) => void (i.role = "roles/secretmanager.admin"),
    },
    {
      change: "owner on one secret (binding)",
      resource: "catalog-api-search-binding",
      edit: (i) => void (i.role = "roles/owner"),
    },
    {
      change: "Project IAM Admin on the project",
      resource: "rotation-logs",
      edit: (i) => void (i.role = "roles/resourcemanager.projectIamAdmin"),
    },
    {
      change: "Service Account Admin on the workload's service account",
      resource: "catalog-api-workload-identity",
      edit: (i) => void (i.role = "roles/iam.serviceAccountAdmin"),
    },
    {
      change: "Security Admin in a whole organisation IAM policy",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:organizations/iAMPolicy:IAMPolicy", "org", {
          orgId: "1234",
          policyData: JSON.stringify({
            bindings: [{ role: "roles/iam.securityAdmin", members: ["group:sec@example.com"] }],
          }),
        }),
      ],
    },
    {
      change: "Secret Manager Admin on a regional secret",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember", "regional-admin", {
          secretId: "s",
          location: "europe-west1",
          role: "roles/secretmanager.admin",
          member: "serviceAccount:ci@p.iam.gserviceaccount.com",
        }),
      ],
    },
    {
      change: "Secret Manager Admin for a member the config names",
      resource: "catalog-api-search-access",
      allowed: true,
      config: setting("gcp-iam-forbid-set-iam-policy-roles", "members", [
        { member: "serviceAccount:catalog-api@p.iam.gserviceaccount.com", reason: "test" },
      ]),
      edit: (i) => void (i.role = "roles/secretmanager.admin"),
    },
    {
      change: "a custom role holding secretmanager.secrets.setIamPolicy",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:projects/iAMCustomRole:IAMCustomRole", "custom", {
          roleId: "secretSharer",
          title: "Secret sharer",
          permissions: ["secretmanager.versions.access", "secretmanager.secrets.setIamPolicy"],
        }),
      ],
    },
    {
      change: "a custom role holding iam.roles.update",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:organizations/iAMCustomRole:IAMCustomRole", "custom", {
          orgId: "1234",
          roleId: "roleEditor",
          title: "Role editor",
          permissions: ["iam.roles.update"],
        }),
      ],
    },
    {
      change: "a custom role holding secretmanager.secrets.getIamPolicy only",
      allowed: true,
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:projects/iAMCustomRole:IAMCustomRole", "custom", {
          roleId: "secretAuditor",
          title: "Secret auditor",
          permissions: ["secretmanager.secrets.getIamPolicy"],
        }),
      ],
    },
  ],
  "gcp-secretmanager-forbid-project-level-roles": [
    {
      change: "secretAccessor on a folder",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:folder/iAMMember:IAMMember", "folder-reader", {
          folder: "folders/1234",
          role: "roles/secretmanager.secretAccessor",
          member: "serviceAccount:x@p.iam.gserviceaccount.com",
        }),
      ],
    },
    {
      change: "owner on the organisation through a binding",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:organizations/iAMBinding:IAMBinding", "org-owner", {
          orgId: "1234",
          role: "roles/owner",
          members: ["group:platform@example.com"],
        }),
      ],
    },
    {
      change: "secretmanager.admin inside a whole project IAM policy (policyData)",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:projects/iAMPolicy:IAMPolicy", "project-policy", {
          project: "p",
          policyData: JSON.stringify({
            bindings: [
              { role: "roles/viewer", members: ["group:all@example.com"] },
              { role: "roles/secretmanager.admin", members: ["serviceAccount:ci@p.iam.gserviceaccount.com"] },
            ],
          }),
        }),
      ],
    },
    {
      change: "secretAccessor on the project",
      resource: "rotation-logs",
      edit: (i) => void (i.role = "roles/secretmanager.secretAccessor"),
    },
    { change: "owner binding", resource: "monitoring", edit: (i) => void (i.role = "roles/owner") },
    { change: "a project custom role on the project", edit: projectGrant("projects/p/roles/secretReader") },
    {
      change: "an organisation custom role on a folder inside a whole IAM policy (policyData)",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:folder/iAMPolicy:IAMPolicy", "folder-policy", {
          folder: "folders/1234",
          policyData: JSON.stringify({
            bindings: [{ role: "organizations/1234/roles/platformOps", members: ["group:ops@example.com"] }],
          }),
        }),
      ],
    },
    {
      change: "a custom role on the project, exempt by exact name in the config",
      allowed: true,
      config: gcpCustomRoles([
        { role: "projects/p/roles/logWriter", reason: "logging.logEntries.create only" },
      ]),
      edit: projectGrant("projects/p/roles/logWriter"),
    },
    {
      change: "a custom role on the project, the exemption names it in another project",
      config: gcpCustomRoles([
        { role: "projects/q/roles/logWriter", reason: "logging.logEntries.create only" },
      ]),
      edit: projectGrant("projects/p/roles/logWriter"),
    },
    {
      change: "a custom role on the project, the exemption is malformed (empty reason)",
      config: gcpCustomRoles([{ role: "projects/p/roles/logWriter", reason: " " }]),
      edit: projectGrant("projects/p/roles/logWriter"),
    },
    {
      change: "a predefined role without secret access on the project",
      allowed: true,
      edit: projectGrant("roles/logging.logWriter"),
    },
  ],
  "gcp-secretmanager-forbid-public-members": [
    {
      change: "allUsers inside a secret's whole IAM policy (policyData)",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:secretmanager/secretIamPolicy:SecretIamPolicy", "open", {
          secretId: "projects/p/secrets/s",
          policyData: JSON.stringify({
            bindings: [{ role: "roles/secretmanager.secretAccessor", members: ["allUsers"] }],
          }),
        }),
      ],
    },
    {
      change: "allAuthenticatedUsers on a regional secret",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember", "open", {
          secretId: "s",
          location: "europe-west1",
          role: "roles/secretmanager.secretAccessor",
          member: "allAuthenticatedUsers",
        }),
      ],
    },
    {
      change: "allUsers member",
      resource: "catalog-api-search-access",
      edit: (i) => void (i.member = "allUsers"),
    },
    {
      change: "allAuthenticatedUsers in binding",
      resource: "catalog-api-search-binding",
      edit: (i) => void i.members.push("allAuthenticatedUsers"),
    },
  ],
  "gcp-secretmanager-require-cmek": [
    { change: "no CMEK", resource: "catalog-api-search", edit: (i) => void (i.replication = { auto: {} }) },
    {
      change: "user-managed replica without key",
      resource: "catalog-api-search",
      edit: (i) => void (i.replication = { userManaged: { replicas: [{ location: "europe-west1" }] } }),
    },
    {
      change: "no CMEK in dev",
      resource: "catalog-api-search",
      environment: "dev",
      allowed: true,
      edit: (i) => void (i.replication = { auto: {} }),
    },
  ],
  "gcp-secretmanager-require-rotation": [
    { change: "no topic", resource: "catalog-api-search", edit: (i) => void delete i.topics },
    {
      change: "90-day rotation in prod",
      resource: "catalog-api-search",
      edit: (i) => void (i.rotation.rotationPeriod = `${90 * DAY}s`),
    },
    { change: "no rotation", resource: "catalog-api-search", edit: (i) => void delete i.rotation },
  ],
  "azure-keyvault-require-rbac": [
    {
      change: "access policies",
      resource: "kv",
      edit: (i) => void (i.properties.enableRbacAuthorization = false),
    },
  ],
  "azure-keyvault-require-purge-protection": [
    {
      change: "purge protection unset",
      resource: "kv",
      edit: (i) => void delete i.properties.enablePurgeProtection,
    },
  ],
  "azure-keyvault-require-soft-delete-retention": [
    {
      change: "7-day retention in prod",
      resource: "kv",
      edit: (i) => void (i.properties.softDeleteRetentionInDays = 7),
    },
    { change: "soft delete off", resource: "kv", edit: (i) => void (i.properties.enableSoftDelete = false) },
    {
      change: "7-day retention in dev",
      resource: "kv",
      environment: "dev",
      allowed: true,
      edit: (i) => void (i.properties.softDeleteRetentionInDays = 7),
    },
  ],
  "azure-keyvault-restrict-network": [
    {
      change: "default action Allow",
      resource: "kv",
      edit: (i) => void (i.properties.networkAcls.defaultAction = "Allow"),
    },
    { change: "no network ACLs", resource: "kv", edit: (i) => void delete i.properties.networkAcls },
  ],
  "azure-keyvault-require-secret-expiry": [
    {
      change: "no expiry",
      resource: "identity-api-saml",
      edit: (i) => void delete i.properties.attributes.expires,
    },
    {
      change: "whole properties redacted by analyze ([secret]): expiry unverifiable, refused",
      resource: "identity-api-saml",
      edit: (i) => void (i.properties = "[secret]"),
    },
    {
      change: "only properties.value redacted ([secret]), as the engine's state has it",
      resource: "identity-api-saml",
      edit: (i) => void (i.properties.value = "[secret]"),
      allowed: true,
    },
    {
      change: "expires in a year",
      resource: "identity-api-saml",
      edit: (i) => void (i.properties.attributes.expires = Math.floor(Date.now() / 1000) + 365 * DAY),
    },
  ],
  "gcp-storage-restrict-snapshot-uploader-roles": [
    {
      change: "the snapshot uploader holds objectAdmin on its bucket (reads and deletes every snapshot)",
      resource: "vault-snapshot-writer",
      edit: (i) => void (i.role = "roles/storage.objectAdmin"),
    },
    {
      change: "the snapshot uploader holds objectViewer on its bucket",
      resource: "vault-snapshot-writer",
      edit: (i) => void (i.role = "roles/storage.objectViewer"),
    },
    {
      change: "objectCreator on the whole project instead of the bucket",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:projects/iAMMember:IAMMember", "snapshot-project-writer", {
          project: "p",
          role: "roles/storage.objectCreator",
          member: `serviceAccount:${SNAPSHOT_GSA}`,
        }),
      ],
    },
    {
      change: "a binding of objectViewer on the bucket that lists the uploader among others",
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:storage/bucketIAMBinding:BucketIAMBinding", "snapshot-readers", {
          bucket: "sp-prod-vault-snapshots",
          role: "roles/storage.objectViewer",
          members: ["group:vault-operators@example.com", `serviceAccount:${SNAPSHOT_GSA}`],
        }),
      ],
    },
    {
      change: "objectViewer on the bucket to the operators who restore",
      allowed: true,
      edit: (_i, rs) => [
        ...rs,
        recorded("gcp:storage/bucketIAMMember:BucketIAMMember", "snapshot-restorers", {
          bucket: "sp-prod-vault-snapshots",
          role: "roles/storage.objectViewer",
          member: "group:vault-operators@example.com",
        }),
      ],
    },
    {
      change: "objectAdmin for a service account whose Kubernetes account's pods take no snapshot",
      allowed: true,
      resource: "vault-snapshot-writer",
      edit: (i, rs) => {
        i.role = "roles/storage.objectAdmin";
        const job = rs.find((r) => r.name === "vault-snapshot")!.inputs as Inputs;
        job.spec.jobTemplate.spec.template.spec.initContainers[0].command = [
          "/bin/sh",
          "-ec",
          "vault status",
        ];
      },
    },
  ],
  "azure-authorization-restrict-snapshot-uploader-roles": [
    {
      change:
        "the snapshot identity assigned Storage Blob Data Contributor on its container (reads every snapshot)",
      resource: "vault-snapshot-blob-writer",
      edit: (i) =>
        void (i.roleDefinitionId =
          "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
    },
    {
      change: "the snapshot identity assigned Storage Blob Data Reader",
      resource: "vault-snapshot-blob-writer",
      edit: (i) => void (i.roleDefinitionId = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"),
    },
    {
      change: "its custom role also reads blobs",
      resource: "vault-snapshot-writer-role",
      edit: (i) =>
        void i.permissions[0].dataActions.push(
          "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
        ),
    },
    {
      change: "its custom role writes with a wildcard (blobs/*: read and delete too)",
      resource: "vault-snapshot-writer-role",
      edit: (i) =>
        void (i.permissions[0].dataActions = [
          "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*",
        ]),
    },
    {
      change: "its write-only role assigned at the storage account (every container)",
      resource: "vault-snapshot-blob-writer",
      edit: (i) => void (i.scope = SNAPSHOT_CONTAINER.replace(/\/blobServices\/.*$/, "")),
    },
    {
      change: "Storage Blob Data Reader on the container to an operator who restores",
      allowed: true,
      edit: (_i, rs) => [
        ...rs,
        recorded("azure-native:authorization:RoleAssignment", "snapshot-restorer", {
          scope: SNAPSHOT_CONTAINER,
          roleDefinitionId: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
          principalId: "55555555-5555-5555-5555-555555555555",
          principalType: "User",
        }),
      ],
    },
  ],
  "azure-authorization-restrict-keyvault-role-scope": [
    {
      change: "Key Vault Secrets User on a subscription through a PIM eligible assignment",
      edit: (_i, rs) => [
        ...rs,
        recorded("azure-native:authorization:PimRoleEligibilitySchedule", "eligible-reader", {
          principalId: "22222222-2222-2222-2222-222222222222",
          roleDefinitionId: "4633458b-17de-408a-b874-0445c86b69e6",
          scope: "/subscriptions/00000000-0000-0000-0000-000000000000",
        }),
      ],
    },
    {
      change: "Secrets User on the resource group",
      resource: "identity-api-saml-reader",
      edit: (i) =>
        void (i.scope = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-secrets-prod"),
    },
  ],
  "azure-authorization-forbid-admin-custom-roles": [
    {
      change: "Microsoft.Authorization/policyExemptions/write (exempts itself from Azure Policy)",
      edit: customRole([{ actions: ["Microsoft.Authorization/policyExemptions/write"] }]),
    },
    {
      change: "Microsoft.Authorization/roleManagementPolicies/write (PIM settings)",
      edit: customRole([{ actions: ["Microsoft.Authorization/roleManagementPolicies/write"] }]),
    },
    {
      change: "Microsoft.Authorization/*/read only",
      allowed: true,
      edit: customRole([{ actions: ["Microsoft.Authorization/*/read"] }]),
    },
    { change: "actions *", edit: customRole([{ actions: ["*"] }]) },
    {
      change: "Microsoft.Authorization/*/write (role assignments)",
      edit: customRole([{ actions: ["Microsoft.Authorization/*/write"] }]),
    },
    {
      change: "Microsoft.Authorization/roleAssignments/write in any case",
      edit: customRole([{ actions: ["microsoft.authorization/ROLEASSIGNMENTS/write"] }]),
    },
    {
      change: "Microsoft.KeyVault/* (Key Vault Contributor)",
      edit: customRole([{ actions: ["Microsoft.KeyVault/*"] }]),
    },
    {
      change: "data actions Microsoft.KeyVault/vaults/secrets/* (Secrets Officer), in the second permission",
      edit: customRole([
        { actions: ["Microsoft.Resources/subscriptions/resourceGroups/read"] },
        { dataActions: ["Microsoft.KeyVault/vaults/secrets/*"] },
      ]),
    },
    {
      change: "data actions * with getSecret removed (setSecret and the rest remain)",
      edit: customRole([
        { dataActions: ["*"], notDataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action"] },
      ]),
    },
    {
      change: "actions * with the authorization writes removed (Contributor: Key Vault writes remain)",
      edit: customRole([
        {
          actions: ["*"],
          notActions: [
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/elevateAccess/Action",
          ],
        },
      ]),
    },
    {
      change: "a Key Vault Reader clone (wildcard reads only)",
      allowed: true,
      edit: customRole([
        {
          actions: ["Microsoft.Authorization/*/read", "Microsoft.KeyVault/vaults/*/read"],
          dataActions: [
            "Microsoft.KeyVault/vaults/*/read",
            "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
          ],
        },
      ]),
    },
    {
      change: "a rotator's exact data actions",
      allowed: true,
      edit: customRole([
        {
          actions: [],
          dataActions: [
            "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/setSecret/action",
          ],
        },
      ]),
    },
    {
      change: "Microsoft.KeyVault/* with every admin operation removed by notActions",
      allowed: true,
      edit: customRole([
        {
          actions: ["Microsoft.KeyVault/*"],
          notActions: [
            "Microsoft.KeyVault/vaults/write",
            "Microsoft.KeyVault/vaults/accessPolicies/write",
            "Microsoft.KeyVault/vaults/deploy/action",
          ],
        },
      ]),
    },
    {
      change: "Microsoft.KeyVault/* with only the vault write removed",
      edit: customRole([
        { actions: ["Microsoft.KeyVault/*"], notActions: ["Microsoft.KeyVault/vaults/write"] },
      ]),
    },
    {
      change: "an admin custom role exempt by exact roleName in the config",
      allowed: true,
      config: azureCustomRoles([{ role: "vault-ops", reason: "vault operators; PIM-eligible only" }]),
      edit: customRole([{ dataActions: ["Microsoft.KeyVault/vaults/*"] }]),
    },
    {
      change: "an admin custom role, the exemption names another role",
      config: azureCustomRoles([{ role: "Vault-Ops", reason: "vault operators" }]),
      edit: customRole([{ dataActions: ["Microsoft.KeyVault/vaults/*"] }]),
    },
    {
      change: "an admin custom role, the exemption is malformed (no role)",
      config: azureCustomRoles([{ reason: "vault operators" }]),
      edit: customRole([{ dataActions: ["Microsoft.KeyVault/vaults/*"] }]),
    },
  ],
  "azure-authorization-forbid-admin-roles-for-workloads": [
    {
      change: "Role Based Access Control Administrator on one secret",
      resource: "identity-api-saml-reader",
      edit: (i) =>
        void (i.roleDefinitionId = i.roleDefinitionId.replace(
          "4633458b-17de-408a-b874-0445c86b69e6",
          "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        )),
    },
    {
      change: "Key Vault Administrator to a workload",
      resource: "identity-api-saml-reader",
      edit: (i) => void (i.roleDefinitionId = "00482a5a-887f-4fb3-b363-3b7fe8e74483"),
    },
    {
      change: "Key Vault Administrator to a principal declared a Group (the declared type decides nothing)",
      resource: "identity-api-saml-reader",
      edit: (i) =>
        void Object.assign(i, {
          roleDefinitionId: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
          principalType: "Group",
        }),
    },
    {
      change: "Key Vault Administrator to an operator group the config exempts by exact id",
      resource: "identity-api-saml-reader",
      allowed: true,
      config: {
        "azure-authorization-forbid-admin-roles-for-workloads": {
          exemptions: [
            { principal: "77777777-7777-7777-7777-777777777777", reason: "vault operators group" },
          ],
        },
      },
      edit: (i) =>
        void Object.assign(i, {
          roleDefinitionId: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
          principalId: "77777777-7777-7777-7777-777777777777",
          principalType: "Group",
        }),
    },
    {
      change: "Owner through a PIM eligible assignment",
      edit: (_i, rs) => [
        ...rs,
        recorded("azure-native:authorization:PimRoleEligibilitySchedule", "eligible-owner", {
          principalId: "22222222-2222-2222-2222-222222222222",
          roleDefinitionId: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
          scope: "/subscriptions/00000000-0000-0000-0000-000000000000",
        }),
      ],
    },
    {
      change: "User Access Administrator through a blueprint artifact",
      edit: (_i, rs) => [
        ...rs,
        recorded("azure-native:blueprint:RoleAssignmentArtifact", "blueprint-uaa", {
          blueprintName: "landing-zone",
          kind: "roleAssignment",
          principalIds: ["[parameters('deployers')]"],
          resourceScope: "/subscriptions/00000000-0000-0000-0000-000000000000",
          roleDefinitionId: "18d7d88d-d35e-4fb5-a5c3-7773c4a72b9d",
        }),
      ],
    },
  ],
  "vault-policy-forbid-privileged-workload-paths": [
    {
      change: "sudo",
      resource: "workload-payments-api",
      edit: (i) => void (i.policy = i.policy.replace('["read"]', '["read", "sudo"]')),
    },
    {
      change: "a glob confined below the workload's own folder (kv-prod/data/payments/*)",
      resource: "workload-payments-api",
      allowed: true,
      edit: (i) => void (i.policy = i.policy.replace("payments/webhook-signing", "payments/*")),
    },
    {
      change: "a glob right below data/ (kv-prod/data/*)",
      resource: "workload-payments-api",
      edit: (i) => void (i.policy = i.policy.replace("payments/webhook-signing", "*")),
    },
    {
      change: "a glob right below data/, with globMinFixedSegments 2",
      resource: "workload-payments-api",
      allowed: true,
      config: setting("vault-policy-forbid-privileged-workload-paths", "globMinFixedSegments", 2),
      edit: (i) => void (i.policy = i.policy.replace("payments/webhook-signing", "*")),
    },
    {
      change: "a glob at mount level (kv-prod/*)",
      resource: "workload-payments-api",
      edit: (i) => void (i.policy = i.policy.replace("kv-prod/data/payments/webhook-signing", "kv-prod/*")),
    },
    {
      change: "a + segment right after creds/",
      resource: "workload-payments-api",
      edit: (i) => void (i.policy = i.policy.replace("creds/orders-pg-read-write", "creds/+")),
    },
    {
      change: "a glob below metadata/ (not data/ or creds/)",
      resource: "workload-payments-api",
      edit: (i) =>
        void (i.policy = i.policy.replace(
          "kv-prod/data/payments/webhook-signing",
          "kv-prod/metadata/payments/*",
        )),
    },
    {
      change: "a glob below metadata/, with globAfterMount []",
      resource: "workload-payments-api",
      allowed: true,
      config: setting("vault-policy-forbid-privileged-workload-paths", "globAfterMount", []),
      edit: (i) =>
        void (i.policy = i.policy.replace(
          "kv-prod/data/payments/webhook-signing",
          "kv-prod/metadata/payments/*",
        )),
    },
    {
      change: "a deep glob under auth/ (read)",
      resource: "workload-payments-api",
      edit: (i) =>
        void (i.policy = i.policy.replace(
          "kv-prod/data/payments/webhook-signing",
          "auth/kubernetes-eks-prod/role/payments/*",
        )),
    },
    {
      change: "update on its own login role, exact path",
      resource: "workload-payments-api",
      edit: (i) =>
        void (i.policy +=
          'path "auth/kubernetes-eks-prod/role/payments-api" {\n  capabilities = ["update"]\n}\n'),
    },
    {
      change: "read on its own login role, exact path",
      resource: "workload-payments-api",
      allowed: true,
      edit: (i) =>
        void (i.policy +=
          'path "auth/kubernetes-eks-prod/role/payments-api" {\n  capabilities = ["read"]\n}\n'),
    },
    {
      change: "create on a token role, exact path",
      resource: "workload-payments-api",
      edit: (i) =>
        void (i.policy += 'path "auth/token/roles/payments-api" {\n  capabilities = ["create"]\n}\n'),
    },
    {
      change: "update on an AppRole role's secret-id, exact path",
      resource: "workload-payments-api",
      edit: (i) =>
        void (i.policy += 'path "auth/approle/role/nightly/secret-id" {\n  capabilities = ["update"]\n}\n'),
    },
    {
      change: "update on its token (renew-self), exact path",
      resource: "workload-payments-api",
      allowed: true,
      edit: (i) => void (i.policy += 'path "auth/token/renew-self" {\n  capabilities = ["update"]\n}\n'),
    },
    {
      change: "patch on an auth method's config, exact path",
      resource: "workload-payments-api",
      edit: (i) =>
        void (i.policy += 'path "auth/kubernetes-eks-prod/config" {\n  capabilities = ["patch"]\n}\n'),
    },
    {
      change: "update on an identity group, exact path",
      resource: "workload-payments-api",
      edit: (i) =>
        void (i.policy += 'path "identity/group/name/payments" {\n  capabilities = ["update"]\n}\n'),
    },
    {
      change: "update on auth/token/create/<role> (tokens with a token role's policies)",
      resource: "workload-payments-api",
      edit: (i) => void (i.policy += 'path "auth/token/create/deployer" {\n  capabilities = ["update"]\n}\n'),
    },
    {
      change: "create on an entity alias, exact path",
      resource: "workload-payments-api",
      edit: (i) => void (i.policy += 'path "identity/entity-alias" {\n  capabilities = ["create"]\n}\n'),
    },
    {
      change: "update on its own ACL policy, exact path",
      resource: "workload-payments-api",
      edit: (i) =>
        void (i.policy +=
          'path "sys/policies/acl/workload-payments-api" {\n  capabilities = ["update"]\n}\n'),
    },
    {
      change: "sys/ path",
      resource: "workload-payments-api",
      edit: (i) => void (i.policy += 'path "sys/mounts" {\n  capabilities = ["read"]\n}\n'),
    },
    {
      change: "malformed HCL",
      resource: "workload-payments-api",
      edit: (i) => void (i.policy = 'path "x" {'),
    },
    {
      change: "sudo under another name (its role follows)",
      edit: (_i, rs) => {
        const policy = rs.find((r) => r.name === "workload-payments-api")!;
        const role = rs.find((r) => r.name === "payments-api")!;
        Object.assign(policy.inputs, { name: "billing", policy: SUDO_HCL });
        Object.assign(policy.outputs, policy.inputs);
        role.inputs.tokenPolicies = role.outputs.tokenPolicies = ["billing"];
      },
    },
    {
      change: "sudo in a policy only a person's login (an OIDC role) carries",
      allowed: true,
      edit: (_i, rs) => {
        const policy = rs.find((r) => r.name === "workload-payments-api")!;
        policy.inputs.policy = policy.outputs.policy = SUDO_HCL;
        return rs.map((r) =>
          r.name === "payments-api"
            ? recorded("vault:jwt/authBackendRole:AuthBackendRole", "operators", {
                backend: "oidc",
                roleName: "operators",
                roleType: "oidc",
                userClaim: "sub",
                tokenPolicies: ["workload-payments-api"],
              })
            : r,
        );
      },
    },
  ],
  "vault-kubernetes-forbid-wildcard-bindings": [
    {
      change: "namespace *",
      resource: "payments-api",
      edit: (i) => void (i.boundServiceAccountNamespaces = ["*"]),
    },
    {
      change: "service account glob",
      resource: "payments-api",
      edit: (i) => void (i.boundServiceAccountNames = ["payments-*"]),
    },
  ],
  "vault-database-limit-role-ttl": [
    {
      change: "24h maxTtl in prod",
      resource: "orders-pg-read-write",
      edit: (i) => void (i.maxTtl = 24 * 3600),
    },
    {
      change: "24h maxTtl in dev",
      resource: "orders-pg-read-write",
      environment: "dev",
      allowed: true,
      edit: (i) => void (i.maxTtl = 24 * 3600),
    },
    { change: "maxTtl unset", resource: "orders-pg-read-write", edit: (i) => void delete i.maxTtl },
  ],
  "vault-audit-require-device": [
    {
      change: "audit device removed",
      edit: (_i, rs) => rs.filter((r) => r.type !== "vault:index/audit:Audit"),
    },
  ],
  "vault-helm-require-tls": [
    { change: "tlsDisable true", resource: "vault", edit: (i) => void (i.values.global.tlsDisable = true) },
    {
      change: "tlsDisable false but the raft listener sets tls_disable = 1",
      resource: "vault",
      edit: (i) =>
        void (i.values.server.ha.raft.config = i.values.server.ha.raft.config.replace(
          "tls_disable = false",
          "tls_disable = 1",
        )),
    },
    {
      change: "tlsDisable false but no server config (the chart's default disables TLS)",
      resource: "vault",
      edit: (i) => void delete i.values.server.ha.raft.config,
    },
    {
      change: "the same release through a v4 Chart from an OCI registry",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:helm.sh/v4:Chart", "secrets-store", {
          chart: "oci://registry.example.com/charts/vault",
          values: { global: { tlsDisable: true } },
        }),
      ],
    },
    {
      change: "a plain StatefulSet running Vault with VAULT_ADDR http://",
      edit: (_i, rs) => [
        ...rs,
        vaultStatefulSet({ env: [{ name: "VAULT_ADDR", value: "http://127.0.0.1:8200" }] }),
      ],
    },
    {
      change: "a plain StatefulSet running Vault that shows no TLS at all",
      edit: (_i, rs) => [...rs, vaultStatefulSet({ env: [] })],
    },
    {
      change: "a plain StatefulSet running Vault over https",
      allowed: true,
      edit: (_i, rs) => [...rs, vaultStatefulSet({})],
    },
    {
      change: 'a ConfigMap mounted as the server\'s config, under another key, with tls_disable = "true"',
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:core/v1:ConfigMap", "kv-settings", {
          metadata: { name: "kv-settings", namespace: "platform" },
          data: { "main.conf": 'listener "tcp" {\n  address = "0.0.0.0:8200"\n  tls_disable = "true"\n}\n' },
        }),
      ],
    },
  ],
  "vault-helm-require-verified-transit-seal": [
    {
      change: "a transit seal as unseal: transit renders it (https, CA, token from a mounted file)",
      resource: "vault",
      allowed: true,
      edit: withTransitSeal({}),
    },
    {
      change: "a transit seal over plain http",
      resource: "vault",
      edit: withTransitSeal({ address: "http://unseal.example.internal:8200" }),
    },
    {
      change: 'a transit seal with tls_skip_verify = "true"',
      resource: "vault",
      edit: withTransitSeal({ tls_skip_verify: "true" }),
    },
    {
      change: "a transit seal holding the token itself",
      resource: "vault",
      edit: withTransitSeal({ token: "s.unseal-token-literal" }),
    },
    {
      change: "VAULT_TOKEN in the chart's plain extraEnvironmentVars",
      resource: "vault",
      edit: (i) => {
        withTransitSeal({ token: null })(i);
        i.values.server.extraEnvironmentVars = { VAULT_TOKEN: "s.unseal-token-literal" };
      },
    },
    {
      change: "a ConfigMap holding a server config whose transit seal holds the token itself",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:core/v1:ConfigMap", "vault-extra", {
          metadata: { name: "vault-extra", namespace: "vault" },
          data: { "seal.hcl": transitSeal({ token: "s.unseal-token-literal" }) },
        }),
      ],
    },
    {
      change: "a Secret holding a server config whose transit seal holds the token itself",
      allowed: true,
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:core/v1:Secret", "vault-extra", {
          metadata: { name: "vault-extra", namespace: "vault" },
          stringData: { "seal.hcl": transitSeal({ token: "s.unseal-token-literal" }) },
        }),
      ],
    },
  ],
  "vault-policy-restrict-snapshot-grants": [
    {
      change: "the snapshot job's policy: read on sys/storage/raft/snapshot alone",
      allowed: true,
      edit: withVaultPolicy('path "sys/storage/raft/snapshot" {\n  capabilities = ["read"]\n}\n'),
    },
    {
      change: "the snapshot policy also reading a KV path",
      edit: withVaultPolicy(
        'path "sys/storage/raft/snapshot" {\n  capabilities = ["read"]\n}\npath "kv-prod/data/x" {\n  capabilities = ["read"]\n}\n',
      ),
    },
    {
      change: "the snapshot policy with update (restore) on the snapshot path",
      edit: withVaultPolicy('path "sys/storage/raft/snapshot" {\n  capabilities = ["read", "update"]\n}\n'),
    },
    {
      change: "a policy granting snapshot-force (forced restore), in JSON",
      edit: withVaultPolicy('{"path": {"sys/storage/raft/snapshot-force": {"capabilities": ["update"]}}}'),
    },
    {
      change: "a policy with a denied snapshot path beside other grants",
      allowed: true,
      edit: withVaultPolicy(
        'path "sys/storage/raft/snapshot" {\n  capabilities = ["deny"]\n}\npath "kv-prod/data/x" {\n  capabilities = ["read"]\n}\n',
      ),
    },
  ],
  "vault-helm-require-raft-quorum": [
    { change: "1 replica in prod", resource: "vault", edit: (i) => void (i.values.server.ha.replicas = 1) },
    {
      change: "1 replica in dev",
      resource: "vault",
      environment: "dev",
      allowed: true,
      edit: (i) => void (i.values.server.ha.replicas = 1),
    },
    { change: "raft off", resource: "vault", edit: (i) => void (i.values.server.ha.raft.enabled = false) },
    {
      change: "servers only preferred on different nodes (a one-node cluster's values) in prod",
      resource: "vault",
      edit: (i) =>
        void (i.values.server.affinity = {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname" } },
            ],
          },
        }),
    },
    {
      change: "affinity emptied in prod",
      resource: "vault",
      edit: (i) => void (i.values.server.affinity = ""),
    },
    {
      change: "servers required in different zones in prod",
      resource: "vault",
      allowed: true,
      edit: (i) =>
        void (i.values.server.affinity = {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "topology.kubernetes.io/zone" }],
          },
        }),
    },
    {
      change: "affinity left to the chart (its default spreads by node) in prod",
      resource: "vault",
      allowed: true,
      edit: (i) => void delete i.values.server.affinity,
    },
    {
      change: "affinity emptied in dev (a one-node lab cluster)",
      resource: "vault",
      environment: "dev",
      allowed: true,
      edit: (i) => void (i.values.server.affinity = ""),
    },
    {
      change: "a renamed fork of the chart whose values configure one server",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:helm.sh/v3:Release", "kv-store", {
          chart: "./charts/secrets-store",
          values: { server: { standalone: { enabled: true } } },
        }),
      ],
    },
    {
      change: "a plain StatefulSet running Vault with 1 replica",
      edit: (_i, rs) => [...rs, vaultStatefulSet({ replicas: 1 })],
    },
    {
      change: "a Deployment running the Vault server",
      edit: (_i, rs) => [...rs, vaultStatefulSet({ kind: "Deployment" })],
    },
  ],
  "vault-helm-require-pinned-image": [
    { change: "tag latest", resource: "vault", edit: (i) => void (i.values.server.image.tag = "latest") },
    { change: "tag 1.21", resource: "vault", edit: (i) => void (i.values.server.image.tag = "1.21") },
    {
      change: "tag unset (the pinned chart's default)",
      resource: "vault",
      allowed: true,
      edit: (i) => void delete i.values.server.image.tag,
    },
    {
      change: "tag with digest",
      resource: "vault",
      allowed: true,
      edit: (i) => void (i.values.server.image.tag = `1.21.0@sha256:${"a".repeat(64)}`),
    },
    {
      change: "a plain StatefulSet running a mirrored Vault image without a tag",
      edit: (_i, rs) => [...rs, vaultStatefulSet({ image: "mirror.example.com/hashicorp/vault" })],
    },
    {
      change: "a StatefulSetPatch moving a Vault container to 1.21",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:apps/v1:StatefulSetPatch", "bump", {
          metadata: { name: "vault", namespace: "vault" },
          spec: { template: { spec: { containers: [{ name: "vault", image: "hashicorp/vault:1.21" }] } } },
        }),
      ],
    },
    {
      change: "a plain StatefulSet running Vault by digest",
      allowed: true,
      edit: (_i, rs) => [...rs, vaultStatefulSet({ image: `hashicorp/vault@sha256:${"b".repeat(64)}` })],
    },
  ],
  "vault-helm-forbid-dev-mode": [
    { change: "dev mode", resource: "vault", edit: (i) => void (i.values.server.dev = { enabled: true }) },
    {
      change: "dev mode in a release of hashicorp/vault named otherwise",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:helm.sh/v3:Release", "team-kv", {
          chart: "hashicorp/vault",
          name: "team-kv",
          values: { server: { dev: { enabled: true } } },
        }),
      ],
    },
    {
      change: "a plain Deployment running the Vault image with its default command (server -dev)",
      edit: (_i, rs) => [...rs, vaultStatefulSet({ kind: "Deployment", command: null })],
    },
    {
      change: "a Pod running vault server -dev",
      edit: (_i, rs) => [
        ...rs,
        vaultStatefulSet({
          kind: "Pod",
          command: ["vault"],
          args: ["server", "-dev", "-dev-listen-address=0.0.0.0:8200"],
        }),
      ],
    },
    {
      change: "a StatefulSet with VAULT_DEV_ROOT_TOKEN_ID",
      edit: (_i, rs) => [
        ...rs,
        vaultStatefulSet({ env: [{ name: "VAULT_DEV_ROOT_TOKEN_ID", value: "root" }, ...HTTPS_ENV] }),
      ],
    },
    {
      change: "a Vault agent sidecar (vault agent, not a server)",
      allowed: true,
      edit: (_i, rs) => [
        ...rs,
        vaultStatefulSet({
          kind: "Deployment",
          command: ["vault"],
          args: ["agent", "-config=/etc/agent.hcl"],
        }),
      ],
    },
  ],
  "kubernetes-core-forbid-literal-secret-data": [
    {
      change: "a SecretPatch with stringData",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:core/v1:SecretPatch", "patch", {
          metadata: { name: "eso-token", namespace: "payments" },
          stringData: { password: "from-the-program" },
        }),
      ],
    },
    {
      change: "a SecretList item with data",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:core/v1:SecretList", "list", {
          items: [{ metadata: { name: "a", namespace: "payments" }, data: { key: "dmFsdWU=" } }],
        }),
      ],
    },
    {
      change: "data withheld as [secret] by analyze",
      resource: "eso-token",
      edit: (i) => void ((i.type = "Opaque"), (i.data = "[secret]")),
    },
    {
      change: "a service-account token Secret whose data the cluster filled (token, ca.crt, namespace)",
      resource: "eso-token",
      allowed: true,
      edit: (i) => void (i.data = { token: "[secret]", "ca.crt": "Y2E=", namespace: "cGF5bWVudHM=" }),
    },
    {
      change: "a service-account token Secret with one more key from the program",
      resource: "eso-token",
      edit: (i) => void (i.data = { token: "dA==", password: "cA==" }),
    },
    {
      change: "stringData",
      resource: "eso-token",
      edit: (i) => void (i.stringData = { password: "from-the-program" }),
    },
  ],
  "kubernetes-externalsecrets-limit-refresh-interval": [
    {
      change: "a ClusterExternalSecret refreshing every 0s",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:external-secrets.io/v1:ClusterExternalSecret", "all-ns", {
          metadata: { name: "all-ns" },
          spec: {
            namespaceSelectors: [{ matchLabels: { team: "payments" } }],
            externalSecretSpec: {
              refreshInterval: "0s",
              secretStoreRef: { kind: "SecretStore", name: "vault" },
            },
          },
        }),
      ],
    },
    {
      change: "a v1beta1 ExternalSecret refreshing every 24h",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:external-secrets.io/v1beta1:ExternalSecret", "old", {
          metadata: { name: "old", namespace: "payments" },
          spec: { refreshInterval: "24h", secretStoreRef: { kind: "SecretStore", name: "vault" } },
        }),
      ],
    },
    {
      change: "an ExternalSecretPatch setting refreshPolicy CreatedOnce",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:external-secrets.io/v1:ExternalSecretPatch", "once", {
          metadata: { name: "payments-api-orders-db", namespace: "payments" },
          spec: { refreshPolicy: "CreatedOnce" },
        }),
      ],
    },
    {
      change: "an ExternalSecretPatch that sets only labels",
      allowed: true,
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:external-secrets.io/v1:ExternalSecretPatch", "labels", {
          metadata: { name: "payments-api-orders-db", namespace: "payments", labels: { team: "payments" } },
        }),
      ],
    },
    {
      change: "refreshInterval 0s",
      resource: "payments-api-orders-db",
      edit: (i) => void (i.spec.refreshInterval = "0s"),
    },
    {
      change: "refreshInterval 24h in prod",
      resource: "payments-api-orders-db",
      edit: (i) => void (i.spec.refreshInterval = "24h"),
    },
    {
      change: "refreshInterval 24h in dev",
      resource: "payments-api-orders-db",
      environment: "dev",
      allowed: true,
      edit: (i) => void (i.spec.refreshInterval = "24h"),
    },
    {
      change: "refreshPolicy CreatedOnce",
      resource: "payments-api-orders-db",
      edit: (i) => void (i.spec.refreshPolicy = "CreatedOnce"),
    },
  ],
  "kubernetes-externalsecrets-restrict-cluster-store-namespaces": [
    { change: "no conditions", resource: "shared-feature-flags", edit: (i) => void delete i.spec.conditions },
    {
      change: "empty condition",
      resource: "shared-feature-flags",
      edit: (i) => void (i.spec.conditions = [{}]),
    },
  ],
  "kubernetes-rbac-restrict-secret-access": [
    { change: "get on its Secret becomes get, list", edit: secretRule((r) => void r.verbs.push("list")) },
    { change: "watch on its Secret", edit: secretRule((r) => void (r.verbs = ["watch"])) },
    { change: "get without resourceNames", edit: secretRule((r) => void delete r.resourceNames) },
    {
      change: "get by name on secrets of every API group (still only that name)",
      allowed: true,
      edit: secretRule((r) => void (r.apiGroups = ["*"])),
    },
    {
      change: "get by name on resources * (nodes/proxy of a node so named too)",
      edit: secretRule((r) => void (r.resources = ["*"])),
    },
    {
      change: "list on resources * of every API group",
      edit: addRule({ apiGroups: ["*"], resources: ["*"], verbs: ["list"] }),
    },
    {
      change: "get by name on a service-account token Secret of its namespace",
      edit: secretRule((r) => void (r.resourceNames = ["eso-token"])),
    },
    {
      change: "get by name on a Secret another workload's pods mount",
      edit: (_i, rs) => {
        ownRole(rs).rules[0].resourceNames = ["orders-db"];
        return [
          ...rs,
          recorded("kubernetes:apps/v1:Deployment", "orders-worker", {
            metadata: { name: "orders-worker", namespace: "payments" },
            spec: {
              selector: { matchLabels: { app: "orders-worker" } },
              template: {
                spec: {
                  serviceAccountName: "orders-worker",
                  containers: [{ name: "w", image: "registry.example.com/orders-worker:2.0.1" }],
                  volumes: [{ name: "db", secret: { secretName: "orders-db" } }],
                },
              },
            },
          }),
        ];
      },
    },
    {
      change: "get by name on a Secret delivered to its namespace that no pod uses",
      allowed: true,
      edit: (_i, rs) => {
        ownRole(rs).rules[0].resourceNames = ["payments-api-webhook"];
        return [
          ...rs,
          recorded("kubernetes:external-secrets.io/v1:ExternalSecret", "webhook", {
            metadata: { name: "webhook", namespace: "payments" },
            spec: {
              refreshInterval: "30m",
              secretStoreRef: { kind: "SecretStore", name: "vault" },
              target: { name: "payments-api-webhook" },
              dataFrom: [{ extract: { key: "kv-prod/data/payments/webhook-signing" } }],
            },
          }),
        ];
      },
    },
    {
      change: "the binding in another namespace than the service account's",
      edit: (_i, rs) => void (bindingOf(rs).subjects[0].namespace = "orders"),
    },
    {
      change: "the same Role bound to the service account as its system:serviceaccount user",
      allowed: true,
      edit: (_i, rs) =>
        void (bindingOf(rs).subjects[0] = {
          kind: "User",
          name: "system:serviceaccount:payments:payments-api",
        }),
    },
    {
      change: "list on Secrets, bound to the service account as its system:serviceaccount user",
      edit: (_i, rs) => {
        ownRole(rs).rules[0].verbs = ["list"];
        bindingOf(rs).subjects[0] = { kind: "User", name: "system:serviceaccount:payments:payments-api" };
      },
    },
    {
      change: "list on Secrets, reaching only a group of people",
      allowed: true,
      edit: (_i, rs) => {
        ownRole(rs).rules[0].verbs = ["list"];
        bindingOf(rs).subjects.shift();
      },
    },
    {
      change: "the binding's subject is the namespace's service-account group",
      edit: (_i, rs) =>
        void (bindingOf(rs).subjects[0] = { kind: "Group", name: "system:serviceaccounts:payments" }),
    },
    {
      change: "the binding's subject is system:authenticated",
      edit: (_i, rs) => void (bindingOf(rs).subjects[0] = { kind: "Group", name: "system:authenticated" }),
    },
    {
      change: "escalate on roles",
      edit: addRule({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["escalate"] }),
    },
    {
      change: "bind on clusterroles",
      edit: addRule({
        apiGroups: ["rbac.authorization.k8s.io"],
        resources: ["clusterroles"],
        verbs: ["bind"],
      }),
    },
    {
      change: "impersonate serviceaccounts",
      edit: addRule({ apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] }),
    },
    {
      change: "* on rolebindings",
      edit: addRule({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["*"] }),
    },
    {
      change: "create serviceaccounts/token",
      edit: addRule({ apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] }),
    },
    { change: "create pods", edit: addRule({ apiGroups: [""], resources: ["pods"], verbs: ["create"] }) },
    {
      change: "list pods (no create)",
      allowed: true,
      edit: addRule({ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }),
    },
    {
      change: "create pods/exec",
      edit: addRule({ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }),
    },
    {
      change: "get nodes/proxy",
      edit: addRule({ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }),
    },
    {
      change: "create mutatingwebhookconfigurations",
      edit: addRule({
        apiGroups: ["admissionregistration.k8s.io"],
        resources: ["mutatingwebhookconfigurations"],
        verbs: ["create"],
      }),
    },
    {
      change: "get nodes (no proxy)",
      allowed: true,
      edit: addRule({ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list"] }),
    },
    {
      change: "patch deployments",
      edit: addRule({ apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] }),
    },
    {
      change: "create cronjobs",
      edit: addRule({ apiGroups: ["batch"], resources: ["cronjobs"], verbs: ["create"] }),
    },
    { change: "* on apps/*", edit: addRule({ apiGroups: ["apps"], resources: ["*"], verbs: ["*"] }) },
    {
      change: "a ClusterRole aggregating a labelled ClusterRole that lists Secrets",
      edit: boundClusterRole(
        {
          aggregationRule: {
            clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate-to-ops": "true" } }],
          },
        },
        undefined,
        [
          recorded(`${RBAC}:ClusterRole`, "secrets-lister", {
            metadata: { name: "secrets-lister", labels: { "example.com/aggregate-to-ops": "true" } },
            rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }],
          }),
        ],
      ),
    },
    {
      change: "a ClusterRole aggregating a labelled ClusterRole that lists ConfigMaps",
      allowed: true,
      edit: boundClusterRole(
        {
          aggregationRule: {
            clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate-to-ops": "true" } }],
          },
        },
        undefined,
        [
          recorded(`${RBAC}:ClusterRole`, "configmaps-lister", {
            metadata: { name: "configmaps-lister", labels: { "example.com/aggregate-to-ops": "true" } },
            rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["list"] }],
          }),
        ],
      ),
    },
    {
      change: "a ClusterRole aggregated into the built-in view role that gets Secrets",
      edit: (_i, rs) => [
        ...rs,
        recorded(`${RBAC}:ClusterRole`, "view-secrets", {
          metadata: {
            name: "view-secrets",
            labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" },
          },
          rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }],
        }),
      ],
    },
    {
      change: "a RoleBinding of the built-in edit role",
      edit: rebind({ kind: "ClusterRole", name: "edit" }),
    },
    {
      change: "a RoleBinding of the built-in view role",
      allowed: true,
      edit: rebind({ kind: "ClusterRole", name: "view" }),
    },
    {
      change: "a RoleBinding of a ClusterRole the stack does not define",
      edit: rebind({ kind: "ClusterRole", name: "vendor-operator" }),
    },
    {
      change: "a ClusterRoleBinding of the same named get",
      edit: (_i, rs) => [
        ...rs,
        recorded(`${RBAC}:ClusterRoleBinding`, "their-binding", {
          metadata: { name: "their-binding" },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "their-role" },
          subjects: [{ kind: "ServiceAccount", name: "payments-api", namespace: "payments" }],
        }),
        recorded(`${RBAC}:ClusterRole`, "their-role", {
          metadata: { name: "their-role" },
          rules: [
            {
              apiGroups: [""],
              resources: ["secrets"],
              verbs: ["get"],
              resourceNames: ["payments-api-orders-db"],
            },
          ],
        }),
      ],
    },
    {
      change: "a RoleList holding a Role that lists Secrets, bound by a RoleBindingPatch",
      edit: (_i, rs) => [
        ...rs,
        recorded(`${RBAC}:RoleList`, "their-roles", {
          items: [
            {
              metadata: { name: "lister", namespace: "payments" },
              rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }],
            },
          ],
        }),
        recorded(`${RBAC}:RoleBindingPatch`, "their-binding", {
          metadata: { name: "lister", namespace: "payments" },
          roleRef: { kind: "Role", name: "lister" },
          subjects: [{ kind: "ServiceAccount", name: "payments-api" }],
        }),
      ],
    },
    {
      change: "a v1beta1 RolePatch widening the Role to list",
      edit: (_i, rs) => [
        ...rs,
        recorded("kubernetes:rbac.authorization.k8s.io/v1beta1:RolePatch", "widen", {
          metadata: { name: "payments-api-own-secret", namespace: "payments" },
          rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }],
        }),
      ],
    },
    {
      change: "list on Secrets for a service account the config names, with a reason",
      allowed: true,
      config: setting("kubernetes-rbac-restrict-secret-access", "serviceAccounts", [
        { serviceAccount: "payments/payments-api", reason: "reads every Secret of its namespace by design" },
      ]),
      edit: secretRule((r) => void (r.verbs = ["list"])),
    },
  ],
  "pulumi-resource-detect-credential-literals": [
    // Built at run time so the repository's secret scan does not see a key-shaped literal.
    {
      change: "AWS key id in a description",
      resource: "secrets-key",
      edit: (i) => void (i.description = ["AK", "IA", "Z".repeat(16)].join("")),
    },
    {
      change: "password in a URL",
      resource: "eso-token",
      edit: (i) => void (i.metadata.annotations.dsn = ["postgres://app", ":hunter22@db/x"].join("")),
    },
    {
      change: "a value redacted by analyze ([secret]) is a secret, not a literal",
      resource: "eso-token",
      allowed: true,
      edit: (i) => void (i.metadata.annotations.dsn = "[secret]"),
    },
    {
      change: "Vault connection-URL template (not a literal)",
      resource: "eso-token",
      allowed: true,
      edit: (i) =>
        void (i.metadata.annotations.dsn = "postgresql://{{username}}:{{password}}@db:5432/orders"),
    },
  ],
  "pulumi-resource-require-protect": [
    {
      change: "secret unprotected in prod",
      resource: "payments-api-stripe",
      edit: (_i, rs) => unprotect(rs, "payments-api-stripe"),
    },
    { change: "vault unprotected in prod", resource: "kv", edit: (_i, rs) => unprotect(rs, "kv") },
    {
      change: "secret unprotected in dev",
      resource: "payments-api-stripe",
      environment: "dev",
      allowed: true,
      edit: (_i, rs) => unprotect(rs, "payments-api-stripe"),
    },
  ],
};

function unprotect(resources: RecordedResource[], name: string): RecordedResource[] {
  return resources.map((r) => (r.name === name ? { ...r, opts: { ...r.opts, protect: false } } : r));
}

function applyMutation(m: Mutation): RecordedResource[] {
  let resources = compliantStack();
  const target = m.resource === undefined ? undefined : resources.find((r) => r.name === m.resource);
  if (m.resource !== undefined) assert.ok(target, `fixture ${m.resource} exists`);
  const result = m.edit(target?.inputs ?? {}, resources);
  // Stack policies read outputs, which the engine derives from the inputs.
  if (target) Object.assign(target.outputs, target.inputs);
  if (result) resources = result;
  return resources;
}

describe("policy pack", () => {
  it("has a mutation table entry for every policy, and no entry for a policy it lacks", () => {
    assert.deepEqual(Object.keys(MUTATIONS).sort(), policies.map((p) => p.name).sort());
  });

  it("holds one policy per file of policy/policies, named as its file", () => {
    const files = fs
      .readdirSync(path.join(__dirname, "../../policy/policies"))
      .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "all.ts")
      .map((f) => f.replace(/\.ts$/, ""));
    assert.deepEqual(
      policies.map((p) => p.name),
      files.sort(),
    );
  });

  it("names policies <provider>-<service>-<verb>-<what> and documents each", () => {
    for (const p of policies) {
      assert.match(
        p.name,
        /^(aws|gcp|azure|vault|kubernetes|pulumi)-[a-z0-9]+-(require|forbid|limit|restrict|detect)-[a-z0-9-]+$/,
        p.name,
      );
      assert.ok(p.description && p.remediationSteps && p.severity && p.framework, p.name);
    }
  });

  for (const environment of ["dev", "staging", "prod"] as const) {
    it(`passes the compliant stack in ${environment} with no violation of any policy`, async () => {
      const resources = compliantStack();
      assert.deepEqual(await evaluatePolicies(resources, { environment }), []);
    });
  }

  for (const [policyName, mutations] of Object.entries(MUTATIONS)) {
    describe(policyName, () => {
      for (const m of mutations) {
        const environment = m.environment ?? "prod";
        it(`${m.allowed ? "allows" : "flags"}: ${m.change} (${environment})`, async () => {
          const violations = await evaluatePolicies(applyMutation(m), { environment, config: m.config });
          // Advisory notes (an exemption applied, a value judged at up) are not verdicts.
          const level = policies.find((p) => p.name === policyName)!.enforcementLevel;
          const mine = violations.filter(
            (v) => v.policyName === policyName && (level === "advisory" || v.enforcementLevel !== "advisory"),
          );
          if (m.allowed) assert.deepEqual(mine, []);
          else {
            assert.ok(mine.length > 0, `expected ${policyName} to flag; got ${JSON.stringify(violations)}`);
            for (const v of mine) assert.equal(v.enforcementLevel, level);
          }
        });
      }
    });
  }
});

describe("exemptions by exact name are reported as advisory notes with their reason", () => {
  const cases: Array<{ policy: string; config: object; edit: Mutation["edit"]; reason: string }> = [
    {
      policy: "aws-iam-forbid-wildcard-secret-actions",
      config: {
        awsManagedPolicies: [{ policy: "ReadOnlyAccess", reason: "auditors' role; reviewed 2026-11" }],
      },
      edit: attach(`${MANAGED}ReadOnlyAccess`),
      reason: "auditors' role; reviewed 2026-11",
    },
    {
      policy: "gcp-secretmanager-forbid-project-level-roles",
      config: {
        customRoles: [{ role: "projects/p/roles/logWriter", reason: "logging.logEntries.create only" }],
      },
      edit: projectGrant("projects/p/roles/logWriter"),
      reason: "logging.logEntries.create only",
    },
    {
      policy: "azure-authorization-forbid-admin-custom-roles",
      config: { exemptions: [{ role: "vault-ops", reason: "vault operators; PIM-eligible only" }] },
      edit: customRole([{ dataActions: ["Microsoft.KeyVault/vaults/*"] }]),
      reason: "vault operators; PIM-eligible only",
    },
  ];
  for (const c of cases) {
    it(`${c.policy}: one advisory note naming the exemption and its reason, no violation`, async () => {
      const found = (
        await evaluatePolicies(applyMutation({ change: "", edit: c.edit }), {
          environment: "prod",
          config: { [c.policy]: c.config },
        })
      ).filter((v) => v.policyName === c.policy);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0].enforcementLevel, "advisory");
      assert.match(found[0].message, /Exempt by configuration/);
      assert.ok(found[0].message.endsWith(c.reason), found[0].message);
    });
  }

  it("a malformed entry is a violation naming the setting, and the grant stays refused", async () => {
    const found = (
      await evaluatePolicies(applyMutation({ change: "", edit: attach(`${MANAGED}ReadOnlyAccess`) }), {
        environment: "prod",
        config: awsManaged([{ policy: "ReadOnlyAccess" }]),
      })
    ).filter((v) => v.policyName === "aws-iam-forbid-wildcard-secret-actions");
    assert.deepEqual(
      found.map((v) => v.enforcementLevel),
      ["mandatory", "mandatory"],
    );
    assert.match(found[0].message, /awsManagedPolicies\[0\] is ignored/);
    assert.match(found[1].message, /cannot verify it grants no secret reads/);
  });
});
