/**
 * Automated raft snapshots of the Vault the platform deploys (docs/runbooks/vault-snapshots.md).
 *
 * A CronJob in Vault's namespace, on the profile's schedule, under its own service account:
 * - its first container (the Vault image) logs in to Vault's Kubernetes auth as that account
 *   (a projected token for the `vault` audience) and saves a snapshot into a pod-local volume;
 *   the role's policy grants `sys/storage/raft/snapshot` read and nothing else (`snapshotPolicy`);
 * - its second container (the AWS CLI) uploads it under the catalog's prefix with an IAM role
 *   that only that service account may assume (IRSA) and that may only put objects there.
 * The bucket keeps each snapshot for the profile's retention (a lifecycle rule), refuses plain
 * HTTP, encrypts at rest and is never public. Restoring is a person's act:
 * `npm run vault:snapshot-restore`.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { environmentName, vaultNames } from "../../stacks/naming";
import type { EnvironmentProfile } from "../../stacks/profiles";
import type {
  Catalog,
  DeployedVaultSettings,
  KubernetesCluster,
  SnapshotSettings,
} from "../../stacks/schema";
import { oidcProviderArn, serviceAccountSubject, webIdentityTrustPolicy } from "../aws/policies";
import { RELEASE_NAME, SNAPSHOT_IDENTITY } from "./serverNames";

/**
 * The uploader: the AWS CLI's official image, pinned. Not pulled on this machine (no registry
 * is reachable here); the engine tests run the same command with the AWS CLI from PyPI.
 */
export const UPLOADER_IMAGE = { repository: "amazon/aws-cli", tag: "2.31.0" } as const;

const SNAPSHOT_DIR = "/snapshots";
const CA_DIR = "/vault/ca";
const VAULT_TOKEN_DIR = "/var/run/secrets/vault";
/** A snapshot of a secrets store is small; a job still running after this is stuck. */
const JOB_DEADLINE_SECONDS = 900;

/** Where the job's objects go: `s3://<bucket>/<prefix>/`. */
export function snapshotDestination(s3: SnapshotSettings["s3"]): string {
  return `s3://${s3.bucket}/${s3.prefix}/`;
}

/**
 * The shell of the save container (the Vault image's `/bin/sh`): log in as the job's service
 * account, save a snapshot named after the cluster and the UTC time, revoke the login token.
 */
export function saveScript(catalog: Catalog, vault: DeployedVaultSettings): string {
  const mount = vaultNames.kubernetesAuthMount(vault.cluster);
  return [
    `VAULT_TOKEN="$(vault write -field=token auth/${mount}/login role=${SNAPSHOT_IDENTITY} jwt=@${VAULT_TOKEN_DIR}/token)"`,
    "export VAULT_TOKEN",
    `vault operator raft snapshot save "${SNAPSHOT_DIR}/${catalog.prefix}-${catalog.environment}-$(date -u +%Y%m%dT%H%M%SZ).snap"`,
    "vault token revoke -self",
  ].join("\n");
}

/** The upload container's command: everything the save container wrote, below the prefix. */
export function uploadCommand(s3: SnapshotSettings["s3"]): string[] {
  return [
    "aws",
    "s3",
    "cp",
    `${SNAPSHOT_DIR}/`,
    snapshotDestination(s3),
    "--recursive",
    "--only-show-errors",
  ];
}

/** The IAM policy of the job's role: put objects below the prefix, nothing else (no read, list or delete). */
export function uploaderPolicy(s3: SnapshotSettings["s3"]): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PutSnapshots",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
        Resource: `arn:aws:s3:::${s3.bucket}/${s3.prefix}/*`,
      },
    ],
  };
}

export interface SnapshotArgs {
  readonly name: string;
  /** The Vault server's image: its CLI saves the snapshot. */
  readonly image: { readonly repository: string; readonly tag: string };
  readonly parent: pulumi.Resource;
  readonly catalog: Catalog;
  readonly vault: DeployedVaultSettings;
  readonly profile: EnvironmentProfile;
  readonly cluster: KubernetesCluster;
  /** Options of Kubernetes objects in Vault's namespace. */
  readonly kubernetesOpts: pulumi.CustomResourceOptions;
  /** PEM of the CA of Vault's server certificate. */
  readonly caBundle: pulumi.Output<string>;
}

export function createSnapshots(args: SnapshotArgs): k8s.batch.v1.CronJob {
  const { name, parent, catalog, vault, profile, cluster } = args;
  const s3 = vault.snapshots?.s3;
  const settings = catalog.aws;
  if (!s3 || !settings)
    throw new Error("vault.snapshots.s3: needs the aws section (validateCatalog checks it)");
  const tags = { ...catalog.tags, "secrets-platform/purpose": "vault-snapshots" };

  const bucket = new aws.s3.Bucket(
    `${name}-snapshots`,
    { bucket: s3.bucket, forceDestroy: false, tags },
    { parent, protect: profile.protect },
  );
  new aws.s3.BucketPublicAccessBlock(
    `${name}-snapshots-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    { parent },
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-snapshots-encryption`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
    { parent },
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-snapshots-retention`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "vault-snapshot-retention",
          status: "Enabled",
          filter: { prefix: `${s3.prefix}/` },
          expiration: { days: profile.vault.snapshots.retentionDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    },
    { parent },
  );
  new aws.s3.BucketPolicy(
    `${name}-snapshots-tls-only`,
    {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyPlainHttp",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [arn, `${arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      ),
    },
    { parent },
  );

  const role = new aws.iam.Role(
    `${name}-snapshot-role`,
    {
      name: environmentName(catalog, "vault-snapshot"),
      description: `Vault ${catalog.environment} raft snapshots: put objects below ${snapshotDestination(s3)} (IRSA for ${vault.namespace}/${SNAPSHOT_IDENTITY})`,
      assumeRolePolicy: JSON.stringify(
        webIdentityTrustPolicy({
          providerArn: oidcProviderArn(settings.accountId, cluster.oidcIssuerUrl),
          issuerUrl: cluster.oidcIssuerUrl,
          subject: serviceAccountSubject(vault.namespace, SNAPSHOT_IDENTITY),
        }),
      ),
      maxSessionDuration: 3600,
      tags,
    },
    { parent },
  );
  new aws.iam.RolePolicy(
    `${name}-snapshot-policy`,
    { role: role.name, policy: JSON.stringify(uploaderPolicy(s3)) },
    { parent },
  );

  const k8sOpts = args.kubernetesOpts;
  const account = new k8s.core.v1.ServiceAccount(
    `${name}-snapshot-account`,
    {
      metadata: {
        name: SNAPSHOT_IDENTITY,
        namespace: vault.namespace,
        annotations: { "eks.amazonaws.com/role-arn": role.arn },
      },
      // Only the projected Vault-audience token below; the IRSA webhook adds its own.
      automountServiceAccountToken: false,
    },
    k8sOpts,
  );
  const ca = new k8s.core.v1.ConfigMap(
    `${name}-snapshot-ca`,
    {
      metadata: { name: `${SNAPSHOT_IDENTITY}-ca`, namespace: vault.namespace },
      data: { "ca.crt": args.caBundle },
    },
    k8sOpts,
  );

  const restricted = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  };
  return new k8s.batch.v1.CronJob(
    `${name}-snapshot-job`,
    {
      metadata: { name: SNAPSHOT_IDENTITY, namespace: vault.namespace },
      spec: {
        schedule: profile.vault.snapshots.schedule,
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: JOB_DEADLINE_SECONDS,
            template: {
              metadata: { labels: { "app.kubernetes.io/name": SNAPSHOT_IDENTITY } },
              spec: {
                serviceAccountName: account.metadata.name,
                automountServiceAccountToken: false,
                restartPolicy: "Never",
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 100,
                  runAsGroup: 1000,
                  fsGroup: 1000,
                  seccompProfile: { type: "RuntimeDefault" },
                },
                initContainers: [
                  {
                    name: "save",
                    image: `${args.image.repository}:${args.image.tag}`,
                    command: ["/bin/sh", "-ec", saveScript(catalog, vault)],
                    env: [
                      // Any server answers; standbys forward to the active one. A name the certificate carries.
                      { name: "VAULT_ADDR", value: `https://${RELEASE_NAME}.${vault.namespace}.svc:8200` },
                      { name: "VAULT_CACERT", value: `${CA_DIR}/ca.crt` },
                      { name: "HOME", value: "/tmp" },
                    ],
                    securityContext: restricted,
                    volumeMounts: [
                      { name: "snapshots", mountPath: SNAPSHOT_DIR },
                      { name: "vault-ca", mountPath: CA_DIR, readOnly: true },
                      { name: "vault-token", mountPath: VAULT_TOKEN_DIR, readOnly: true },
                      { name: "tmp", mountPath: "/tmp" },
                    ],
                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                  },
                ],
                containers: [
                  {
                    name: "upload",
                    image: `${UPLOADER_IMAGE.repository}:${UPLOADER_IMAGE.tag}`,
                    command: uploadCommand(s3),
                    env: [
                      { name: "AWS_REGION", value: settings.region },
                      { name: "HOME", value: "/tmp" },
                    ],
                    securityContext: restricted,
                    volumeMounts: [
                      { name: "snapshots", mountPath: SNAPSHOT_DIR, readOnly: true },
                      { name: "tmp", mountPath: "/tmp" },
                    ],
                    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
                  },
                ],
                volumes: [
                  { name: "snapshots", emptyDir: { sizeLimit: "2Gi" } },
                  { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                  { name: "vault-ca", configMap: { name: ca.metadata.name } },
                  {
                    name: "vault-token",
                    projected: {
                      sources: [
                        {
                          serviceAccountToken: {
                            path: "token",
                            audience: vaultNames.kubernetesAuthAudience,
                            expirationSeconds: 600,
                          },
                        },
                      ],
                    },
                  },
                ],
              },
            },
          },
        },
      },
    },
    k8sOpts,
  );
}
