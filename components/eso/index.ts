/**
 * Secret delivery into Kubernetes with External Secrets Operator, for every cluster in
 * `catalog.eso.clusters`: the operator, the workload namespaces and service accounts, each
 * workload's stores, generators and ExternalSecrets, and the catalog's ClusterSecretStores.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { backendOf } from "../../stacks/access";
import { chartSource, ESO_CHART, RELOADER_CHART } from "../../stacks/charts";
import type { LoadedStack } from "../../stacks/loader";
import type { Catalog, Workload } from "../../stacks/schema";
import type { VaultConnection, WorkloadCloudIdentity, WorkloadIdentities } from "../interfaces";
import { WorkloadAccounts } from "../kubernetes";
import { RestrictedClusterSecretStore } from "./cluster-store";
import { ExternalSecretsOperator } from "./operator";
import { gkeClusterOf, type VaultEndpoint } from "./stores";
import { WorkloadExternalSecrets } from "./workload-secrets";

export { ExternalSecretsOperator } from "./operator";

export interface ExternalSecretsPlatformArgs extends Pick<LoadedStack, "catalog" | "profile"> {
  /** Kubernetes provider per catalog cluster, by cluster name. */
  readonly kubernetesProviders: Readonly<Record<string, k8s.Provider>>;
  /** Cloud identities per workload (from the AWS, GCP and Azure components). */
  readonly identities: WorkloadIdentities;
  /** How stores reach Vault; required when any workload or ClusterSecretStore reads Vault. */
  readonly vault?: VaultConnection;
}

const IDENTITY_FIELD: Record<"aws" | "gcp" | "azure", keyof WorkloadCloudIdentity> = {
  aws: "awsRoleArn",
  gcp: "gcpServiceAccountEmail",
  azure: "azureClientId",
};

/** Every reason the inputs cannot be delivered, found before any resource is registered. */
export function esoInputProblems(args: ExternalSecretsPlatformArgs): string[] {
  const { catalog } = args;
  if (!catalog.eso) return ['the catalog has no "eso" section; add one listing the clusters ESO runs on'];
  const problems: string[] = [];
  for (const cluster of catalog.eso.clusters) {
    if (!args.kubernetesProviders[cluster])
      problems.push(`eso.clusters: no Kubernetes provider for ${cluster}`);
  }
  const readsVault =
    catalog.eso.clusterSecretStores.length > 0 ||
    catalog.workloads.some((w) => w.secrets.some((s) => backendOf(s) === "vault"));
  if (readsVault && !args.vault)
    problems.push("stores read Vault but no VaultConnection was passed (args.vault)");
  catalog.workloads.forEach((workload, i) => {
    const backends = new Set(workload.secrets.map(backendOf));
    for (const cloud of ["aws", "gcp", "azure"] as const) {
      if (backends.has(cloud) && !args.identities[workload.name]?.[IDENTITY_FIELD[cloud]]) {
        problems.push(
          `workloads[${i}] (${workload.name}) reads ${cloud} but identities.${workload.name}.${IDENTITY_FIELD[cloud]} is missing`,
        );
      }
    }
    if (backends.has("aws") && catalog.aws?.workloadIdentity === "pod-identity") {
      problems.push(
        `workloads[${i}] (${workload.name}) reads aws: ESO authenticates as the workload's service account ` +
          `through IRSA (auth.jwt), which EKS Pod Identity does not support; set aws.workloadIdentity: irsa`,
      );
    }
    if (backends.has("gcp")) {
      try {
        gkeClusterOf(catalog, workload.cluster);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
  });
  return problems;
}

function workloadsOn(catalog: Catalog, cluster: string): Workload[] {
  return catalog.workloads.filter((w) => w.cluster === cluster);
}

export class ExternalSecretsPlatform extends pulumi.ComponentResource {
  /** Cluster name → its operator install. */
  public readonly operators: Readonly<Record<string, ExternalSecretsOperator>>;
  /** Workload name → its stores, generators and ExternalSecrets. */
  public readonly workloads: Readonly<Record<string, WorkloadExternalSecrets>>;
  /** Workload name → the Kubernetes Secrets written for it. */
  public readonly kubernetesSecrets: Readonly<Record<string, readonly string[]>>;

  constructor(name: string, args: ExternalSecretsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = esoInputProblems(args);
    if (problems.length > 0) throw new Error(`ExternalSecretsPlatform ${name}: ${problems.join("; ")}`);
    super("secrets-platform:eso:ExternalSecretsPlatform", name, {}, opts);
    const { catalog, profile } = args;
    const eso = catalog.eso!;
    const vault: pulumi.Output<VaultEndpoint> | undefined = args.vault
      ? pulumi
          .all([args.vault.address, args.vault.caBundle])
          .apply(([server, caBundlePem]) => ({ server, caBundlePem }))
      : undefined;

    const operators: Record<string, ExternalSecretsOperator> = {};
    const workloads: Record<string, WorkloadExternalSecrets> = {};
    for (const cluster of eso.clusters) {
      const provider = args.kubernetesProviders[cluster];
      const clusterStores = eso.clusterSecretStores.filter((s) => s.cluster === cluster);
      const clusterSpec = catalog.kubernetes.clusters.find((c) => c.name === cluster);
      const operator = new ExternalSecretsOperator(
        `${name}-${cluster}`,
        {
          provider,
          vaultAddress: catalog.vault?.address,
          reloader: eso.reloader,
          charts: { eso: chartSource(catalog, ESO_CHART), reloader: chartSource(catalog, RELOADER_CHART) },
          runsPods: clusterSpec?.runsPods ?? true,
          images: clusterSpec?.images,
        },
        { parent: this },
      );
      operators[cluster] = operator;

      const clusterWorkloads = workloadsOn(catalog, cluster);
      const accounts = new WorkloadAccounts(
        `${name}-${cluster}-accounts`,
        {
          provider,
          workloads: clusterWorkloads,
          extraNamespaces: clusterStores.flatMap((s) => s.namespaces),
          identities: args.identities,
          azureTenantId: catalog.azure?.tenantId,
        },
        { parent: this },
      );

      for (const workload of clusterWorkloads) {
        workloads[workload.name] = new WorkloadExternalSecrets(
          `${name}-${workload.name}`,
          {
            catalog,
            profile,
            workload,
            provider,
            vault,
            dependsOn: [operator.release, accounts.serviceAccounts[workload.name]],
          },
          { parent: this },
        );
      }

      for (const store of clusterStores) {
        new RestrictedClusterSecretStore(
          `${name}-${cluster}-${store.name}`,
          {
            catalog,
            store,
            provider,
            vault: vault!,
            namespaces: accounts.namespaces,
            operator: operator.release,
          },
          { parent: this },
        );
      }
    }

    this.operators = operators;
    this.workloads = workloads;
    this.kubernetesSecrets = Object.fromEntries(
      Object.entries(workloads).map(([workload, delivery]) => [workload, delivery.secretNames]),
    );
    this.registerOutputs({ kubernetesSecrets: this.kubernetesSecrets });
  }
}
