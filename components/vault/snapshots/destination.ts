/** Where the snapshot job's upload container sends snapshots, and with which identity. */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export interface SnapshotDestination {
  /** `s3://<bucket>/<prefix>/`: the upload's target. */
  readonly url: string;
  /** Annotations of the job's service account (IRSA's role, on AWS). */
  readonly serviceAccountAnnotations: Record<string, pulumi.Input<string>>;
  /** The upload container's environment: region, endpoint, credentials by reference only. */
  readonly env: k8s.types.input.core.v1.EnvVar[];
  /** Read-only files the upload container needs (a private CA), each a volume of its own. */
  readonly mounts: ReadonlyArray<{
    readonly volume: k8s.types.input.core.v1.Volume;
    readonly mountPath: string;
  }>;
}

/** The part of a destination every kind shares: `s3://<bucket>/<prefix>/`. */
export function snapshotUrl(target: { readonly bucket: string; readonly prefix: string }): string {
  return `s3://${target.bucket}/${target.prefix}/`;
}
