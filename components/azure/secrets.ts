/**
 * Azure Key Vault for one environment: an RBAC-only vault with purge protection and the
 * profile's soft-delete window, one secret per (workload, azure secret) with an expiry, for each
 * rotated database its admin-login secret (from the stack's secret config), the vault's Event
 * Grid system topic its rotation function subscribes to, a
 * managed identity per workload federated with its Kubernetes service account and holding
 * `Key Vault Secrets User` on exactly its secrets, and AuditEvent logs for every read.
 */
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { grantsFor } from "../../stacks/access";
import { cloudSecretName, databaseAdminSecretName, keyVaultName } from "../../stacks/naming";
import { utcMidnightAfter } from "../../stacks/schedule";
import type { AzureSettings, Database, SecretOf, Workload } from "../../stacks/schema";
import { rotatedDatabases } from "../cloud-secrets-args";
import type { WorkloadIdentities } from "../interfaces";
import { adminSecretValue, initialSecretValue, rotationSecretKey } from "../rotation/seed";
import { type AzureSecretsArgs, checkAzureSecretsArgs } from "./args";
import { secureVaultProperties } from "./network";
import { KEY_VAULT_SECRETS_USER, roleDefinitionId } from "./roles";
import { createWorkloadIdentity } from "./workload-identity";

export type { AzureSecretsArgs } from "./args";

/** What `AzureDatabaseRotationFunction` needs for one database whose logins azure secrets hold. */
export interface AzureRotatedDatabase {
  /** `rotationSecretKey(workload, secret)` → Key Vault name of each secret it rotates. */
  readonly secrets: Readonly<Record<string, pulumi.Output<string>>>;
  /** Key Vault name of the admin login (the rotated secrets' `masterarn`). */
  readonly adminSecretName: pulumi.Output<string>;
}

interface RotatedDatabaseParts {
  readonly database: Database;
  readonly admin: azure.keyvault.Secret;
  readonly secrets: Record<string, pulumi.Output<string>>;
}

export class AzureSecrets extends pulumi.ComponentResource {
  public readonly vaultName: string;
  /** `https://<vault>.vault.azure.net/`: what ESO's `vaultUrl` names. */
  public readonly vaultUri: pulumi.Output<string>;
  public readonly vaultId: pulumi.Output<string>;
  public readonly tenantId: string;
  /** Workload → its managed identity (`azureClientId`). */
  public readonly workloadIdentities: WorkloadIdentities;
  /** Workload → catalog secret name → Key Vault secret name (what ESO's `remoteRef.key` names). */
  public readonly secretNames: Readonly<Record<string, Readonly<Record<string, pulumi.Output<string>>>>>;
  /** Database name → its rotated secrets and admin secret, for databases some azure secret rotates. */
  public readonly rotatedDatabases: Readonly<Record<string, AzureRotatedDatabase>>;
  /** The vault's Event Grid system topic, when some secret is rotated (one per vault). */
  public readonly eventsTopicName?: pulumi.Output<string>;

  constructor(name: string, args: AzureSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    checkAzureSecretsArgs(args);
    super("secrets-platform:azure:AzureSecrets", name, {}, opts);
    const { catalog, profile } = args;
    const settings = catalog.azure as AzureSettings;
    const referenceTime = args.referenceTime ?? new Date();
    const tags = { ...catalog.tags, environment: catalog.environment, "managed-by": "pulumi" };
    const inResourceGroup = { resourceGroupName: settings.resourceGroup };
    this.vaultName = keyVaultName(catalog);
    this.tenantId = settings.tenantId;

    // Soft delete plus purge protection is the vault's own recovery window; protect adds a
    // deliberate step before Pulumi even asks for the deletion.
    const vault = new azure.keyvault.Vault(
      `${name}-vault`,
      {
        ...inResourceGroup,
        vaultName: this.vaultName,
        location: settings.location,
        properties: secureVaultProperties(settings, profile),
        tags,
      },
      { parent: this, protect: profile.protect },
    );

    new azure.monitor.DiagnosticSetting(
      `${name}-audit`,
      {
        name: "audit-to-log-analytics",
        resourceUri: vault.id,
        workspaceId: settings.logAnalyticsWorkspaceId,
        logs: [{ category: "AuditEvent", enabled: true }],
      },
      { parent: this },
    );

    const identities = new Map<string, azure.managedidentity.UserAssignedIdentity>();
    const identityFor = (workload: Workload) => {
      let identity = identities.get(workload.name);
      if (!identity) {
        identity = createWorkloadIdentity(name, this, catalog, workload, tags);
        identities.set(workload.name, identity);
      }
      return identity;
    };

    const expiresAfter = (days: number) => Math.floor(utcMidnightAfter(referenceTime, days).getTime() / 1000);
    const expires = expiresAfter(profile.secretExpiryDays);
    const newSecret = (
      role: string,
      secretName: string,
      value: pulumi.Input<string>,
      attributes: { contentType?: string; expires: number; tags: Record<string, string> },
      ignoreChanges: string[],
    ) =>
      new azure.keyvault.Secret(
        `${name}-secret-${role}`,
        {
          ...inResourceGroup,
          vaultName: vault.name,
          secretName,
          properties: {
            value,
            contentType: attributes.contentType,
            attributes: { enabled: true, expires: attributes.expires },
          },
          tags: { ...tags, ...attributes.tags },
        },
        // The expiry is the first version's; later versions get theirs from whoever writes them.
        {
          parent: this,
          protect: profile.protect,
          ignoreChanges: [...ignoreChanges, "properties.attributes.expires"],
        },
      );

    // Admin logins of rotated databases: only their rotation function is granted read (in
    // AzureDatabaseRotationFunction). A new config value writes a new version; an operator
    // renews the expiry with it.
    const databases = new Map<string, RotatedDatabaseParts>();
    for (const database of rotatedDatabases(catalog, "azure")) {
      const password = args.secrets?.get(database.adminPasswordConfigKey) as pulumi.Input<string>;
      const admin = newSecret(
        `admin-${database.name}`,
        databaseAdminSecretName(catalog, database),
        adminSecretValue(database, password),
        {
          contentType: "application/json",
          expires,
          tags: { purpose: "database-admin", database: database.name },
        },
        [],
      );
      databases.set(database.name, { database, admin, secrets: {} });
    }

    const secretNames: Record<string, Record<string, pulumi.Output<string>>> = {};
    for (const grant of grantsFor(catalog, "azure")) {
      const workload = grant.workload;
      const secret = grant.secret as SecretOf<"azure">;
      const role = `${workload.name}-${secret.name}`;
      const rotated = secret.rotation && databases.get(secret.rotation.database);
      // ARM requires a value. Database logins start in the rotation function's JSON shape;
      // other secrets with a strong random one, so nothing readable exists until an operator
      // sets the real value with the data plane (`az keyvault secret set`).
      const initial = initialSecretValue(
        `${name}-initial-${role}`,
        this,
        workload,
        secret,
        rotated && { database: rotated.database, masterarn: rotated.admin.name },
      );
      const created = newSecret(
        role,
        cloudSecretName(catalog, workload, secret),
        initial,
        {
          contentType: secret.contentType ?? (rotated ? "application/json" : undefined),
          // A rotated login expires after the static-rotation period, when its function rotates it.
          expires: rotated ? expiresAfter(profile.staticRotation.periodDays) : expires,
          tags: { workload: workload.name, secret: secret.name },
        },
        // Every ARM PUT writes a new version holding `value`: only creation may send it.
        ["properties.value"],
      );
      new azure.authorization.RoleAssignment(
        `${name}-access-${role}`,
        {
          scope: created.id,
          roleDefinitionId: roleDefinitionId(settings.subscriptionId, KEY_VAULT_SECRETS_USER),
          principalId: identityFor(workload).principalId,
          principalType: "ServicePrincipal",
          description: `${workload.name} reads ${secret.name}`,
        },
        { parent: this },
      );
      (secretNames[workload.name] ??= {})[secret.name] = created.name;
      if (rotated) rotated.secrets[rotationSecretKey(workload, secret)] = created.name;
    }

    // Azure allows one Event Grid system topic per vault; each database's rotation function
    // subscribes to it.
    const events =
      databases.size > 0
        ? new azure.eventgrid.SystemTopic(
            `${name}-vault-events`,
            {
              ...inResourceGroup,
              location: settings.location,
              source: vault.id,
              topicType: "Microsoft.KeyVault.vaults",
              tags,
            },
            { parent: this },
          )
        : undefined;
    this.eventsTopicName = events?.name;
    this.rotatedDatabases = Object.fromEntries(
      [...databases].map(([database, { admin, secrets }]) => [
        database,
        { secrets, adminSecretName: admin.name },
      ]),
    );

    // ARM returns the URI for every created vault; it depends on the cloud (vault.azure.net, .cn, ...).
    this.vaultUri = vault.properties.apply((p) => p.vaultUri as string);
    this.vaultId = vault.id;
    this.workloadIdentities = Object.fromEntries(
      [...identities].map(([workload, identity]) => [workload, { azureClientId: identity.clientId }]),
    );
    this.secretNames = secretNames;
    this.registerOutputs({
      vaultName: this.vaultName,
      vaultUri: this.vaultUri,
      vaultId: this.vaultId,
      tenantId: this.tenantId,
      workloadIdentities: this.workloadIdentities,
      secretNames: this.secretNames,
      rotatedDatabases: this.rotatedDatabases,
      eventsTopicName: this.eventsTopicName,
    });
  }
}
