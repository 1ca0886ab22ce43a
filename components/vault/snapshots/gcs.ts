/**
 * Snapshots to Google Cloud Storage: a bucket the platform creates for them alone (uniform
 * bucket-level access, public access prevention enforced, a Cloud KMS key of its own, no
 * versioning, retention from the profile) and a Google service account only the job's
 * Kubernetes service account may impersonate (GKE Workload Identity), which may only create
 * objects below the prefix.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { environmentName } from "../../../stacks/naming";
import type { EnvironmentProfile } from "../../../stacks/profiles";
import type {
  Catalog,
  DeployedVaultSettings,
  GcpSettings,
  GcsSnapshotSettings,
} from "../../../stacks/schema";
import { createCmekKey } from "../../gcp/encryption";
import { boundedAccountId, gcpLabels } from "../../gcp/names";
import { createKubernetesServiceAccountIdentity } from "../../gcp/workload-identity";
import { SNAPSHOT_IDENTITY } from "../serverNames";
import { SNAPSHOT_DIR, type SnapshotDestination } from "./destination";

/**
 * The Google Cloud CLI's official image on Docker Hub (Google's own registries keep a tag for
 * a year only), pinned; `images.snapshotUploader` replaces it.
 */
export const GCLOUD_IMAGE = { repository: "google/cloud-sdk", tag: "592.0.0-slim" } as const;

/** Create objects; not read, list, overwrite or delete them (Cloud Storage's predefined role). */
export const OBJECT_CREATOR_ROLE = "roles/storage.objectCreator";

/** The IAM condition of the job's grant: objects below the prefix, no other object of the bucket. */
export function belowPrefixCondition(gcs: GcsSnapshotSettings): {
  title: string;
  description: string;
  expression: string;
} {
  return {
    title: "vault-snapshots-below-prefix",
    description: `Only objects below ${gcs.prefix}/`,
    expression: `resource.name.startsWith("projects/_/buckets/${gcs.bucket}/objects/${gcs.prefix}/")`,
  };
}

/** `gs://<bucket>/<prefix>/`; the source is a wildcard gcloud expands itself (no shell runs). */
export function gcloudUploadCommand(gcs: GcsSnapshotSettings): string[] {
  return ["gcloud", "storage", "cp", `${SNAPSHOT_DIR}/*`, `gs://${gcs.bucket}/${gcs.prefix}/`];
}

export interface GcsSnapshotArgs {
  readonly name: string;
  readonly parent: pulumi.Resource;
  readonly catalog: Catalog;
  readonly gcp: GcpSettings;
  readonly vault: DeployedVaultSettings;
  readonly profile: EnvironmentProfile;
  readonly gcs: GcsSnapshotSettings;
}

export function gcsSnapshotDestination(args: GcsSnapshotArgs): SnapshotDestination {
  const { name, parent, catalog, vault, profile, gcs } = args;
  const { project, region } = args.gcp;
  // Reading this has the side effect of creating Cloud Storage's service agent, which must
  // exist before the key can be granted to it.
  const storageAgent = gcp.storage.getProjectServiceAccountOutput({ project }, { parent });
  const { key, agentGrant } = createCmekKey(`${name}-snapshots`, "", parent, {
    catalog,
    profile,
    location: region,
    ring: "vault-snapshots",
    key: "vault-snapshots",
    agentMember: storageAgent.member,
  });
  const bucket = new gcp.storage.Bucket(
    `${name}-snapshots`,
    {
      project,
      name: gcs.bucket,
      location: region,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      // The job can neither overwrite nor delete; kept versions would outlive the retention.
      versioning: { enabled: false },
      encryption: { defaultKmsKeyName: key.id },
      lifecycleRules: [
        {
          action: { type: "Delete" },
          condition: { age: profile.vault.snapshots.retentionDays, matchesPrefixes: [`${gcs.prefix}/`] },
        },
      ],
      forceDestroy: false,
      labels: gcpLabels(catalog, { purpose: "vault-snapshots" }),
    },
    // Cloud Storage refuses a default key its agent may not use.
    { parent, protect: profile.protect, dependsOn: [agentGrant] },
  );

  const account = createKubernetesServiceAccountIdentity(`${name}-snapshot`, "", parent, {
    project,
    accountId: boundedAccountId(environmentName(catalog, SNAPSHOT_IDENTITY)),
    displayName: `Vault ${catalog.environment} snapshot uploader`,
    description: `Creates Vault raft snapshots below gs://${gcs.bucket}/${gcs.prefix}/; impersonated by ${vault.namespace}/${SNAPSHOT_IDENTITY} via Workload Identity.`,
    namespace: vault.namespace,
    serviceAccount: SNAPSHOT_IDENTITY,
  });
  new gcp.storage.BucketIAMMember(
    `${name}-snapshot-writer`,
    {
      bucket: bucket.name,
      role: OBJECT_CREATOR_ROLE,
      member: account.member,
      condition: belowPrefixCondition(gcs),
    },
    { parent },
  );

  return {
    command: gcloudUploadCommand(gcs),
    image: `${GCLOUD_IMAGE.repository}:${GCLOUD_IMAGE.tag}`,
    serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": account.email },
    podLabels: {},
    env: [{ name: "CLOUDSDK_CORE_DISABLE_PROMPTS", value: "1" }],
    mounts: [],
  };
}
