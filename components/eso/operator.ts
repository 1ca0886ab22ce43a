/**
 * External Secrets Operator on one cluster: its namespace, the pinned Helm release (CRDs,
 * webhook failing closed, cert controller, PDBs, requests), the namespace's NetworkPolicy and,
 * optionally, Stakater Reloader for rolling restarts of env-var consumers.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { namespaceManifest } from "../kubernetes/manifests";
import { type ChartSource, ESO_CHART, RELOADER_CHART } from "../../stacks/charts";
import { ESO_NAMESPACE } from "./namespace";
import { esoNetworkPolicyManifest } from "./network-policy";
import { esoChartValues, reloaderChartValues } from "./operator-values";

export interface ExternalSecretsOperatorArgs {
  readonly provider: k8s.Provider;
  /** Vault's address, when stores on this cluster read Vault: its port is allowed out. */
  readonly vaultAddress?: string;
  /** Install Stakater Reloader next to ESO. */
  readonly reloader: boolean;
  /** Where the releases take each pinned chart from (`chartSource` of stacks/charts.ts). */
  readonly charts: {
    readonly eso: ChartSource;
    readonly reloader: ChartSource;
  };
  /**
   * False when the cluster runs no pods (`runsPods: false`): releases are then installed
   * without waiting for pods that never start, and ESO's controller runs outside the cluster.
   */
  readonly runsPods: boolean;
  /** The cluster's `images`: what the releases run instead of the charts' default images. */
  readonly images?: { readonly externalSecrets?: string; readonly reloader?: string };
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
    const pinnedRelease = (role: string, chart: ChartSource, releaseName: string, values: object) =>
      new k8s.helm.v3.Release(
        `${name}-${role}`,
        {
          name: releaseName,
          ...chart,
          namespace: this.namespace,
          values,
          // A failed upgrade rolls back instead of leaving a half-applied operator; where pods
          // never run there is nothing to wait for (and so nothing to roll back on).
          atomic: args.runsPods,
          cleanupOnFail: args.runsPods,
          skipAwait: !args.runsPods,
        },
        releaseOpts,
      );
    this.release = pinnedRelease(
      "release",
      args.charts.eso,
      ESO_CHART.chart,
      esoChartValues({ controllersInCluster: args.runsPods, image: args.images?.externalSecrets }),
    );
    if (args.reloader)
      this.reloaderRelease = pinnedRelease(
        "reloader",
        args.charts.reloader,
        RELOADER_CHART.chart,
        reloaderChartValues({ image: args.images?.reloader }),
      );

    this.registerOutputs({
      namespace: this.namespace,
      release: this.release,
      reloaderRelease: this.reloaderRelease,
    });
  }
}
