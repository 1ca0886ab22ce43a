import * as assert from "node:assert/strict";
import { AzureSecrets, type AzureSecretsArgs } from "../../../components/azure";
import { grantsFor } from "../../../stacks/access";
import { cloudSecretName, keyVaultName, workloadIdentityName } from "../../../stacks/naming";
import { profileFor } from "../../../stacks/profiles";
import type { Catalog } from "../../../stacks/schema";
import { validateCatalog } from "../../../stacks/validate";
import type { RecordedResource } from "../../../tools/offline/types";
import { captureChildOptions, valueOf } from "../../support/child-options";
import {
  loadedStackFor,
  ofType,
  recordResources,
  shippedCatalog,
  shippedCatalogInput,
} from "../../support/offline";
import { leakedSecretPaths } from "../../support/secret-leaks";

const REFERENCE_TIME = new Date("2026-11-22T10:00:00Z");
const SECRET = "azure-native:keyvault:Secret";
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
/**
 * Roles that manage secrets or access, from Microsoft's Key Vault RBAC guide
 * (learn.microsoft.com/azure/key-vault/general/rbac-guide) and the built-in definitions of
 * Key Vault Data Access Administrator and Contributor: none may reach a workload.
 */
const ADMIN_ROLES = [
  "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Key Vault Secrets Officer
  "8b54135c-b56d-4d72-a534-26097cfdc8d8", // Key Vault Data Access Administrator
  "f25e0fa2-a7c8-4377-a976-54943a77a395", // Key Vault Contributor
];

function argsFor(catalog: Catalog, overrides: Partial<AzureSecretsArgs> = {}): AzureSecretsArgs {
  const { profile, secrets } = loadedStackFor(catalog);
  return { catalog, profile, secrets, referenceTime: REFERENCE_TIME, ...overrides };
}

async function record(catalog: Catalog, overrides: Partial<AzureSecretsArgs> = {}) {
  const capture = captureChildOptions();
  let component: AzureSecrets | undefined;
  const resources = await recordResources(() => {
    component = new AzureSecrets("azure", argsFor(catalog, overrides), {
      transformations: [capture.transformation],
    });
  }, catalog);
  return { resources, component: component as AzureSecrets, options: capture.byName };
}

function catalogWith(edit: (input: ReturnType<typeof shippedCatalogInput>) => void): Catalog {
  const input = shippedCatalogInput("prod");
  edit(input);
  return validateCatalog(input);
}

const vaultProperties = (resources: readonly RecordedResource[]) =>
  ofType(resources, "azure-native:keyvault:Vault")[0].inputs.properties as Record<string, unknown>;

describe("AzureSecrets", function () {
  this.timeout(60_000);

  describe("prod", () => {
    const catalog = shippedCatalog("prod");
    const { subscriptionId, resourceGroup } = catalog.azure!;
    const vaultId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${keyVaultName(catalog)}`;
    let run: Awaited<ReturnType<typeof record>>;
    before(async () => {
      run = await record(catalog);
    });

    it("assigns exactly Key Vault Secrets User, per secret, to the reading workload's identity", () => {
      const principalOf = (workload: string) =>
        ofType(run.resources, "azure-native:managedidentity:UserAssignedIdentity").find(
          (r) =>
            r.inputs.resourceName ===
            workloadIdentityName(
              catalog,
              catalog.workloads.find((w) => w.name === workload)!,
            ),
        )?.outputs.principalId;
      const expected = grantsFor(catalog, "azure")
        .map((g) =>
          JSON.stringify([
            `${vaultId}/secrets/${cloudSecretName(catalog, g.workload, g.secret)}`,
            `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER}`,
            principalOf(g.workload.name),
            "ServicePrincipal",
          ]),
        )
        .sort();
      const actual = ofType(run.resources, ROLE_ASSIGNMENT)
        .map((r) =>
          JSON.stringify([
            r.inputs.scope,
            r.inputs.roleDefinitionId,
            r.inputs.principalId,
            r.inputs.principalType,
          ]),
        )
        .sort();
      assert.equal(expected.length, 3);
      assert.ok(expected.every((e) => !e.includes("undefined")));
      assert.deepEqual(actual, expected);
    });

    it("never scopes an assignment to the vault, resource group or subscription, nor grants an admin role", () => {
      for (const r of ofType(run.resources, ROLE_ASSIGNMENT)) {
        assert.match(String(r.inputs.scope), /\/vaults\/[^/]+\/secrets\/[^/]+$/);
        assert.ok(!ADMIN_ROLES.some((id) => String(r.inputs.roleDefinitionId).endsWith(id)));
      }
      assert.ok(
        !run.resources.some(
          (r) => r.type.startsWith("azure-native:authorization:") && r.type !== ROLE_ASSIGNMENT,
        ),
      );
    });

    it("federates each identity with exactly its Kubernetes service account on its cluster's issuer", () => {
      const aks = catalog.kubernetes.clusters.find((c) => c.name === "aks-prod")!;
      const credentials = ofType(run.resources, "azure-native:managedidentity:FederatedIdentityCredential")
        .map((r) => [r.inputs.resourceName, r.inputs.issuer, r.inputs.subject, r.inputs.audiences])
        .sort();
      assert.deepEqual(credentials, [
        [
          "sp-prod-identity-api",
          aks.oidcIssuerUrl,
          "system:serviceaccount:identity:identity-api",
          ["api://AzureADTokenExchange"],
        ],
        [
          "sp-prod-notifications",
          aks.oidcIssuerUrl,
          "system:serviceaccount:comms:notifications",
          ["api://AzureADTokenExchange"],
        ],
      ]);
    });

    it("builds an RBAC-only vault with purge protection, the profile's retention and a deny-by-default firewall", () => {
      assert.deepEqual(vaultProperties(run.resources), {
        tenantId: catalog.azure!.tenantId,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        enablePurgeProtection: true,
        softDeleteRetentionInDays: 30,
        publicNetworkAccess: "Enabled",
        networkAcls: {
          defaultAction: "Deny",
          bypass: "None",
          ipRules: [{ value: "203.0.113.0/24" }],
          virtualNetworkRules: [{ id: catalog.azure!.allowedSubnetIds[0] }],
        },
        // Defaults the provider fills in.
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
      });
    });

    it("sends the vault's AuditEvent logs to the configured workspace", () => {
      const [setting] = ofType(run.resources, "azure-native:monitor:DiagnosticSetting");
      assert.equal(setting.inputs.resourceUri, vaultId);
      assert.equal(setting.inputs.workspaceId, catalog.azure!.logAnalyticsWorkspaceId);
      assert.deepEqual(setting.inputs.logs, [{ category: "AuditEvent", enabled: true }]);
    });

    it("gives secrets the catalog's content type and an expiry the profile's days ahead", () => {
      const secrets = ofType(run.resources, SECRET);
      const byName = Object.fromEntries(secrets.map((s) => [s.inputs.secretName, s.inputs.properties]));
      // prod secretExpiryDays = 30: the first UTC midnight 30 days after the reference time.
      const expires = Date.parse("2026-12-23T00:00:00Z") / 1000;
      assert.deepEqual(byName["sp-prod-identity-api-saml-signing-key"], {
        value: byName["sp-prod-identity-api-saml-signing-key"].value,
        contentType: "application/x-pem-file",
        attributes: { enabled: true, expires },
      });
      assert.equal(byName["sp-prod-notifications-sendgrid-api-key"].contentType, "text/plain");
      for (const s of secrets) {
        // An admin login follows its config value; everything else is written once.
        const admin = s.name === "azure-secret-admin-orders-pg";
        assert.deepEqual(run.options.get(s.name)?.ignoreChanges, [
          ...(admin ? [] : ["properties.value"]),
          "properties.attributes.expires",
        ]);
      }
    });

    it("protects the vault and its secrets", () => {
      const stateful = run.resources.filter(
        (r) => r.type === SECRET || r.type === "azure-native:keyvault:Vault",
      );
      // The vault, three workload secrets and the admin login of orders-pg.
      assert.equal(stateful.length, 5);
      for (const r of stateful) assert.equal(r.opts.protect, true, r.name);
    });

    it("passes generated values only as Pulumi secrets", () => {
      for (const s of ofType(run.resources, SECRET)) {
        const fromConfig = s.name === "azure-secret-admin-orders-pg";
        assert.match(
          JSON.stringify(s.inputs.properties),
          fromConfig ? /test-placeholder-for-ordersDbAdminPassword/ : /mock-generated-secret-/,
        );
        assert.deepEqual(s.secretPaths, ["properties.value"]);
      }
      assert.deepEqual(
        run.resources.flatMap((r) => leakedSecretPaths(r).map((p) => `${r.name} ${p}`)),
        [],
      );
    });

    it("reads secrets back as ARM returns them: a URI, never the value", () => {
      for (const s of ofType(run.resources, SECRET)) {
        const properties = s.outputs.properties as Record<string, unknown>;
        assert.equal(
          properties.secretUri,
          `https://${keyVaultName(catalog)}.vault.azure.net/secrets/${String(s.inputs.secretName)}`,
        );
        assert.equal("value" in properties, false, s.name);
      }
    });

    it("exposes the vault URI, each reader's client id and the secret names", async () => {
      assert.equal(
        await valueOf(run.component.vaultUri),
        `https://${keyVaultName(catalog)}.vault.azure.net/`,
      );
      assert.deepEqual(Object.keys(run.component.workloadIdentities).sort(), [
        "identity-api",
        "notifications",
      ]);
      assert.match(
        await valueOf(run.component.workloadIdentities["identity-api"].azureClientId!),
        /^[0-9a-f-]{36}$/,
      );
      assert.equal(
        await valueOf(run.component.secretNames["notifications"]["sendgrid-api-key"]),
        "sp-prod-notifications-sendgrid-api-key",
      );
    });
  });

  describe("variants", () => {
    it("turns public network access off when the catalog allows no networks", async () => {
      const catalog = catalogWith((input) => {
        input.azure!.allowedIpRanges = [];
        input.azure!.allowedSubnetIds = [];
      });
      const properties = vaultProperties((await record(catalog)).resources);
      assert.equal(properties.publicNetworkAccess, "Disabled");
      assert.deepEqual(properties.networkAcls, {
        defaultAction: "Deny",
        bypass: "None",
        ipRules: [],
        virtualNetworkRules: [],
      });
    });

    it("does not protect outside prod, and takes retention from that environment's profile", async () => {
      const catalog = catalogWith((input) => {
        input.environment = "staging";
      });
      const { resources } = await record(catalog);
      assert.ok(resources.every((r) => !r.opts.protect));
      assert.equal(vaultProperties(resources).softDeleteRetentionInDays, 14);
    });
  });

  describe("bad arguments", () => {
    const fails = (catalog: Catalog, overrides: Partial<AzureSecretsArgs>, message: RegExp) =>
      assert.rejects(
        recordResources(() => new AzureSecrets("azure", argsFor(catalog, overrides)), catalog),
        message,
      );

    it("refuses a catalog without an azure section", async () => {
      await fails(shippedCatalog("dev"), {}, /AzureSecrets: the catalog has no "azure" section/);
    });

    it("refuses another environment's profile", async () => {
      await fails(
        shippedCatalog("prod"),
        { profile: profileFor("dev") },
        /profile is for dev but the catalog is prod/,
      );
    });

    it("refuses a soft-delete retention Key Vault cannot take", async () => {
      const catalog = shippedCatalog("prod");
      await fails(
        catalog,
        { profile: { ...profileFor("prod"), recoveryWindowDays: 120 } },
        /recoveryWindowDays is 120; .* from 7 to 90/,
      );
      await fails(
        catalog,
        { profile: { ...profileFor("prod"), recoveryWindowDays: 3 } },
        /recoveryWindowDays is 3/,
      );
    });

    it("refuses a reader whose cluster (hence OIDC issuer) is undeclared", async () => {
      const catalog = structuredClone(shippedCatalog("prod"));
      catalog.workloads.find((w) => w.name === "notifications")!.cluster = "aks-elsewhere";
      await fails(
        catalog,
        {},
        /workload notifications reads azure secrets but its cluster aks-elsewhere is not declared/,
      );
    });

    it("refuses an invalid reference time, registering nothing", async () => {
      const catalog = shippedCatalog("prod");
      await fails(catalog, { referenceTime: new Date(Number.NaN) }, /referenceTime is an invalid Date/);
      const resources = await recordResources(() => {
        try {
          new AzureSecrets("azure", argsFor(catalog, { referenceTime: new Date(Number.NaN) }));
        } catch {
          // expected: the point is what was registered before the throw
        }
      }, catalog);
      assert.deepEqual(
        resources.map((r) => r.type),
        ["pulumi:pulumi:Stack"],
      );
    });
  });
});
