/**
 * A catalog ClusterSecretStore: the store itself, restricted by `spec.conditions` to its
 * namespaces, and in each of those namespaces the service account it logs in to Vault as.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { vaultNames } from "../../stacks/naming";
import type { Catalog } from "../../stacks/schema";
import { serviceAccountManifest } from "../kubernetes/manifests";
import { registerCustomResource } from "./register";
import { type ClusterSecretStoreSettings, clusterSecretStoreManifest, type VaultEndpoint } from "./stores";

export interface RestrictedClusterSecretStoreArgs {
  readonly catalog: Catalog;
  readonly store: ClusterSecretStoreSettings;
  readonly provider: k8s.Provider;
  readonly vault: pulumi.Output<VaultEndpoint>;
  /** Namespace name → Namespace, for every namespace the store serves. */
  readonly namespaces: Readonly<Record<string, pulumi.Resource>>;
  /** ESO's release: its CRDs must exist first. */
  readonly operator: pulumi.Resource;
}

export class RestrictedClusterSecretStore extends pulumi.ComponentResource {
  public readonly store: k8s.apiextensions.CustomResource;
  public readonly serviceAccounts: readonly k8s.core.v1.ServiceAccount[];

  constructor(name: string, args: RestrictedClusterSecretStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:eso:RestrictedClusterSecretStore", name, {}, opts);
    const { catalog, store } = args;
    const childOpts = { parent: this, provider: args.provider };

    this.serviceAccounts = store.namespaces.map((namespace) => {
      const manifest = serviceAccountManifest(vaultNames.clusterStoreServiceAccount(store), namespace);
      return new k8s.core.v1.ServiceAccount(
        `${name}-sa-${namespace}`,
        { metadata: manifest.metadata, automountServiceAccountToken: manifest.automountServiceAccountToken },
        { ...childOpts, dependsOn: [args.namespaces[namespace]] },
      );
    });

    this.store = registerCustomResource(
      `${name}-store`,
      { apiVersion: "external-secrets.io/v1", kind: "ClusterSecretStore" },
      args.vault.apply((v) => clusterSecretStoreManifest(catalog, store, v)),
      { ...childOpts, dependsOn: [args.operator, ...this.serviceAccounts] },
    );

    this.registerOutputs({ store: this.store, serviceAccounts: this.serviceAccounts });
  }
}
