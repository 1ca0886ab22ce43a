/**
 * The Kubernetes side of workload identity: each workload namespace (once per cluster) and
 * each workload's service account, annotated for the clouds the workload reads from.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { WorkloadIdentities } from "../interfaces";
import type { Workload } from "../../stacks/schema";
import { namespaceManifest, type ResolvedCloudIdentity, workloadServiceAccountManifest } from "./manifests";

export interface WorkloadAccountsArgs {
  /** Provider of the cluster the workloads run in. */
  readonly provider: k8s.Provider;
  /** The workloads of this cluster. */
  readonly workloads: readonly Workload[];
  /** Further namespaces to create, e.g. those a ClusterSecretStore serves. */
  readonly extraNamespaces?: readonly string[];
  /** Cloud identities by workload name; a workload without an entry gets no cloud annotations. */
  readonly identities: WorkloadIdentities;
  /** Azure tenant, annotated next to the client id so tokens are exchanged in the right tenant. */
  readonly azureTenantId?: string;
}

export class WorkloadAccounts extends pulumi.ComponentResource {
  /** Namespace name → Namespace. */
  public readonly namespaces: Readonly<Record<string, k8s.core.v1.Namespace>>;
  /** Workload name → its ServiceAccount. */
  public readonly serviceAccounts: Readonly<Record<string, k8s.core.v1.ServiceAccount>>;

  constructor(name: string, args: WorkloadAccountsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:kubernetes:WorkloadAccounts", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };

    const namespaceNames = [
      ...new Set([...args.workloads.map((w) => w.namespace), ...(args.extraNamespaces ?? [])]),
    ];
    this.namespaces = Object.fromEntries(
      namespaceNames.map((ns) => {
        const manifest = namespaceManifest(ns);
        return [
          ns,
          new k8s.core.v1.Namespace(`${name}-ns-${ns}`, { metadata: manifest.metadata }, childOpts),
        ];
      }),
    );

    this.serviceAccounts = Object.fromEntries(
      args.workloads.map((workload) => {
        const fields = (identity: ResolvedCloudIdentity) => {
          const manifest = workloadServiceAccountManifest(workload, identity, args.azureTenantId);
          return {
            metadata: manifest.metadata ?? {},
            automountServiceAccountToken: manifest.automountServiceAccountToken ?? false,
          };
        };
        // A workload with no cloud identity (Vault only) has its manifest now: building it
        // inside an Output would cost three Outputs per workload for nothing to wait on.
        const cloud = args.identities[workload.name];
        const inputs = cloud === undefined ? fields({}) : pulumi.output(cloud).apply(fields);
        const account = new k8s.core.v1.ServiceAccount(
          `${name}-sa-${workload.name}`,
          { metadata: inputs.metadata, automountServiceAccountToken: inputs.automountServiceAccountToken },
          { ...childOpts, dependsOn: [this.namespaces[workload.namespace]] },
        );
        return [workload.name, account];
      }),
    );

    this.registerOutputs({ namespaces: this.namespaces, serviceAccounts: this.serviceAccounts });
  }
}
