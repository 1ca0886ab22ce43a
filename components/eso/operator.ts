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
import { ESO_CHART, ESO_NAMESPACE, RELOADER_CHART } from "./versions";

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
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: "external-secrets",
        chart: ESO_CHART.chart,
        version: ESO_CHART.version,
        repositoryOpts: { repo: ESO_CHART.repo },
        namespace: this.namespace,
        values: esoChartValues(),
        atomic: true,
        cleanupOnFail: true,
      },
      releaseOpts,
    );

    if (args.reloader) {
      this.reloaderRelease = new k8s.helm.v3.Release(
        `${name}-reloader`,
        {
          name: "reloader",
          chart: RELOADER_CHART.chart,
          version: RELOADER_CHART.version,
          repositoryOpts: { repo: RELOADER_CHART.repo },
          namespace: this.namespace,
          values: reloaderChartValues(),
          atomic: true,
          cleanupOnFail: true,
        },
        releaseOpts,
      );
    }

    this.registerOutputs({
      namespace: this.namespace,
      release: this.release,
      reloaderRelease: this.reloaderRelease,
    });
  }
}
