/**
 * What backend components hand each other through the platform. The cloud components own
 * the workload identities; ESO consumes them (service-account annotations, store auth) and
 * the Vault component's connection details.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A workload's identity in each cloud it reads from. */
export interface WorkloadCloudIdentity {
  /** IAM role the pod assumes (IRSA annotation / Pod Identity association). */
  readonly awsRoleArn?: pulumi.Output<string>;
  /** Google service account bound by Workload Identity. */
  readonly gcpServiceAccountEmail?: pulumi.Output<string>;
  /** Client id of the Azure user-assigned identity with the federated credential. */
  readonly azureClientId?: pulumi.Output<string>;
}

/** Workload name → its cloud identities. */
export type WorkloadIdentities = Readonly<Record<string, WorkloadCloudIdentity>>;

/** How clients reach the Vault cluster. */
export interface VaultConnection {
  readonly address: pulumi.Input<string>;
  /** PEM bundle of the CA that signed Vault's server certificate. */
  readonly caBundle: pulumi.Input<string>;
}
