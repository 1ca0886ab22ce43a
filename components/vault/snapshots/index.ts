/**
 * Automated raft snapshots of the Vault the platform deploys (docs/runbooks/vault-snapshots.md).
 *
 * A CronJob in Vault's namespace, on the profile's schedule, under its own service account:
 * - its first container (the Vault image) logs in to Vault's Kubernetes auth as that account
 *   (a projected token for the `vault` audience) and saves a snapshot into a pod-local volume;
 *   the role's policy grants `sys/storage/raft/snapshot` read and nothing else (`snapshotPolicy`);
 * - its second container uploads it under the catalog's prefix, with the destination's own CLI
 *   and identity (`destination.ts`): to AWS S3 with an IAM role only that service account may
 *   assume (`aws-s3.ts`), to an S3-compatible store of the site with an access key an operator
 *   keeps in a Secret (`s3-compatible.ts`), to Cloud Storage as a Google service account bound
 *   to it through Workload Identity (`gcs.ts`), or to Blob Storage as a managed identity
 *   federated with it (`azure-blob.ts`); each may only write below the prefix.
 * Restoring is a person's act: `npm run vault:snapshot-restore`.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { vaultNames } from "../../../stacks/naming";
import type { EnvironmentProfile } from "../../../stacks/profiles";
import type { Catalog, DeployedVaultSettings, KubernetesCluster } from "../../../stacks/schema";
import { RELEASE_NAME, SNAPSHOT_IDENTITY } from "../serverNames";
import { SNAPSHOT_DIR, type SnapshotDestination } from "./destination";
import { s3CompatibleSnapshotDestination } from "./s3-compatible";

const CA_DIR = "/vault/ca";
const VAULT_TOKEN_DIR = "/var/run/secrets/vault";
/** A snapshot of a secrets store is small; a job still running after this is stuck. */
const JOB_DEADLINE_SECONDS = 900;

/**
 * The shell of the save container (the Vault image's `/bin/sh`): log in as the job's service
 * account, save a snapshot named after the cluster and the UTC time from the active server,
 * revoke the login token. The save asks the active server itself (its `api_addr`, from the
 * unauthenticated `sys/leader`): a standby answers a snapshot request with a redirect, after
 * which the CLI's download (Vault 1.21.1) ends with "incomplete snapshot, unable to read
 * SHA256SUMS.sealed file" — the job's first runs on pods, through the `vault` Service.
 */
export function saveScript(catalog: Catalog, vault: DeployedVaultSettings): string {
  const mount = vaultNames.kubernetesAuthMount(vault.cluster);
  return [
    `VAULT_TOKEN="$(vault write -field=token auth/${mount}/login role=${SNAPSHOT_IDENTITY} jwt=@${VAULT_TOKEN_DIR}/token)"`,
    "export VAULT_TOKEN",
    'VAULT_ADDR="$(vault read -field=leader_address sys/leader)"',
    "export VAULT_ADDR",
    `vault operator raft snapshot save "${SNAPSHOT_DIR}/${catalog.prefix}-${catalog.environment}-$(date -u +%Y%m%dT%H%M%SZ).snap"`,
    "vault token revoke -self",
  ].join("\n");
}

/**
 * The destination the catalog names. A cloud's SDK loads only for its own destination (each
 * costs a run about a thousand modules: test/unit/program/modules.test.ts).
 */
function snapshotDestination(args: SnapshotArgs): SnapshotDestination {
  const { name, catalog, vault } = args;
  const { s3, s3Compatible, gcs, azureBlob } = vault.snapshots ?? {};
  if (s3Compatible)
    return s3CompatibleSnapshotDestination({
      name,
      vault,
      store: s3Compatible,
      kubernetesOpts: args.kubernetesOpts,
    });
  if (gcs) {
    if (!catalog.gcp)
      throw new Error("vault.snapshots.gcs: needs the gcp section (validateCatalog checks it)");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { gcsSnapshotDestination } = require("./gcs") as typeof import("./gcs");
    return gcsSnapshotDestination({ ...args, gcp: catalog.gcp, gcs });
  }
  if (azureBlob) {
    if (!catalog.azure)
      throw new Error("vault.snapshots.azureBlob: needs the azure section (validateCatalog checks it)");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { azureBlobSnapshotDestination } = require("./azure-blob") as typeof import("./azure-blob");
    return azureBlobSnapshotDestination({ ...args, azure: catalog.azure, blob: azureBlob });
  }
  if (!s3 || !catalog.aws)
    throw new Error("vault.snapshots.s3: needs the aws section (validateCatalog checks it)");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { awsSnapshotDestination } = require("./aws-s3") as typeof import("./aws-s3");
  return awsSnapshotDestination({ ...args, aws: catalog.aws, s3 });
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
  /** The cluster's `images.snapshotUploader`, when it replaces the destination's pinned image. */
  readonly uploaderImage?: string;
}

export function createSnapshots(args: SnapshotArgs): k8s.batch.v1.CronJob {
  const { name, catalog, vault, profile } = args;
  const destination = snapshotDestination(args);
  const uploaderImage = args.uploaderImage ?? destination.image;
  if (!uploaderImage)
    throw new Error(
      `kubernetes.clusters[${args.cluster.name}].images.snapshotUploader: required by this snapshot destination (validateCatalog checks it)`,
    );
  const podLabels = { ...destination.podLabels, "app.kubernetes.io/name": SNAPSHOT_IDENTITY };
  const k8sOpts = args.kubernetesOpts;
  const account = new k8s.core.v1.ServiceAccount(
    `${name}-snapshot-account`,
    {
      metadata: {
        name: SNAPSHOT_IDENTITY,
        namespace: vault.namespace,
        annotations: destination.serviceAccountAnnotations,
      },
      // Only the projected Vault-audience token below; the clouds' webhooks (IRSA, Azure
      // Workload Identity) add their own.
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
          // On each Job too, so that `kubectl get jobs -l app.kubernetes.io/name=vault-snapshot` lists them.
          metadata: { labels: { "app.kubernetes.io/name": SNAPSHOT_IDENTITY } },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: JOB_DEADLINE_SECONDS,
            template: {
              metadata: { labels: podLabels },
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
                    image: uploaderImage,
                    command: destination.command,
                    env: [...destination.env, { name: "HOME", value: "/tmp" }],
                    securityContext: restricted,
                    volumeMounts: [
                      { name: "snapshots", mountPath: SNAPSHOT_DIR, readOnly: true },
                      { name: "tmp", mountPath: "/tmp" },
                      ...destination.mounts.map((m) => ({
                        name: m.volume.name,
                        mountPath: m.mountPath,
                        readOnly: true,
                      })),
                    ],
                    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
                  },
                ],
                volumes: [
                  { name: "snapshots", emptyDir: { sizeLimit: "2Gi" } },
                  { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                  { name: "vault-ca", configMap: { name: ca.metadata.name } },
                  ...destination.mounts.map((m) => m.volume),
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
