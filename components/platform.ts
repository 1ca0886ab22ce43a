/**
 * The whole platform for one stack: from the validated catalog, one component per backend,
 * each granting exactly the access map's pairs, wired to each other only through the
 * interfaces in `interfaces.ts` (workload identities, the Vault connection).
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LoadedStack } from "../stacks/loader";
import { awsNames } from "../stacks/naming";
import { type AccessMapEntry, buildAccessMap } from "./access-map";
import type { AwsSecrets } from "./aws";
import type { AzureSecrets } from "./azure";
import type { ExternalSecretsPlatform } from "./eso";
import type { GcpSecrets } from "./gcp";
import type { WorkloadIdentities } from "./interfaces";
import type { DatabaseRotationFunction } from "./rotation/aws/function";
import type { AzureDatabaseRotationFunction } from "./rotation/azure/function";
import type { GcpDatabaseRotationFunction } from "./rotation/gcp/function";
import type { Vault } from "./vault";

/*
 * Each backend's module, with its provider SDK and cloud clients, loads only when the catalog
 * enables that backend: loading all of them costs every `pulumi preview`/`up` of a Vault-only
 * stack about 0.6 s (issue 26). Synchronous `require` because a component's constructor is
 * synchronous; the types come from the `import type` lines above.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const backend = {
  /** The Kubernetes SDK: only for a stack that deploys to a cluster (Vault or ESO there). */
  kubernetesProvider: () => (require("@pulumi/kubernetes") as typeof import("@pulumi/kubernetes")).Provider,
  vault: () => (require("./vault") as typeof import("./vault")).Vault,
  aws: () => (require("./aws") as typeof import("./aws")).AwsSecrets,
  gcp: () => (require("./gcp") as typeof import("./gcp")).GcpSecrets,
  azure: () => (require("./azure") as typeof import("./azure")).AzureSecrets,
  eso: () => (require("./eso") as typeof import("./eso")).ExternalSecretsPlatform,
  awsRotation: () =>
    (require("./rotation/aws/function") as typeof import("./rotation/aws/function")).DatabaseRotationFunction,
  gcpRotation: () =>
    (require("./rotation/gcp/function") as typeof import("./rotation/gcp/function"))
      .GcpDatabaseRotationFunction,
  azureRotation: () =>
    (require("./rotation/azure/function") as typeof import("./rotation/azure/function"))
      .AzureDatabaseRotationFunction,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export type SecretsPlatformArgs = LoadedStack;

export class SecretsPlatform extends pulumi.ComponentResource {
  /** Kubernetes provider per catalog cluster, by cluster name. */
  public readonly kubernetesProviders: Readonly<Record<string, k8s.Provider>>;
  public readonly vault?: Vault;
  public readonly aws?: AwsSecrets;
  public readonly gcp?: GcpSecrets;
  public readonly azure?: AzureSecrets;
  public readonly eso?: ExternalSecretsPlatform;
  /** Database name → the function rotating its logins kept in Secrets Manager. */
  public readonly awsRotationFunctions: Readonly<Record<string, DatabaseRotationFunction>>;
  /** Database name → the function rotating its logins kept in Secret Manager. */
  public readonly gcpRotationFunctions: Readonly<Record<string, GcpDatabaseRotationFunction>>;
  /** Database name → the function rotating its logins kept in Key Vault. */
  public readonly azureRotationFunctions: Readonly<Record<string, AzureDatabaseRotationFunction>>;
  /** Workload name → its identity in each cloud it reads from. */
  public readonly workloadIdentities: WorkloadIdentities;
  /** Who reads what: workload → store → secret, with the identity. */
  public readonly accessMap: pulumi.Output<AccessMapEntry[]>;

  constructor(name: string, args: SecretsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:index:SecretsPlatform", name, {}, opts);
    const { catalog, profile } = args;
    const parent = { parent: this };

    // A provider only for clusters the platform deploys to: a cluster that only hosts
    // workloads reading from Vault needs no kubeconfig where `pulumi up` runs.
    const deployedTo = new Set([
      ...(catalog.vault?.deploy && catalog.vault.cluster ? [catalog.vault.cluster] : []),
      ...(catalog.eso?.clusters ?? []),
    ]);
    this.kubernetesProviders = Object.fromEntries(
      catalog.kubernetes.clusters
        .filter((cluster) => deployedTo.has(cluster.name))
        .map((cluster) => [
          cluster.name,
          new (backend.kubernetesProvider())(
            `${name}-k8s-${cluster.name}`,
            { context: cluster.context, enableServerSideApply: true },
            parent,
          ),
        ]),
    );

    if (catalog.vault) {
      this.vault = new (backend.vault())(
        `${name}-vault`,
        {
          stack: args,
          kubernetesProvider: catalog.vault.cluster
            ? this.kubernetesProviders[catalog.vault.cluster]
            : undefined,
        },
        parent,
      );
    }
    if (catalog.aws) this.aws = new (backend.aws())(`${name}-aws`, args, parent);
    const { secrets } = args;
    if (catalog.gcp) this.gcp = new (backend.gcp())(`${name}-gcp`, { catalog, profile, secrets }, parent);
    if (catalog.azure)
      this.azure = new (backend.azure())(`${name}-azure`, { catalog, profile, secrets }, parent);
    this.awsRotationFunctions = this.aws ? this.deployAwsRotation(name, args, this.aws) : {};
    this.gcpRotationFunctions = this.gcp ? this.deployGcpRotation(name, args, this.gcp) : {};
    this.azureRotationFunctions = this.azure ? this.deployAzureRotation(name, args, this.azure) : {};

    this.workloadIdentities = Object.fromEntries(
      catalog.workloads.map((w) => [
        w.name,
        {
          ...this.aws?.workloadIdentities[w.name],
          ...this.gcp?.workloadIdentities[w.name],
          ...this.azure?.workloadIdentities[w.name],
        },
      ]),
    );

    if (catalog.eso) {
      this.eso = new (backend.eso())(
        `${name}-eso`,
        {
          catalog,
          profile,
          kubernetesProviders: this.kubernetesProviders,
          identities: this.workloadIdentities,
          vault: this.vault?.connection,
        },
        parent,
      );
    }

    this.accessMap = buildAccessMap(catalog, this.workloadIdentities);
    // The access map is the stack's output (index.ts); registered here as well it would be a
    // second copy in the state, which the engine serializes and hashes after every step of an
    // update or destroy (4 % of the state's bytes at 200 workloads: docs/cost.md).
    this.registerOutputs({});
  }

  /** One rotation function per database whose logins Secrets Manager holds. */
  private deployAwsRotation(
    name: string,
    { catalog, profile }: SecretsPlatformArgs,
    aws: AwsSecrets,
  ): Record<string, DatabaseRotationFunction> {
    const databases = catalog.databases.filter((db) =>
      Object.values(aws.rotatedSecrets).some((r) => r.database === db.name),
    );
    return Object.fromEntries(
      databases.map((database) => {
        const rotated = Object.entries(aws.rotatedSecrets).filter(([, r]) => r.database === database.name);
        const DatabaseRotation = backend.awsRotation();
        const fn = new DatabaseRotation(
          `${name}-rotation-${database.name}`,
          {
            profile,
            roleName: awsNames.rotationFunctionRole(catalog, database),
            functionName: awsNames.rotationFunction(catalog, database),
            databaseTls: databaseTls(catalog, database.name),
            vpc: catalog.aws!.rotationVpc,
            secrets: Object.fromEntries(rotated.map(([id, r]) => [id.replace("/", "-"), r.secretArn])),
            adminSecretArn: aws.databaseAdminSecretArns[database.name],
            kmsKeyArn: aws.keyArn,
          },
          { parent: this },
        );
        return [database.name, fn];
      }),
    );
  }

  /** One rotation function per database whose logins Secret Manager holds, triggered by its own topic. */
  private deployGcpRotation(
    name: string,
    { catalog }: SecretsPlatformArgs,
    gcp: GcpSecrets,
  ): Record<string, GcpDatabaseRotationFunction> {
    const settings = catalog.gcp!;
    return Object.fromEntries(
      Object.entries(gcp.rotatedDatabases).map(([database, rotated]) => [
        database,
        new (backend.gcpRotation())(
          `${name}-gcp-rotation-${database}`,
          {
            project: settings.project,
            region: settings.region,
            secrets: rotated.secrets,
            adminSecret: rotated.adminSecret,
            rotationTopic: rotated.rotationTopicId,
            databaseTls: databaseTls(catalog, database),
          },
          { parent: this },
        ),
      ]),
    );
  }

  /** One rotation function per database whose logins Key Vault holds, on the vault's one events topic. */
  private deployAzureRotation(
    name: string,
    { catalog, profile }: SecretsPlatformArgs,
    azure: AzureSecrets,
  ): Record<string, AzureDatabaseRotationFunction> {
    const settings = catalog.azure!;
    return Object.fromEntries(
      Object.entries(azure.rotatedDatabases).map(([database, rotated]) => [
        database,
        new (backend.azureRotation())(
          `${name}-azure-rotation-${database}`,
          {
            profile,
            resourceGroupName: settings.resourceGroup,
            location: settings.location,
            keyVaultId: azure.vaultId,
            keyVaultUri: azure.vaultUri,
            systemTopicName: azure.eventsTopicName!,
            secrets: rotated.secrets,
            adminSecretName: rotated.adminSecretName,
            databaseTls: databaseTls(catalog, database),
          },
          { parent: this },
        ),
      ]),
    );
  }
}

function databaseTls(catalog: SecretsPlatformArgs["catalog"], database: string): "verify" | "disable" {
  return catalog.databases.find((d) => d.name === database)?.tls === false ? "disable" : "verify";
}
