/**
 * The Vault backend of the platform: the cluster when the catalog deploys it (`vault.deploy`),
 * its configuration when the catalog says Vault is initialised (`vault.configure`). With
 * `deploy: false` the configuration is applied to an existing Vault at `vault.address`.
 */
import * as fs from "node:fs";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { VaultConnection } from "../interfaces";
import type { LoadedStack } from "../../stacks/loader";
import { projectPath } from "../../stacks/loader";
import type { VaultCluster } from "./cluster";
import { VaultConfiguration } from "./configuration";
import { databaseRoles } from "./plan";

export interface VaultArgs {
  readonly stack: LoadedStack;
  /** Provider of the catalog cluster named by `vault.cluster`; required when deploying Vault. */
  readonly kubernetesProvider?: k8s.Provider;
}

export class Vault extends pulumi.ComponentResource {
  /** The deployed cluster; absent when the catalog configures an existing Vault. */
  public readonly cluster?: VaultCluster;
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
    if (settings.deploy) {
      if (!args.kubernetesProvider)
        throw new Error(`Vault: deploying Vault needs the provider of cluster ${settings.cluster}`);
      // Loaded only here: the cluster's module brings the Kubernetes and cloud SDKs (seals,
      // snapshot identities), about a second of every run of a stack that deploys no Vault.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { VaultCluster } = require("./cluster") as typeof import("./cluster");
      this.cluster = new VaultCluster(
        `${name}-cluster`,
        { stack: args.stack, kubernetesProvider: args.kubernetesProvider },
        { parent: this },
      );
      this.connection = { address: this.cluster.address, caBundle: this.cluster.caBundle };
    } else {
      const caBundle = settings.caCertFile ? fs.readFileSync(projectPath(settings.caCertFile), "utf8") : "";
      this.connection = { address: settings.address, caBundle };
    }
    if (settings.configure) {
      this.configuration = new VaultConfiguration(
        `${name}-config`,
        { stack: args.stack },
        { parent: this, dependsOn: this.cluster ? [this.cluster] : [] },
      );
    }
    this.registerOutputs({ address: this.connection.address, caBundle: this.connection.caBundle });
  }
}

export type { VaultCluster, VaultClusterArgs } from "./cluster";
export { VaultConfiguration, type VaultConfigurationArgs } from "./configuration";
