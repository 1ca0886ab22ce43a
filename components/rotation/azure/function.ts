/**
 * AzureDatabaseRotationFunction: the alternating-users rotation function for Key Vault database
 * secrets as an Azure Function (consumption plan) triggered by Event Grid when a rotated
 * secret nears or reaches its expiry. It subscribes to the vault's Event Grid system topic,
 * which the vault's owner creates: Azure allows one system topic per vault, and a vault may
 * hold the secrets of several databases, each with its own function. It runs as its own user-assigned identity holding
 * a custom role with exactly the secret data actions the handler uses (read, write a version)
 * on each rotated secret and `Key Vault Secrets User` on the admin secret, each scoped to that
 * one secret (never the vault), plus `Storage Blob Data Owner` on its own storage account,
 * which the Functions host needs for its state and package. `Key Vault Secrets Officer` would
 * also let it delete, back up and restore secrets: an administrative role the policy pack
 * refuses for service principals.
 *
 * Role definition ids, Microsoft's built-in roles:
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security
 * (Key Vault Secrets User 4633458b-17de-408a-b874-0445c86b69e6) and .../built-in-roles/storage
 * (Storage Blob Data Owner b7e6dc6d-f1e8-4753-8033-0f276bb0955b); data actions from
 * .../permissions/security (Microsoft.KeyVault).
 */
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import * as path from "node:path";
import type { EnvironmentProfile } from "../../../stacks/profiles";
import { bundleFunction } from "../aws/bundle";
import { NEAR_EXPIRY_LEAD_MS, ROTATION_EVENT_TYPES } from "./handler";
import { IDENTITY_ONLY_STORAGE } from "../../azure/storage";

/** What `handler.ts` does to a rotated secret: read its value and properties, set a new version. */
export const ROTATOR_DATA_ACTIONS = [
  "Microsoft.KeyVault/vaults/secrets/getSecret/action",
  "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
  "Microsoft.KeyVault/vaults/secrets/setSecret/action",
] as const;

export const ROLE_IDS = {
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
} as const;

/** The function's name inside the app (folder of its function.json). */
export const FUNCTION_NAME = "rotate";

export interface AzureDatabaseRotationFunctionArgs {
  /**
   * New versions expire `staticRotation.periodDays` after the rotation. Every profile keeps that
   * within Key Vault's 30-day near-expiry lead, so each version rotates on SecretExpired: the
   * effective rotation period is `periodDays` (see `effectiveRotationDays`).
   */
  readonly profile: EnvironmentProfile;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: pulumi.Input<string>;
  /** ARM id of the Key Vault holding the rotated and admin secrets. */
  readonly keyVaultId: pulumi.Input<string>;
  /** `https://<vault>.vault.azure.net/` */
  readonly keyVaultUri: pulumi.Input<string>;
  /** Name of the vault's Event Grid system topic (`Microsoft.KeyVault.vaults`, one per vault). */
  readonly systemTopicName: pulumi.Input<string>;
  /** Secrets to rotate, by a stable key (names the per-secret children): key → secret name. */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  /** Name of the secret with the administrative login (the rotated secrets' `masterarn`). */
  readonly adminSecretName: pulumi.Input<string>;
  /** TLS to the databases; "verify" (default) checks the server certificate. */
  readonly databaseTls?: "verify" | "disable";
}

const SECRET_KEY = /^[a-z0-9][a-z0-9-]{0,40}$/;

function validate(name: string, args: AzureDatabaseRotationFunctionArgs): void {
  const fail = (message: string) => {
    throw new Error(`AzureDatabaseRotationFunction ${name}: ${message}`);
  };
  const keys = Object.keys(args.secrets ?? {});
  if (keys.length === 0) fail(`"secrets" must name at least one secret to rotate`);
  for (const key of keys) {
    if (!SECRET_KEY.test(key)) fail(`secrets key "${key}" must be lowercase letters, digits and dashes`);
  }
  const days = args.profile?.staticRotation?.periodDays;
  if (!Number.isInteger(days) || days < 1) {
    fail(`profile.staticRotation.periodDays must be a positive whole number`);
  }
}

/**
 * Days between rotations when each version expires `lifetimeDays` after it is written: Key
 * Vault raises SecretNearExpiry 30 days before expiry, which the handler acts on only for
 * lifetimes longer than that lead; shorter ones rotate on SecretExpired.
 */
export function effectiveRotationDays(lifetimeDays: number): number {
  const leadDays = NEAR_EXPIRY_LEAD_MS / (24 * 3600 * 1000);
  return lifetimeDays > leadDays ? lifetimeDays - leadDays : lifetimeDays;
}

/**
 * Storage account names are global, 3-24 lowercase letters and digits: a digest of the vault
 * and the component name keeps each environment's apart.
 */
function storageAccountName(name: string, keyVaultId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi
    .output(keyVaultId)
    .apply((id) => `rotfn${createHash("sha256").update(`${id}/${name}`).digest("hex").slice(0, 19)}`);
}

export class AzureDatabaseRotationFunction extends pulumi.ComponentResource {
  public readonly functionAppId: pulumi.Output<string>;
  public readonly identityPrincipalId: pulumi.Output<string>;
  public readonly eventSubscriptionName: pulumi.Output<string>;

  constructor(name: string, args: AzureDatabaseRotationFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args);
    super("secrets-platform:rotation:AzureDatabaseRotationFunction", name, args, opts);
    const parent = { parent: this };
    const { resourceGroupName, location } = args;
    const roleDefinition = (roleId: string) =>
      pulumi
        .output(args.keyVaultId)
        .apply(
          (id) =>
            `/subscriptions/${id.split("/")[2]}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`,
        );

    const identity = new azure.managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      { resourceGroupName, location },
      parent,
    );
    // Custom roles cannot be assignable at a single resource: the vault's resource group is the
    // narrowest assignable scope; every assignment below is still on one secret.
    const resourceGroupScope = pulumi
      .output(args.keyVaultId)
      .apply((id) => id.split("/").slice(0, 5).join("/"));
    const rotator = new azure.authorization.RoleDefinition(
      `${name}-rotator-role`,
      {
        scope: resourceGroupScope,
        roleName: `Key Vault secret rotator (${name})`,
        description: "Reads a database secret and writes its next version; nothing else.",
        roleType: "CustomRole",
        permissions: [
          { actions: [], notActions: [], dataActions: [...ROTATOR_DATA_ACTIONS], notDataActions: [] },
        ],
        assignableScopes: [resourceGroupScope],
      },
      parent,
    );
    const assign = (child: string, scope: pulumi.Input<string>, role: pulumi.Input<string>) =>
      new azure.authorization.RoleAssignment(
        `${name}-${child}`,
        {
          scope,
          roleDefinitionId: role,
          principalId: identity.principalId,
          principalType: "ServicePrincipal",
        },
        parent,
      );
    const secretScope = (secretName: pulumi.Input<string>) =>
      pulumi.interpolate`${args.keyVaultId}/secrets/${secretName}`;
    const grants = Object.entries(args.secrets).map(([key, secretName]) =>
      assign(`rotate-${key}`, secretScope(secretName), rotator.id),
    );
    grants.push(
      assign("read-admin", secretScope(args.adminSecretName), roleDefinition(ROLE_IDS.keyVaultSecretsUser)),
    );

    const storage = new azure.storage.StorageAccount(
      `${name}-storage`,
      {
        resourceGroupName,
        location,
        accountName: storageAccountName(name, args.keyVaultId),
        ...IDENTITY_ONLY_STORAGE,
        sku: { name: azure.storage.SkuName.Standard_LRS },
      },
      parent,
    );
    grants.push(assign("host-storage", storage.id, roleDefinition(ROLE_IDS.storageBlobDataOwner)));
    const container = new azure.storage.BlobContainer(
      `${name}-packages`,
      { resourceGroupName, accountName: storage.name, publicAccess: azure.storage.PublicAccess.None },
      parent,
    );
    const functionJson = {
      bindings: [{ type: "eventGridTrigger", name: "event", direction: "in" }],
      scriptFile: "../index.js",
      entryPoint: "rotate",
    };
    const hostJson = {
      version: "2.0",
      extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" },
    };
    const pkg = new azure.storage.Blob(
      `${name}-package`,
      {
        resourceGroupName,
        accountName: storage.name,
        containerName: container.name,
        type: azure.storage.BlobType.Block,
        source: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset(bundleFunction(path.join(__dirname, "handler.ts"))),
          "host.json": new pulumi.asset.StringAsset(JSON.stringify(hostJson)),
          [`${FUNCTION_NAME}/function.json`]: new pulumi.asset.StringAsset(JSON.stringify(functionJson)),
        }),
      },
      parent,
    );

    const plan = new azure.web.AppServicePlan(
      `${name}-plan`,
      {
        resourceGroupName,
        location,
        kind: "functionapp",
        reserved: true,
        sku: { name: "Y1", tier: "Dynamic" },
      },
      parent,
    );
    const settings: Record<string, pulumi.Input<string>> = {
      FUNCTIONS_EXTENSION_VERSION: "~4",
      FUNCTIONS_WORKER_RUNTIME: "node",
      AzureWebJobsStorage__accountName: storage.name,
      AzureWebJobsStorage__credential: "managedidentity",
      AzureWebJobsStorage__clientId: identity.clientId,
      WEBSITE_RUN_FROM_PACKAGE: pulumi.interpolate`${storage.primaryEndpoints.blob}${container.name}/${pkg.name}`,
      WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: identity.id,
      // One instance: a redelivered event never runs beside the delivery it repeats.
      WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT: "1",
      AZURE_CLIENT_ID: identity.clientId,
      ROTATION_KEY_VAULT_URL: args.keyVaultUri,
      ROTATION_SECRETS: pulumi.all(Object.values(args.secrets)).apply((names) => names.join(",")),
      ROTATION_SECRET_EXPIRY_DAYS: String(args.profile.staticRotation.periodDays),
      ROTATION_DB_TLS: args.databaseTls ?? "verify",
    };
    const app = new azure.web.WebApp(
      `${name}-app`,
      {
        resourceGroupName,
        location,
        kind: "functionapp,linux",
        serverFarmId: plan.id,
        httpsOnly: true,
        identity: {
          type: azure.web.ManagedServiceIdentityType.UserAssigned,
          userAssignedIdentities: [identity.id],
        },
        keyVaultReferenceIdentity: identity.id,
        siteConfig: {
          linuxFxVersion: "Node|22",
          ftpsState: azure.web.FtpsState.Disabled,
          minTlsVersion: azure.web.SupportedTlsVersions.SupportedTlsVersions_1_2,
          appSettings: Object.entries(settings).map(([settingName, value]) => ({ name: settingName, value })),
        },
      },
      { parent: this, dependsOn: grants },
    );

    const subscription = new azure.eventgrid.SystemTopicEventSubscription(
      `${name}-expiry`,
      {
        resourceGroupName,
        systemTopicName: args.systemTopicName,
        eventDeliverySchema: azure.eventgrid.EventDeliverySchema.EventGridSchema,
        destination: {
          endpointType: "AzureFunction",
          resourceId: pulumi.interpolate`${app.id}/functions/${FUNCTION_NAME}`,
          maxEventsPerBatch: 1,
        },
        filter: {
          includedEventTypes: [...ROTATION_EVENT_TYPES],
          // Key Vault events carry the secret name as their subject.
          advancedFilters: [
            { operatorType: "StringIn", key: "subject", values: Object.values(args.secrets) },
          ],
        },
        retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 24 * 60 },
      },
      parent,
    );

    this.functionAppId = app.id;
    this.identityPrincipalId = identity.principalId;
    this.eventSubscriptionName = subscription.name;
    this.registerOutputs({
      functionAppId: this.functionAppId,
      identityPrincipalId: this.identityPrincipalId,
      eventSubscriptionName: this.eventSubscriptionName,
    });
  }
}
