/**
 * Snapshots to Azure Blob Storage: a storage account and container the platform creates for
 * them alone (https only, TLS 1.2, no public blob access, no shared keys: Entra ID identities
 * only; a lifecycle rule keeps each snapshot for the profile's retention) and a user-assigned
 * managed identity only the job's Kubernetes service account may sign in as (a federated
 * credential), holding a custom role that may only write blobs, on that container.
 */
import * as azure from "@pulumi/azure-native";
import type * as pulumi from "@pulumi/pulumi";
import { environmentName } from "../../../stacks/naming";
import type { EnvironmentProfile } from "../../../stacks/profiles";
import type {
  AzureBlobSnapshotSettings,
  AzureSettings,
  Catalog,
  DeployedVaultSettings,
  KubernetesCluster,
} from "../../../stacks/schema";
import { IDENTITY_ONLY_STORAGE } from "../../azure/storage";
import { createFederatedIdentity } from "../../azure/workload-identity";
import { SNAPSHOT_IDENTITY } from "../serverNames";
import { SNAPSHOT_DIR, type SnapshotDestination } from "./destination";

/**
 * The custom role's data actions: create a blob and write its blocks (Put Blob, Put Block,
 * Put Block List). Not read, list or delete: Storage Blob Data Contributor, the nearest
 * built-in role, reads every snapshot, and a snapshot opens every secret of the Vault.
 */
export const BLOB_WRITER_DATA_ACTIONS = [
  "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
  "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
] as const;

/**
 * The upload container's shell (the Azure CLI image's `/bin/sh`): sign in as the managed
 * identity with the token the Azure Workload Identity webhook projects (the CLI takes it only as
 * an argument; it is the job's own, short-lived, and the pod's processes are the job's), then
 * upload each snapshot as `<prefix>/<file>` with that login. No subscription is needed: the
 * identity holds no role on one.
 */
export function azureUploadScript(blob: AzureBlobSnapshotSettings): string {
  return [
    'az login --service-principal --username "$AZURE_CLIENT_ID" --tenant "$AZURE_TENANT_ID" --federated-token "$(cat "$AZURE_FEDERATED_TOKEN_FILE")" --allow-no-subscriptions --output none',
    `for file in ${SNAPSHOT_DIR}/*; do`,
    `  az storage blob upload --auth-mode login --account-name ${blob.account} --container-name ${blob.container} --name "${blob.prefix}/$(basename "$file")" --file "$file" --no-progress --output none`,
    "done",
  ].join("\n");
}

export interface AzureBlobSnapshotArgs {
  readonly name: string;
  readonly parent: pulumi.Resource;
  readonly catalog: Catalog;
  readonly azure: AzureSettings;
  readonly vault: DeployedVaultSettings;
  readonly profile: EnvironmentProfile;
  readonly cluster: KubernetesCluster;
  readonly blob: AzureBlobSnapshotSettings;
}

export function azureBlobSnapshotDestination(args: AzureBlobSnapshotArgs): SnapshotDestination {
  const { name, parent, catalog, vault, profile, blob } = args;
  const settings = args.azure;
  const resourceGroupName = settings.resourceGroup;
  const tags = {
    ...catalog.tags,
    environment: catalog.environment,
    "secrets-platform-purpose": "vault-snapshots",
  };
  const account = new azure.storage.StorageAccount(
    `${name}-snapshots`,
    {
      resourceGroupName,
      location: settings.location,
      accountName: blob.account,
      ...IDENTITY_ONLY_STORAGE,
      // Geo-redundant: a backup must outlive the loss of the region Vault runs in.
      sku: { name: azure.storage.SkuName.Standard_GRS },
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      tags,
    },
    { parent, protect: profile.protect },
  );
  const container = new azure.storage.BlobContainer(
    `${name}-snapshots-container`,
    { resourceGroupName, accountName: account.name, containerName: blob.container, publicAccess: "None" },
    { parent, protect: profile.protect },
  );
  // An account has one lifecycle policy: this one, as the account is the snapshots' alone.
  new azure.storage.ManagementPolicy(
    `${name}-snapshots-retention`,
    {
      resourceGroupName,
      accountName: account.name,
      managementPolicyName: "default",
      policy: {
        rules: [
          {
            name: "vault-snapshot-retention",
            enabled: true,
            type: "Lifecycle",
            definition: {
              filters: { blobTypes: ["blockBlob"], prefixMatch: [`${blob.container}/${blob.prefix}/`] },
              actions: {
                baseBlob: {
                  delete: { daysAfterModificationGreaterThan: profile.vault.snapshots.retentionDays },
                },
              },
            },
          },
        ],
      },
    },
    { parent },
  );

  const identity = createFederatedIdentity(`${name}-snapshot`, "", parent, {
    settings,
    identityName: environmentName(catalog, SNAPSHOT_IDENTITY),
    cluster: args.cluster,
    namespace: vault.namespace,
    serviceAccount: SNAPSHOT_IDENTITY,
    tags,
  });
  // Custom roles cannot be assignable at a single resource: the resource group is the narrowest
  // assignable scope; the one assignment below is on the container.
  const resourceGroupScope = `/subscriptions/${settings.subscriptionId}/resourceGroups/${resourceGroupName}`;
  const writer = new azure.authorization.RoleDefinition(
    `${name}-snapshot-writer-role`,
    {
      scope: resourceGroupScope,
      roleName: `${environmentName(catalog, SNAPSHOT_IDENTITY)} blob writer`,
      description: "Writes Vault raft snapshots as new blobs; cannot read, list or delete them.",
      roleType: "CustomRole",
      permissions: [
        { actions: [], notActions: [], dataActions: [...BLOB_WRITER_DATA_ACTIONS], notDataActions: [] },
      ],
      assignableScopes: [resourceGroupScope],
    },
    { parent },
  );
  new azure.authorization.RoleAssignment(
    `${name}-snapshot-writer`,
    {
      scope: container.id,
      roleDefinitionId: writer.id,
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      description: `${vault.namespace}/${SNAPSHOT_IDENTITY} writes Vault snapshots below ${blob.prefix}/`,
    },
    { parent },
  );

  return {
    command: ["/bin/sh", "-ec", azureUploadScript(blob)],
    // Microsoft publishes the Azure CLI's image on its own registry only: validateCatalog
    // requires the cluster's images.snapshotUploader.
    image: undefined,
    serviceAccountAnnotations: {
      "azure.workload.identity/client-id": identity.clientId,
      // The webhook's default is the cluster's tenant; the identity is the catalog's.
      "azure.workload.identity/tenant-id": settings.tenantId,
    },
    // The webhook injects the federated token only into pods carrying this label.
    podLabels: { "azure.workload.identity/use": "true" },
    env: [],
    mounts: [],
  };
}
