/**
 * A compliant prod stack as our components register it, one resource per policy subject.
 * Inputs are checked against the provider SDKs' `*Args` types (`satisfies`), so a fixture
 * cannot drift from the shapes the components pass.
 */
import type * as aws from "@pulumi/aws";
import type * as azure from "@pulumi/azure-native";
import type * as gcp from "@pulumi/gcp";
import type * as k8s from "@pulumi/kubernetes";
import type * as vault from "@pulumi/vault";
import type { RecordedResource } from "../../tools/offline/types";

const ACCOUNT = "123456789012";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0000-key`;
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:sp-prod-payments-api-stripe-AbCdEf`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/sp-prod-payments-api`;
const VAULT_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-secrets-prod/providers/Microsoft.KeyVault/vaults/sp-prod-kv";
const DAY = 86_400;
const RESOURCE_GROUP = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-secrets-prod";
/** The raft-snapshot job's Google service account, managed identity, custom role and container. */
export const SNAPSHOT_GSA = "sp-prod-vault-snapshot@p.iam.gserviceaccount.com";
export const SNAPSHOT_PRINCIPAL = "33333333-3333-3333-3333-333333333333";
export const SNAPSHOT_ROLE = "44444444-4444-4444-4444-444444444444";
export const SNAPSHOT_CONTAINER = `${RESOURCE_GROUP}/providers/Microsoft.Storage/storageAccounts/spprodvaultsnapshots/blobServices/default/containers/vault-snapshots`;

export function urnOf(type: string, name: string, stack = "prod"): string {
  return `urn:pulumi:${stack}::secrets-platform::${type}::${name}`;
}

interface Options {
  readonly protect?: boolean;
  readonly propertyDependencies?: Record<string, string[]>;
  readonly outputs?: Record<string, unknown>;
}

export function recorded(
  type: string,
  name: string,
  inputs: object,
  options: Options = {},
): RecordedResource {
  const plain = inputs as Record<string, unknown>;
  return {
    urn: urnOf(type, name),
    type,
    name,
    custom: true,
    inputs: plain,
    displayInputs: plain,
    secretPaths: [],
    outputs: { ...plain, ...options.outputs },
    id: `${name}-id`,
    opts: {
      protect: options.protect ?? false,
      retainOnDelete: false,
      dependsOn: [],
      propertyDependencies: options.propertyDependencies ?? {},
    },
  };
}

const doc = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export const SECRET_URN = urnOf("aws:secretsmanager/secret:Secret", "payments-api-stripe");

/** Fresh copies each call: tests mutate them. */
export function compliantStack(): RecordedResource[] {
  const now = Math.floor(Date.now() / 1000);
  return [
    recorded(
      "aws:kms/key:Key",
      "secrets-key",
      {
        description: "sp-prod secrets",
        enableKeyRotation: true,
        rotationPeriodInDays: 90,
        policy: doc([
          {
            Sid: "Root",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: "kms:*",
            Resource: "*",
          },
        ]),
      } satisfies aws.kms.KeyArgs,
      { protect: true },
    ),
    recorded(
      "aws:secretsmanager/secret:Secret",
      "payments-api-stripe",
      {
        name: "sp-prod-payments-api-stripe",
        kmsKeyId: KEY_ARN,
        recoveryWindowInDays: 30,
      } satisfies aws.secretsmanager.SecretArgs,
      { protect: true, outputs: { arn: SECRET_ARN } },
    ),
    recorded(
      "aws:secretsmanager/secretRotation:SecretRotation",
      "payments-api-stripe-rotation",
      {
        secretId: SECRET_ARN,
        rotationLambdaArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:sp-prod-rotation`,
        rotationRules: { scheduleExpression: "rate(7 days)", duration: "2h" },
      } satisfies aws.secretsmanager.SecretRotationArgs,
      { propertyDependencies: { secretId: [SECRET_URN] } },
    ),
    recorded("aws:secretsmanager/secretPolicy:SecretPolicy", "payments-api-stripe-policy", {
      secretArn: SECRET_ARN,
      blockPublicPolicy: true,
      policy: doc([
        {
          Sid: "Workload",
          Effect: "Allow",
          Principal: { AWS: ROLE_ARN },
          Action: "secretsmanager:GetSecretValue",
          Resource: "*",
        },
        {
          Sid: "DenyOthers",
          Effect: "Deny",
          Principal: "*",
          Action: "secretsmanager:GetSecretValue",
          Resource: "*",
          Condition: { ArnNotEquals: { "aws:PrincipalArn": [ROLE_ARN] } },
        },
      ]),
    } satisfies aws.secretsmanager.SecretPolicyArgs),
    recorded(
      "aws:iam/role:Role",
      "payments-api-role",
      {
        assumeRolePolicy: doc([
          {
            Effect: "Allow",
            Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                [`${ISSUER}:sub`]: "system:serviceaccount:payments:payments-api",
                [`${ISSUER}:aud`]: "sts.amazonaws.com",
              },
            },
          },
        ]),
        name: "sp-prod-payments-api",
      } satisfies aws.iam.RoleArgs,
      { outputs: { arn: ROLE_ARN } },
    ),
    recorded("aws:iam/rolePolicy:RolePolicy", "payments-api-read", {
      role: "sp-prod-payments-api",
      policy: doc([
        {
          Sid: "Read",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
          Resource: [SECRET_ARN],
        },
        {
          Sid: "Decrypt",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: KEY_ARN,
          Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
        },
      ]),
    } satisfies aws.iam.RolePolicyArgs),
    recorded("aws:iam/policy:Policy", "rotation-function", {
      policy: doc([
        {
          Effect: "Allow",
          Action: ["secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
          Resource: SECRET_ARN,
        },
      ]),
    } satisfies aws.iam.PolicyArgs),
    recorded(
      "gcp:secretmanager/secret:Secret",
      "catalog-api-search",
      {
        secretId: "sp-prod-catalog-api-search",
        replication: {
          auto: {
            customerManagedEncryption: {
              kmsKeyName: "projects/p/locations/global/keyRings/sp/cryptoKeys/secrets",
            },
          },
        },
        topics: [{ name: "projects/p/topics/sp-prod-rotation" }],
        rotation: { rotationPeriod: `${30 * DAY}s`, nextRotationTime: "2026-12-01T00:00:00Z" },
      } satisfies gcp.secretmanager.SecretArgs,
      { protect: true },
    ),
    recorded(
      "gcp:kms/cryptoKey:CryptoKey",
      "secrets",
      {
        keyRing: "projects/p/locations/global/keyRings/sp",
        rotationPeriod: `${90 * DAY}s`,
      } satisfies gcp.kms.CryptoKeyArgs,
      {
        protect: true,
      },
    ),
    recorded("gcp:secretmanager/secretIamMember:SecretIamMember", "catalog-api-search-access", {
      secretId: "sp-prod-catalog-api-search",
      role: "roles/secretmanager.secretAccessor",
      member: "serviceAccount:catalog-api@p.iam.gserviceaccount.com",
    } satisfies gcp.secretmanager.SecretIamMemberArgs),
    recorded("gcp:secretmanager/secretIamBinding:SecretIamBinding", "catalog-api-search-binding", {
      secretId: "sp-prod-catalog-api-search",
      role: "roles/secretmanager.secretAccessor",
      members: ["serviceAccount:catalog-api@p.iam.gserviceaccount.com"],
    } satisfies gcp.secretmanager.SecretIamBindingArgs),
    recorded(
      "gcp:serviceaccount/account:Account",
      "catalog-api",
      { accountId: "catalog-api", project: "p" } satisfies gcp.serviceaccount.AccountArgs,
      { outputs: { email: "catalog-api@p.iam.gserviceaccount.com" } },
    ),
    recorded("gcp:serviceaccount/iAMMember:IAMMember", "catalog-api-workload-identity", {
      serviceAccountId: "projects/p/serviceAccounts/catalog-api@p.iam.gserviceaccount.com",
      role: "roles/iam.workloadIdentityUser",
      member: "serviceAccount:p.svc.id.goog[storefront/catalog-api]",
    } satisfies gcp.serviceaccount.IAMMemberArgs),
    recorded("gcp:projects/iAMMember:IAMMember", "rotation-logs", {
      project: "p",
      role: "roles/logging.logWriter",
      member: "serviceAccount:rotation@p.iam.gserviceaccount.com",
    } satisfies gcp.projects.IAMMemberArgs),
    recorded("gcp:projects/iAMBinding:IAMBinding", "monitoring", {
      project: "p",
      role: "roles/monitoring.viewer",
      members: ["group:oncall@example.com"],
    } satisfies gcp.projects.IAMBindingArgs),
    recorded(
      "azure-native:keyvault:Vault",
      "kv",
      {
        resourceGroupName: "rg-secrets-prod",
        properties: {
          tenantId: "00000000-0000-0000-0000-000000000000",
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enablePurgeProtection: true,
          softDeleteRetentionInDays: 90,
          networkAcls: {
            defaultAction: "Deny",
            bypass: "AzureServices",
            ipRules: [{ value: "203.0.113.0/24" }],
          },
        },
      } satisfies azure.keyvault.VaultArgs,
      { protect: true },
    ),
    recorded(
      "azure-native:keyvault:Secret",
      "identity-api-saml",
      {
        resourceGroupName: "rg-secrets-prod",
        vaultName: "sp-prod-kv",
        properties: {
          contentType: "application/x-pem-file",
          attributes: { enabled: true, expires: now + 20 * DAY },
        },
      } satisfies azure.keyvault.SecretArgs,
      { protect: true },
    ),
    recorded(
      "azure-native:managedidentity:UserAssignedIdentity",
      "identity-api",
      {
        resourceGroupName: "rg-secrets-prod",
        resourceName: "sp-prod-identity-api",
      } satisfies azure.managedidentity.UserAssignedIdentityArgs,
      { outputs: { principalId: "11111111-1111-1111-1111-111111111111" } },
    ),
    recorded("azure-native:managedidentity:FederatedIdentityCredential", "identity-api-aks", {
      resourceGroupName: "rg-secrets-prod",
      resourceName: "sp-prod-identity-api",
      issuer: "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/",
      subject: "system:serviceaccount:identity:identity-api",
      audiences: ["api://AzureADTokenExchange"],
    } satisfies azure.managedidentity.FederatedIdentityCredentialArgs),
    recorded("azure-native:authorization:RoleAssignment", "identity-api-saml-reader", {
      scope: `${VAULT_ID}/secrets/identity-api-saml`,
      roleDefinitionId:
        "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6",
      principalId: "11111111-1111-1111-1111-111111111111",
      principalType: "ServicePrincipal",
    } satisfies azure.authorization.RoleAssignmentArgs),
    // The Vault raft-snapshot job and the cloud identities it stands for (GCS and Blob Storage).
    recorded("kubernetes:batch/v1:CronJob", "vault-snapshot", {
      metadata: { name: "vault-snapshot", namespace: "vault" },
      spec: {
        schedule: "0 * * * *",
        jobTemplate: {
          spec: {
            template: {
              spec: {
                serviceAccountName: "vault-snapshot",
                restartPolicy: "Never",
                initContainers: [
                  {
                    name: "save",
                    image: "hashicorp/vault:1.21.1",
                    command: ["/bin/sh", "-ec", "vault operator raft snapshot save /snapshots/sp-prod.snap"],
                    env: [{ name: "VAULT_ADDR", value: "https://vault.vault.svc:8200" }],
                  },
                ],
                containers: [
                  {
                    name: "upload",
                    image: "google/cloud-sdk:592.0.0-slim",
                    command: [
                      "gcloud",
                      "storage",
                      "cp",
                      "/snapshots/*",
                      "gs://sp-prod-vault-snapshots/vault/",
                    ],
                  },
                ],
              },
            },
          },
        },
      },
    } satisfies k8s.batch.v1.CronJobArgs),
    recorded("gcp:serviceaccount/iAMMember:IAMMember", "vault-snapshot-wi", {
      serviceAccountId: `projects/p/serviceAccounts/${SNAPSHOT_GSA}`,
      role: "roles/iam.workloadIdentityUser",
      member: "serviceAccount:p.svc.id.goog[vault/vault-snapshot]",
    } satisfies gcp.serviceaccount.IAMMemberArgs),
    recorded("gcp:storage/bucketIAMMember:BucketIAMMember", "vault-snapshot-writer", {
      bucket: "sp-prod-vault-snapshots",
      role: "roles/storage.objectCreator",
      member: `serviceAccount:${SNAPSHOT_GSA}`,
      condition: {
        title: "vault-snapshots-below-prefix",
        expression: 'resource.name.startsWith("projects/_/buckets/sp-prod-vault-snapshots/objects/vault/")',
      },
    } satisfies gcp.storage.BucketIAMMemberArgs),
    recorded(
      "azure-native:managedidentity:UserAssignedIdentity",
      "vault-snapshot-identity",
      {
        resourceGroupName: "rg-secrets-prod",
        resourceName: "sp-prod-vault-snapshot",
      } satisfies azure.managedidentity.UserAssignedIdentityArgs,
      { outputs: { principalId: SNAPSHOT_PRINCIPAL } },
    ),
    recorded("azure-native:managedidentity:FederatedIdentityCredential", "vault-snapshot-federation", {
      resourceGroupName: "rg-secrets-prod",
      resourceName: "sp-prod-vault-snapshot",
      issuer: "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/",
      subject: "system:serviceaccount:vault:vault-snapshot",
      audiences: ["api://AzureADTokenExchange"],
    } satisfies azure.managedidentity.FederatedIdentityCredentialArgs),
    recorded(
      "azure-native:authorization:RoleDefinition",
      "vault-snapshot-writer-role",
      {
        scope: RESOURCE_GROUP,
        roleName: "sp-prod-vault-snapshot blob writer",
        roleType: "CustomRole",
        permissions: [
          {
            actions: [],
            dataActions: [
              "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
              "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
            ],
          },
        ],
        assignableScopes: [RESOURCE_GROUP],
      } satisfies azure.authorization.RoleDefinitionArgs,
      { outputs: { name: SNAPSHOT_ROLE } },
    ),
    recorded("azure-native:authorization:RoleAssignment", "vault-snapshot-blob-writer", {
      scope: SNAPSHOT_CONTAINER,
      roleDefinitionId: `${RESOURCE_GROUP}/providers/Microsoft.Authorization/roleDefinitions/${SNAPSHOT_ROLE}`,
      principalId: SNAPSHOT_PRINCIPAL,
      principalType: "ServicePrincipal",
    } satisfies azure.authorization.RoleAssignmentArgs),
    recorded("vault:index/policy:Policy", "workload-payments-api", {
      name: "workload-payments-api",
      policy:
        'path "kv-prod/data/payments/webhook-signing" {\n  capabilities = ["read"]\n}\npath "database-prod/creds/orders-pg-read-write" {\n  capabilities = ["read"]\n}\n',
    } satisfies vault.PolicyArgs),
    recorded("vault:kubernetes/authBackendRole:AuthBackendRole", "payments-api", {
      backend: "kubernetes-eks-prod",
      roleName: "payments-api",
      boundServiceAccountNames: ["payments-api"],
      boundServiceAccountNamespaces: ["payments"],
      tokenPolicies: ["workload-payments-api"],
    } satisfies vault.kubernetes.AuthBackendRoleArgs),
    // The platform's stack mounts the database engine its roles live in (a stack with only the
    // roles would be a team's, which vault-audit-require-device does not judge).
    recorded("vault:index/mount:Mount", "database-prod", {
      path: "database-prod",
      type: "database",
    } satisfies vault.MountArgs),
    recorded("vault:database/secretBackendRole:SecretBackendRole", "orders-pg-read-write", {
      backend: "database-prod",
      dbName: "orders-pg",
      creationStatements: [
        "CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';",
      ],
      defaultTtl: 3600,
      maxTtl: 4 * 3600,
    } satisfies vault.database.SecretBackendRoleArgs),
    recorded("vault:index/audit:Audit", "stdout", {
      type: "file",
      options: { file_path: "stdout" },
    } satisfies vault.AuditArgs),
    recorded("kubernetes:helm.sh/v3:Release", "vault", {
      chart: "vault",
      repositoryOpts: { repo: "https://helm.releases.hashicorp.com" },
      namespace: "vault",
      values: {
        global: { tlsDisable: false },
        server: {
          image: { repository: "hashicorp/vault", tag: "1.21.1" },
          ha: {
            enabled: true,
            replicas: 5,
            raft: {
              enabled: true,
              config:
                'listener "tcp" {\n  tls_disable = false\n  tls_cert_file = "/vault/tls/tls.crt"\n  tls_key_file = "/vault/tls/tls.key"\n}\nstorage "raft" {\n  path = "/vault/data"\n}\n',
            },
          },
        },
      },
    } satisfies k8s.helm.v3.ReleaseArgs),
    recorded("kubernetes:core/v1:Secret", "eso-token", {
      metadata: {
        name: "eso-token",
        namespace: "payments",
        annotations: { "kubernetes.io/service-account.name": "payments-api" },
      },
      type: "kubernetes.io/service-account-token",
    } satisfies k8s.core.v1.SecretArgs),
    recorded("kubernetes:external-secrets.io/v1:ExternalSecret", "payments-api-orders-db", {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: "payments-api-orders-db", namespace: "payments" },
      spec: {
        refreshInterval: "40m",
        secretStoreRef: { kind: "SecretStore", name: "vault" },
        target: { name: "payments-api-orders-db", deletionPolicy: "Retain" },
        dataFrom: [{ extract: { key: "database-prod/creds/orders-pg-read-write" } }],
      },
    }),
    recorded("kubernetes:apps/v1:Deployment", "payments-api", {
      metadata: { name: "payments-api", namespace: "payments" },
      spec: {
        selector: { matchLabels: { app: "payments-api" } },
        template: {
          metadata: { labels: { app: "payments-api" } },
          spec: {
            serviceAccountName: "payments-api",
            containers: [
              {
                name: "api",
                image: "registry.example.com/payments-api:1.4.2",
                envFrom: [{ secretRef: { name: "payments-api-orders-db" } }],
              },
            ],
          },
        },
      },
    } satisfies k8s.apps.v1.DeploymentArgs),
    // The workload reads its own delivered Secret through the API: get, by name, in its namespace.
    recorded("kubernetes:rbac.authorization.k8s.io/v1:Role", "payments-api-own-secret", {
      metadata: { name: "payments-api-own-secret", namespace: "payments" },
      rules: [
        {
          apiGroups: [""],
          resources: ["secrets"],
          verbs: ["get"],
          resourceNames: ["payments-api-orders-db"],
        },
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] },
      ],
    } satisfies k8s.rbac.v1.RoleArgs),
    recorded("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "payments-api-own-secret", {
      metadata: { name: "payments-api-own-secret", namespace: "payments" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "payments-api-own-secret" },
      subjects: [
        { kind: "ServiceAccount", name: "payments-api", namespace: "payments" },
        { kind: "Group", name: "oidc:payments-oncall", apiGroup: "rbac.authorization.k8s.io" },
      ],
    } satisfies k8s.rbac.v1.RoleBindingArgs),
    recorded("kubernetes:external-secrets.io/v1:ClusterSecretStore", "shared-feature-flags", {
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterSecretStore",
      metadata: { name: "shared-feature-flags" },
      spec: {
        conditions: [{ namespaces: ["payments", "orders"] }],
        provider: { vault: { server: "https://vault.prod.example.internal:8200" } },
      },
    }),
  ];
}
