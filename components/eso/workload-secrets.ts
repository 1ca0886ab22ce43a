/**
 * One workload's secret delivery: a SecretStore per backend it reads through a store, a
 * VaultDynamicSecret generator per Vault database credential, and one ExternalSecret per
 * catalog secret. Everything authenticates as the workload's own service account.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesSecretName } from "../../stacks/naming";
import type { EnvironmentProfile } from "../../stacks/profiles";
import type { Catalog, Workload } from "../../stacks/schema";
import { externalSecretManifest, vaultDynamicSecretManifest } from "./external-secrets";
import { registerCustomResource } from "./register";
import { secretStoreManifest, storeBackends, type VaultEndpoint } from "./stores";

export interface WorkloadExternalSecretsArgs {
  readonly catalog: Catalog;
  readonly profile: EnvironmentProfile;
  readonly workload: Workload;
  readonly provider: k8s.Provider;
  /** Resolved Vault connection; required when the workload reads Vault. */
  readonly vault?: pulumi.Output<VaultEndpoint>;
  /** What must exist first: ESO's CRDs, the namespace and the workload's service account. */
  readonly dependsOn: readonly pulumi.Resource[];
}

export class WorkloadExternalSecrets extends pulumi.ComponentResource {
  public readonly secretStores: readonly k8s.apiextensions.CustomResource[];
  public readonly generators: readonly k8s.apiextensions.CustomResource[];
  public readonly externalSecrets: readonly k8s.apiextensions.CustomResource[];
  /** Names of the Kubernetes Secrets the ExternalSecrets write. */
  public readonly secretNames: readonly string[];

  constructor(name: string, args: WorkloadExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:eso:WorkloadExternalSecrets", name, {}, opts);
    const { catalog, profile, workload, vault } = args;
    const opts0 = { parent: this, provider: args.provider, dependsOn: [...args.dependsOn] };
    const needVault = (): pulumi.Output<VaultEndpoint> => {
      if (!vault) throw new Error(`workload ${workload.name} reads Vault but no Vault connection was given`);
      return vault;
    };

    this.secretStores = storeBackends(workload).map((backend) =>
      registerCustomResource(
        `${name}-store-${backend}`,
        { apiVersion: "external-secrets.io/v1", kind: "SecretStore" },
        backend === "vault"
          ? needVault().apply((v) => secretStoreManifest(catalog, workload, backend, v))
          : secretStoreManifest(catalog, workload, backend, undefined),
        opts0,
      ),
    );

    this.generators = workload.secrets.flatMap((secret) =>
      secret.source === "vault-database"
        ? [
            registerCustomResource(
              `${name}-generator-${secret.name}`,
              { apiVersion: "generators.external-secrets.io/v1alpha1", kind: "VaultDynamicSecret" },
              needVault().apply((v) => vaultDynamicSecretManifest(catalog, workload, secret, v)),
              opts0,
            ),
          ]
        : [],
    );

    const sources = [...opts0.dependsOn, ...this.secretStores, ...this.generators];
    this.externalSecrets = workload.secrets.map((secret) =>
      registerCustomResource(
        `${name}-secret-${secret.name}`,
        { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret" },
        externalSecretManifest(catalog, profile, workload, secret),
        { ...opts0, dependsOn: sources },
      ),
    );
    this.secretNames = workload.secrets.map((secret) => kubernetesSecretName(workload, secret));

    this.registerOutputs({
      secretStores: this.secretStores,
      generators: this.generators,
      externalSecrets: this.externalSecrets,
      secretNames: this.secretNames,
    });
  }
}
