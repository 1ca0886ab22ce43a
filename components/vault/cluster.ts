/**
 * The Vault cluster on Kubernetes: the hashicorp/vault chart in HA raft mode with TLS end to
 * end and auto-unseal by the stack's cloud KMS or another Vault's transit engine. Deployable before Vault is initialised: it
 * needs no Vault token.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { VaultConnection } from "../interfaces";
import type { LoadedStack } from "../../stacks/loader";
import { imageValues } from "../eso/operator-values";
import { VAULT_IMAGE, vaultHelmValues } from "./helmValues";
import { RELEASE_NAME } from "./serverNames";
import { createSnapshots } from "./snapshots";
import { serverTls } from "./tls";
import { createUnseal } from "./unseal";
import { chartSource, VAULT_CHART } from "../../stacks/charts";
import { deployedVault } from "../../stacks/validate";

export interface VaultClusterArgs {
  readonly stack: LoadedStack;
  /** Provider of the catalog cluster named by `vault.cluster`. */
  readonly kubernetesProvider: k8s.Provider;
}

export class VaultCluster extends pulumi.ComponentResource implements VaultConnection {
  public readonly address: pulumi.Output<string>;
  public readonly caBundle: pulumi.Output<string>;
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: VaultClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:vault:VaultCluster", name, {}, opts);
    const { catalog, profile } = args.stack;
    if (!catalog.vault) throw new Error("VaultCluster: the catalog has no vault section");
    const vault = deployedVault(catalog.vault);
    const cluster = catalog.kubernetes.clusters.find((c) => c.name === vault.cluster);
    if (!cluster) throw new Error(`vault.cluster: unknown cluster ${JSON.stringify(vault.cluster)}`);
    if (vault.unseal !== "transit" && cluster.cloud !== vault.unseal) {
      throw new Error(
        `vault.unseal: Vault runs on ${cluster.cloud} cluster ${JSON.stringify(cluster.name)} but unseals with ${vault.unseal} KMS; its pods can only hold a ${cluster.cloud} workload identity, so set vault.unseal to "${cluster.cloud}" or move vault.cluster`,
      );
    }
    const k8sOpts = { parent: this, provider: args.kubernetesProvider };
    const image = cluster.images?.vault ? imageValues(cluster.images.vault) : VAULT_IMAGE;

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: vault.namespace,
          labels: {
            "pod-security.kubernetes.io/enforce": "baseline",
            "app.kubernetes.io/part-of": "secrets-platform",
          },
        },
      },
      k8sOpts,
    );
    const tls = serverTls(name, vault, namespace, k8sOpts);
    const unseal = createUnseal(vault.unseal, {
      name,
      parent: this,
      catalog,
      vault,
      profile,
      cluster,
      kubernetesOpts: { ...k8sOpts, dependsOn: [namespace] },
    });
    const unsealVolumes = pulumi.all(
      unseal.volumes.map((v) =>
        v.sources.apply((sources) => ({ name: v.name, mountPath: v.mountPath, sources })),
      ),
    );

    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: RELEASE_NAME,
        ...chartSource(catalog, VAULT_CHART),
        namespace: vault.namespace,
        values: pulumi
          .all([unseal.seal, unseal.serviceAccountAnnotations, unsealVolumes])
          .apply(([seal, annotations, volumes]) =>
            vaultHelmValues({
              image,
              catalog,
              vault,
              profile,
              seal,
              tlsSecretName: tls.secretName,
              serviceAccountAnnotations: annotations,
              podLabels: unseal.podLabels,
              sealVolumes: volumes,
              singleNode: cluster.singleNode,
            }),
          ),
        // Pods report Ready only once initialised and unsealed (docs/runbooks/vault-init.md).
        skipAwait: true,
      },
      { ...k8sOpts, dependsOn: [namespace] },
    );

    if (vault.snapshots)
      createSnapshots({
        name,
        image,
        parent: this,
        catalog,
        vault,
        profile,
        cluster,
        kubernetesOpts: { ...k8sOpts, dependsOn: [namespace] },
        caBundle: tls.caBundle,
        uploaderImage: cluster.images?.snapshotUploader,
      });

    this.address = pulumi.output(vault.address);
    this.caBundle = tls.caBundle;
    this.registerOutputs({ address: this.address, caBundle: this.caBundle, release: this.release });
  }
}
