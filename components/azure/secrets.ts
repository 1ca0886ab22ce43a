/**
 * Azure Key Vault for one environment: an RBAC-only vault with purge protection and the
 * profile's soft-delete window, one secret per (workload, azure secret) with an expiry, a
 * managed identity per workload federated with its Kubernetes service account and holding
 * `Key Vault Secrets User` on exactly its secrets, and AuditEvent logs for every read.
 */
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { grantsFor } from "../../stacks/access";
import { cloudSecretName, keyVaultName } from "../../stacks/naming";
import { utcMidnightAfter } from "../../stacks/schedule";
import type { AzureSettings, SecretOf, Workload } from "../../stacks/schema";
import type { WorkloadIdentities } from "../interfaces";
import { type AzureSecretsArgs, checkAzureSecretsArgs } from "./args";
import { vaultNetworkSettings } from "./network";
import { KEY_VAULT_SECRETS_USER, roleDefinitionId } from "./roles";
import { createWorkloadIdentity } from "./workload-identity";

export type { AzureSecretsArgs } from "./args";

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
        properties: {
          tenantId: settings.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          enablePurgeProtection: true,
          softDeleteRetentionInDays: profile.recoveryWindowDays,
          ...vaultNetworkSettings(settings),
        },
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

    const expires = Math.floor(utcMidnightAfter(referenceTime, profile.secretExpiryDays).getTime() / 1000);
    const secretNames: Record<string, Record<string, pulumi.Output<string>>> = {};
    for (const grant of grantsFor(catalog, "azure")) {
      const workload = grant.workload;
      const secret = grant.secret as SecretOf<"azure">;
      const role = `${workload.name}-${secret.name}`;
      // ARM requires a value. A strong random one means nothing readable exists until an
      // operator sets the real value with the data plane (`az keyvault secret set`).
      const initial = new random.RandomPassword(
        `${name}-initial-${role}`,
        { length: 40, special: true, overrideSpecial: "-_.~" },
        { parent: this },
      );
      const created = new azure.keyvault.Secret(
        `${name}-secret-${role}`,
        {
          ...inResourceGroup,
          vaultName: vault.name,
          secretName: cloudSecretName(catalog, workload, secret),
          properties: {
            value: initial.result,
            contentType: secret.contentType,
            attributes: { enabled: true, expires },
          },
          tags: { ...tags, workload: workload.name, secret: secret.name },
        },
        {
          parent: this,
          protect: profile.protect,
          // Every ARM PUT writes a new version holding `value`: only creation may send it.
          // The expiry is the first version's; later versions get theirs from whoever writes them.
          ignoreChanges: ["properties.value", "properties.attributes.expires"],
        },
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
    }

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
    });
  }
}
