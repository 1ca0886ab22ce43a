/**
 * Snapshots to an S3-compatible store the site runs (MinIO, Ceph RGW, …): on-premises and
 * air-gapped sites, which unseal through another Vault's transit engine and have no cloud
 * identity to give the job. The bucket is the site's: the platform creates none and sets no
 * retention there. The job authenticates with an access key an operator puts in a Secret of
 * Vault's namespace (docs/runbooks/vault-snapshots.md), referenced by name only, so the key is in
 * no config key, resource input or state file (as the transit seal's token).
 */
import * as fs from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { projectPath } from "../../../stacks/loader";
import type { DeployedVaultSettings, S3CompatibleSnapshotSettings } from "../../../stacks/schema";
import { SNAPSHOT_IDENTITY } from "../serverNames";
import { awsCliUpload, type SnapshotDestination } from "./destination";

/**
 * What the program publishes for the uploader (the access key's Secret is the operator's): the
 * AWS CLI's config, and the store's CA when a private CA signed its certificate.
 */
export const SNAPSHOT_STORE_CONFIG_MAP = `${SNAPSHOT_IDENTITY}-store`;
const STORE_DIR = "/etc/snapshot-store";

/**
 * The AWS CLI's config: path-style requests (`https://<endpoint>/<bucket>/<key>`), which every
 * S3-compatible store serves; the CLI's default for a named endpoint is a host per bucket, which
 * needs wildcard DNS and certificates few sites have.
 */
export const STORE_CLI_CONFIG = "[default]\ns3 =\n  addressing_style = path\n";

/** The Secret's keys, named as the AWS CLI's environment variables they become. */
export const SNAPSHOT_STORE_CREDENTIAL_KEYS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

export function s3CompatibleSnapshotDestination(args: {
  readonly name: string;
  readonly vault: DeployedVaultSettings;
  readonly store: S3CompatibleSnapshotSettings;
  readonly kubernetesOpts: pulumi.CustomResourceOptions;
}): SnapshotDestination {
  const { name, vault, store } = args;
  const published = new k8s.core.v1.ConfigMap(
    `${name}-snapshot-store`,
    {
      metadata: { name: SNAPSHOT_STORE_CONFIG_MAP, namespace: vault.namespace },
      data: {
        config: STORE_CLI_CONFIG,
        ...(store.caCertFile ? { "ca.crt": fs.readFileSync(projectPath(store.caCertFile), "utf8") } : {}),
      },
    },
    args.kubernetesOpts,
  );
  return {
    ...awsCliUpload(store),
    serviceAccountAnnotations: {},
    podLabels: {},
    env: [
      { name: "AWS_REGION", value: store.region },
      // The S3 client's own endpoint setting (AWS CLI v2, and v1 from botocore 1.31).
      { name: "AWS_ENDPOINT_URL_S3", value: store.endpoint },
      { name: "AWS_CONFIG_FILE", value: `${STORE_DIR}/config` },
      ...(store.caCertFile ? [{ name: "AWS_CA_BUNDLE", value: `${STORE_DIR}/ca.crt` }] : []),
      ...SNAPSHOT_STORE_CREDENTIAL_KEYS.map((key) => ({
        name: key,
        valueFrom: { secretKeyRef: { name: store.credentialsSecretName, key } },
      })),
    ],
    mounts: [
      {
        volume: { name: "snapshot-store", configMap: { name: published.metadata.name } },
        mountPath: STORE_DIR,
      },
    ],
  };
}
