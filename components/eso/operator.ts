/**
 * External Secrets Operator on one cluster: its namespace, the pinned Helm release (CRDs,
 * webhook failing closed, cert controller, PDBs, requests), the namespace's NetworkPolicy and,
 * optionally, Stakater Reloader for rolling restarts of env-var consumers.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { namespaceManifest } from "../kubernetes/manifests";
import { esoNetworkPolicyManifest } from "./network-policy";
import { esoChartValues, reloaderChartValues } from "./operator-values";
import { ESO_CHART, ESO_NAMESPACE, type PinnedChart, RELOADER_CHART } from "./versions";

export interface ExternalSecretsOperatorArgs {
  readonly provider: k8s.Provider;
  /** Vault's address, when stores on this cluster read Vault: its port is allowed out. */
  readonly vaultAddress?: string;
  /** Install Stakater Reloader next to ESO. */
  readonly reloader: boolean;
}

export class ExternalSecretsOperator extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly release: k8s.helm.v3.Release;
  public readonly reloaderRelease?: k8s.helm.v3.Release;

  constructor(name: string, args: ExternalSecretsOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:eso:ExternalSecretsOperator", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: namespaceManifest(ESO_NAMESPACE).metadata },
      childOpts,
    );
    this.namespace = namespace.metadata.name;

    const policy = esoNetworkPolicyManifest(ESO_NAMESPACE, args.vaultAddress);
    const networkPolicy = new k8s.networking.v1.NetworkPolicy(
      `${name}-network-policy`,
      { metadata: policy.metadata, spec: { ...policy.spec, podSelector: policy.spec?.podSelector ?? {} } },
      { ...childOpts, dependsOn: [namespace] },
    );

    // The policy exists before the pods, so they never run unrestricted.
    const releaseOpts = { ...childOpts, dependsOn: [namespace, networkPolicy] };
    const pinnedRelease = (role: string, chart: PinnedChart, values: object) =>
      new k8s.helm.v3.Release(
        `${name}-${role}`,
        {
          name: chart.chart,
          chart: chart.chart,
          version: chart.version,
          repositoryOpts: { repo: chart.repo },
          namespace: this.namespace,
          values,
          // A failed upgrade rolls back instead of leaving a half-applied operator.
          atomic: true,
          cleanupOnFail: true,
        },
        releaseOpts,
      );
    this.release = pinnedRelease("release", ESO_CHART, esoChartValues());
    if (args.reloader)
      this.reloaderRelease = pinnedRelease("reloader", RELOADER_CHART, reloaderChartValues());

    this.registerOutputs({
      namespace: this.namespace,
      release: this.release,
      reloaderRelease: this.reloaderRelease,
    });
  }
}
