/**
 * Snapshots to AWS S3: a bucket the platform creates for them alone (retention from the profile,
 * encrypted, never public, TLS only) and an IAM role only the job's service account may assume
 * (IRSA), which may only put objects below the prefix.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { environmentName } from "../../../stacks/naming";
import type { EnvironmentProfile } from "../../../stacks/profiles";
import type {
  AwsSnapshotSettings,
  AwsSettings,
  Catalog,
  DeployedVaultSettings,
  KubernetesCluster,
} from "../../../stacks/schema";
import { oidcProviderArn, serviceAccountSubject, webIdentityTrustPolicy } from "../../aws/policies";
import { SNAPSHOT_IDENTITY } from "../serverNames";
import { awsCliUpload, type SnapshotDestination, snapshotUrl } from "./destination";

/** The IAM policy of the job's role: put objects below the prefix, nothing else (no read, list or delete). */
export function uploaderPolicy(s3: AwsSnapshotSettings): object {
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

export interface AwsSnapshotArgs {
  readonly name: string;
  readonly parent: pulumi.Resource;
  readonly catalog: Catalog;
  readonly aws: AwsSettings;
  readonly vault: DeployedVaultSettings;
  readonly profile: EnvironmentProfile;
  readonly cluster: KubernetesCluster;
  readonly s3: AwsSnapshotSettings;
}

export function awsSnapshotDestination(args: AwsSnapshotArgs): SnapshotDestination {
  const { name, parent, catalog, vault, profile, cluster, s3 } = args;
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
      description: `Vault ${catalog.environment} raft snapshots: put objects below ${snapshotUrl(s3)} (IRSA for ${vault.namespace}/${SNAPSHOT_IDENTITY})`,
      assumeRolePolicy: JSON.stringify(
        webIdentityTrustPolicy({
          providerArn: oidcProviderArn(args.aws.accountId, cluster.oidcIssuerUrl),
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

  return {
    ...awsCliUpload(s3),
    serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": role.arn },
    podLabels: {},
    env: [{ name: "AWS_REGION", value: args.aws.region }],
    mounts: [],
  };
}
