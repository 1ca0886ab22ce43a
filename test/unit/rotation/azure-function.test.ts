/**
 * AzureDatabaseRotationFunction under the offline mock runtime: exactly which role assignments
 * exist, on which scopes, and what the Event Grid subscription delivers.
 */
import * as assert from "node:assert/strict";
import {
  AzureDatabaseRotationFunction,
  ROLE_IDS,
  ROTATOR_DATA_ACTIONS,
  effectiveRotationDays,
  type AzureDatabaseRotationFunctionArgs,
} from "../../../components/rotation/azure/function";
import { EXPIRED, NEAR_EXPIRY } from "../../../components/rotation/azure/handler";
import { PROFILES } from "../../../stacks/profiles";
import type { RecordedResource } from "../../../tools/offline/types";
import { named, ofType, recordResources } from "../../support/offline";

const SUB = "00000000-1111-2222-3333-444444444444";
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/secrets/providers/Microsoft.KeyVault/vaults/acme-prod-kv`;
const ARGS: AzureDatabaseRotationFunctionArgs = {
  profile: PROFILES.prod,
  resourceGroupName: "secrets",
  location: "westeurope",
  keyVaultId: VAULT_ID,
  keyVaultUri: "https://acme-prod-kv.vault.azure.net/",
  systemTopicName: "acme-prod-kv-events",
  secrets: { orders: "orders-db", billing: "billing-db" },
  adminSecretName: "admin-db",
};
const roleDefinition = (id: string) =>
  `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${id}`;

describe("AzureDatabaseRotationFunction (mock runtime)", function () {
  this.timeout(60_000);
  let resources: RecordedResource[];
  const one = (type: string, name: string) => named(resources, type, name);

  before(async () => {
    resources = await recordResources(() => new AzureDatabaseRotationFunction("dbrot", ARGS));
  });

  it("defines the rotator role with exactly the handler's data actions, assignable in the vault's resource group only", () => {
    const role = one("azure-native:authorization:RoleDefinition", "dbrot-rotator-role");
    const group = `/subscriptions/${SUB}/resourceGroups/secrets`;
    assert.equal(role.inputs.scope, group);
    assert.deepEqual(role.inputs.assignableScopes, [group]);
    assert.deepEqual(role.inputs.permissions, [
      { actions: [], notActions: [], dataActions: [...ROTATOR_DATA_ACTIONS], notDataActions: [] },
    ]);
  });

  it("assigns the rotator role per rotated secret, Secrets User on the admin secret, blob owner on its own storage: nothing else", () => {
    const principal = one("azure-native:managedidentity:UserAssignedIdentity", "dbrot-identity").outputs
      .principalId;
    const storage = one("azure-native:storage:StorageAccount", "dbrot-storage");
    const rotator = one("azure-native:authorization:RoleDefinition", "dbrot-rotator-role").id;
    const assignments = ofType(resources, "azure-native:authorization:RoleAssignment").map((r) => ({
      scope: r.inputs.scope,
      role: r.inputs.roleDefinitionId,
      principal: r.inputs.principalId,
    }));
    assert.deepEqual(
      assignments.sort((a, b) => String(a.scope).localeCompare(String(b.scope))),
      [
        { scope: storage.id, role: roleDefinition(ROLE_IDS.storageBlobDataOwner), principal },
        {
          scope: `${VAULT_ID}/secrets/admin-db`,
          role: roleDefinition(ROLE_IDS.keyVaultSecretsUser),
          principal,
        },
        {
          scope: `${VAULT_ID}/secrets/billing-db`,
          role: rotator,
          principal,
        },
        {
          scope: `${VAULT_ID}/secrets/orders-db`,
          role: rotator,
          principal,
        },
      ],
    );
  });

  it("subscribes the function to near-expiry and expiry of exactly the rotated secrets, on the vault's topic", () => {
    const app = one("azure-native:web:WebApp", "dbrot-app");
    const sub = one("azure-native:eventgrid:SystemTopicEventSubscription", "dbrot-expiry");
    // Azure allows one system topic per vault: the vault's owner creates it, never a function.
    assert.deepEqual(ofType(resources, "azure-native:eventgrid:SystemTopic"), []);
    assert.equal(sub.inputs.systemTopicName, ARGS.systemTopicName);
    const { includedEventTypes, advancedFilters } = sub.inputs.filter as Record<string, unknown>;
    assert.deepEqual(
      { includedEventTypes, advancedFilters },
      {
        includedEventTypes: [NEAR_EXPIRY, EXPIRED],
        advancedFilters: [{ operatorType: "StringIn", key: "subject", values: ["orders-db", "billing-db"] }],
      },
    );
    assert.deepEqual(sub.inputs.destination, {
      endpointType: "AzureFunction",
      resourceId: `${String(app.id)}/functions/rotate`,
      maxEventsPerBatch: 1,
    });
  });

  it("runs the app as the identity with settings from the profile, on a locked-down storage account", () => {
    const app = one("azure-native:web:WebApp", "dbrot-app");
    const identity = one("azure-native:managedidentity:UserAssignedIdentity", "dbrot-identity");
    assert.deepEqual((app.inputs.identity as { userAssignedIdentities: string[] }).userAssignedIdentities, [
      identity.id,
    ]);
    const settings = Object.fromEntries(
      (app.inputs.siteConfig as { appSettings: { name: string; value: string }[] }).appSettings.map((s) => [
        s.name,
        s.value,
      ]),
    );
    assert.equal(settings.ROTATION_SECRET_EXPIRY_DAYS, String(PROFILES.prod.staticRotation.periodDays));
    assert.equal(settings.ROTATION_SECRETS, "orders-db,billing-db");
    assert.equal(settings.AZURE_CLIENT_ID, identity.outputs.clientId);
    const storage = one("azure-native:storage:StorageAccount", "dbrot-storage");
    assert.equal(storage.inputs.allowSharedKeyAccess, false);
    assert.equal(storage.inputs.allowBlobPublicAccess, false);
    assert.equal(app.inputs.httpsOnly, true);
    assert.match(String(storage.inputs.accountName), /^rotfn[0-9a-f]{19}$/);
  });

  it("names the storage account per vault, so two environments never collide", async () => {
    const other = await recordResources(
      () => new AzureDatabaseRotationFunction("dbrot", { ...ARGS, keyVaultId: `${VAULT_ID}-staging` }),
    );
    const accountOf = (rs: RecordedResource[]) =>
      ofType(rs, "azure-native:storage:StorageAccount")[0].inputs.accountName;
    assert.notEqual(accountOf(other), accountOf(resources));
  });

  it("states the effective rotation period: the lifetime within the 30-day near-expiry lead, else 30 days less", () => {
    assert.deepEqual([7, 14, 30, 31, 90].map(effectiveRotationDays), [7, 14, 30, 1, 60]);
  });

  for (const [label, change, message] of [
    ["no secrets", { secrets: {} }, /"secrets" must name at least one/],
    ["a bad secrets key", { secrets: { "Orders!": "x" } }, /secrets key "Orders!"/],
    [
      "a zero rotation period",
      { profile: { ...PROFILES.prod, staticRotation: { ...PROFILES.prod.staticRotation, periodDays: 0 } } },
      /staticRotation.periodDays/,
    ],
  ] as const) {
    it(`refuses ${label} with a message naming the argument`, () =>
      assert.rejects(
        recordResources(
          () =>
            new AzureDatabaseRotationFunction("bad", {
              ...ARGS,
              ...change,
            } as AzureDatabaseRotationFunctionArgs),
        ),
        message,
      ));
  }
});
