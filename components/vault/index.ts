/**
 * The Vault backend of the platform: the cluster always, its configuration when the catalog
 * says the cluster is initialised (`vault.configure`).
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { VaultConnection } from "../interfaces";
import type { LoadedStack } from "../../stacks/loader";
import { VaultCluster } from "./cluster";
import { VaultConfiguration } from "./configuration";
import { databaseRoles } from "./plan";

export interface VaultArgs {
  readonly stack: LoadedStack;
  /** Provider of the catalog cluster named by `vault.cluster`. */
  readonly kubernetesProvider: k8s.Provider;
}

export class Vault extends pulumi.ComponentResource {
  public readonly cluster: VaultCluster;
  public readonly configuration?: VaultConfiguration;
  /** What ESO and other clients need to reach Vault. */
  public readonly connection: VaultConnection;

  constructor(name: string, args: VaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:vault:Vault", name, {}, opts);
    const settings = args.stack.catalog.vault;
    if (!settings)
      throw new Error("Vault: the catalog has no vault section; construct Vault only when it has one");
    // Refuse an inconsistent catalog before the cluster registers anything.
    if (settings.configure) databaseRoles(args.stack.catalog);
    this.cluster = new VaultCluster(`${name}-cluster`, args, { parent: this });
    this.connection = { address: this.cluster.address, caBundle: this.cluster.caBundle };
    if (settings.configure) {
      this.configuration = new VaultConfiguration(
        `${name}-config`,
        { stack: args.stack, connection: this.connection },
        { parent: this, dependsOn: [this.cluster] },
      );
    }
    this.registerOutputs({ address: this.cluster.address, caBundle: this.cluster.caBundle });
  }
}

export { VaultCluster, type VaultClusterArgs, VAULT_CHART } from "./cluster";
export { VaultConfiguration, type VaultConfigurationArgs } from "./configuration";
