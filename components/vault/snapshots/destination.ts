/**
 * Where the snapshot job's upload container sends snapshots, with which tool and which identity.
 * The container's shape (volumes, security context, resources) is the CronJob's, common to every
 * destination; what differs is here.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** The pod-local directory the save container writes the snapshot into and the upload reads. */
export const SNAPSHOT_DIR = "/snapshots";

export interface SnapshotDestination {
  /** The upload container's command: every file of `SNAPSHOT_DIR`, below the destination's prefix. */
  readonly command: string[];
  /**
   * The image the program pins for that command (`images.snapshotUploader` replaces it);
   * undefined where none can be pinned, and validateCatalog then requires `images.snapshotUploader`.
   */
  readonly image?: string;
  /** Annotations of the job's service account: the cloud identity it stands for. */
  readonly serviceAccountAnnotations: Record<string, pulumi.Input<string>>;
  /** Labels of the job's pods a cloud's admission webhook selects on (Azure Workload Identity). */
  readonly podLabels: Record<string, string>;
  /** The upload container's environment: region, endpoint, credentials by reference only. */
  readonly env: k8s.types.input.core.v1.EnvVar[];
  /** Read-only files the upload container needs (a private CA), each a volume of its own. */
  readonly mounts: ReadonlyArray<{
    readonly volume: k8s.types.input.core.v1.Volume;
    readonly mountPath: string;
  }>;
}

/** `s3://<bucket>/<prefix>/`: the target of AWS S3 and of S3-compatible stores. */
export function snapshotUrl(target: { readonly bucket: string; readonly prefix: string }): string {
  return `s3://${target.bucket}/${target.prefix}/`;
}

/**
 * The AWS CLI's official image, pinned. Not pulled on this machine (no registry is reachable
 * here): the node's image holds the AWS CLI v1 from PyPI, which takes the same arguments
 * (scripts/kube-node-env.sh).
 */
export const AWS_CLI_IMAGE = { repository: "amazon/aws-cli", tag: "2.31.0" } as const;

/** The upload of AWS S3 and S3-compatible stores: the AWS CLI, to `s3://<bucket>/<prefix>/`. */
export function awsCliUpload(target: { readonly bucket: string; readonly prefix: string }): {
  readonly command: string[];
  readonly image: string;
} {
  return {
    command: [
      "aws",
      "s3",
      "cp",
      `${SNAPSHOT_DIR}/`,
      snapshotUrl(target),
      "--recursive",
      "--only-show-errors",
    ],
    image: `${AWS_CLI_IMAGE.repository}:${AWS_CLI_IMAGE.tag}`,
  };
}
