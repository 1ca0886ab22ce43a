/**
 * The whole platform for one stack: from the validated catalog, one component per backend,
 * each granting exactly the access map's pairs.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { accessGrants } from "../stacks/access";
import type { LoadedStack } from "../stacks/loader";
import type { AccessMapEntry } from "./access-map";

export type SecretsPlatformArgs = LoadedStack;

export class SecretsPlatform extends pulumi.ComponentResource {
  /** Kubernetes provider per catalog cluster, by cluster name. */
  public readonly kubernetesProviders: Readonly<Record<string, k8s.Provider>>;
  public readonly accessMap: ReadonlyArray<Omit<AccessMapEntry, "secretRef" | "store" | "identity">>;

  constructor(name: string, args: SecretsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:index:SecretsPlatform", name, {}, opts);
    const { catalog } = args;

    this.kubernetesProviders = Object.fromEntries(
      catalog.kubernetes.clusters.map((cluster) => [
        cluster.name,
        new k8s.Provider(
          `${name}-k8s-${cluster.name}`,
          { context: cluster.context, enableServerSideApply: true },
          { parent: this },
        ),
      ]),
    );

    this.accessMap = accessGrants(catalog).map((g) => ({
      workload: g.workload.name,
      namespace: g.workload.namespace,
      serviceAccount: g.workload.serviceAccount,
      secret: g.secret.name,
      source: g.secret.source,
      backend: g.backend,
    }));

    this.registerOutputs({ accessMap: this.accessMap });
  }
}
