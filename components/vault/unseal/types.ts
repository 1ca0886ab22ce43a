/** What an auto-unseal backend hands the cluster: the seal stanza and the identity wiring. */
import type * as pulumi from "@pulumi/pulumi";
import type { EnvironmentProfile } from "../../../stacks/profiles";
import type { Catalog, DeployedVaultSettings, KubernetesCluster } from "../../../stacks/schema";
import type { HclBlock } from "../hcl";

export interface UnsealContext {
  /** Prefix of child resource names (the cluster component's name). */
  readonly name: string;
  readonly parent: pulumi.Resource;
  readonly catalog: Catalog;
  readonly vault: DeployedVaultSettings;
  readonly profile: EnvironmentProfile;
  /** The Kubernetes cluster Vault runs in (same cloud as a cloud KMS). */
  readonly cluster: KubernetesCluster;
  /** Options of Kubernetes objects in Vault's namespace (provider, parent, namespace dependency). */
  readonly kubernetesOpts: pulumi.CustomResourceOptions;
}

/** Keys of Secrets and ConfigMaps the seal reads, projected into one read-only directory of the server pods. */
export interface UnsealVolume {
  readonly name: string;
  readonly mountPath: string;
  /** Kubernetes projected-volume sources (`secret` / `configMap` with `items`). */
  readonly sources: pulumi.Output<ReadonlyArray<Record<string, unknown>>>;
}

export interface Unseal {
  /**
   * `seal "<type>" { ... }`: key coordinates only; credentials come from workload identity or,
   * for transit, a file of an operator's Secret. Never a credential itself.
   */
  readonly seal: pulumi.Output<HclBlock>;
  readonly serviceAccountAnnotations: pulumi.Output<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly volumes: readonly UnsealVolume[];
}

/** KMS deletion and soft-delete windows follow the profile within what each cloud allows. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
