/**
 * The rotation paths of the shipped stacks, under the mock runtime: for AWS, the function's
 * names, network and TLS as the catalog says; for GCP and Azure, every IAM member / role
 * assignment on a rotated or admin secret, who may add versions, and that admin logins exist
 * only as Pulumi secrets.
 */
import * as assert from "node:assert/strict";
import { SecretsPlatform } from "../../../components/platform";
import { ROLE_IDS } from "../../../components/rotation/azure/function";
import type { RecordedResource } from "../../../tools/offline/types";
import { loadedStackFor, named, ofType, recordResources, shippedCatalog } from "../../support/offline";

const record = async (stack: "staging" | "prod") => {
  const catalog = shippedCatalog(stack);
  return recordResources(() => new SecretsPlatform("platform", loadedStackFor(catalog)), catalog, stack);
};

describe("database rotation in the shipped stacks (mock runtime)", function () {
  this.timeout(120_000);

  describe("prod: the AWS rotation function of orders-pg", () => {
    let resources: RecordedResource[];
    before(async () => {
      resources = await record("prod");
    });

    it("carries the environment's names, the catalog's VPC and verifies the database's TLS", () => {
      const fn = named(resources, "aws:lambda/function:Function", "platform-rotation-orders-pg-function");
      assert.equal(fn.inputs.name, "sp-prod-rotation-orders-pg");
      assert.deepEqual(fn.inputs.vpcConfig, {
        subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        securityGroupIds: ["sg-0a1b2c3d4e5f60003"],
      });
      assert.deepEqual(fn.inputs.environment, { variables: { ROTATION_DB_TLS: "verify" } });
      const logs = named(resources, "aws:cloudwatch/logGroup:LogGroup", "platform-rotation-orders-pg-logs");
      assert.equal(logs.inputs.name, "/aws/lambda/sp-prod-rotation-orders-pg");
      const role = named(resources, "aws:iam/role:Role", "platform-rotation-orders-pg-role");
      assert.equal(role.inputs.name, "sp-prod_rotation-orders-pg");
    });
  });

  describe("staging: ledger-export reads ledger-mysql through Secret Manager", () => {
    const project = "projects/example-staging-project";
    const rotated = `${project}/secrets/sp-staging-ledger-export-ledger-db`;
    const admin = `${project}/secrets/sp-staging--admin-ledger-mysql`;
    let resources: RecordedResource[];
    before(async () => {
      resources = await record("staging");
    });

    it("grants the rotated secret to its reader and the function, the admin secret to the function only", () => {
      const fn = "platform-gcp-rotation-ledger-mysql";
      const rotator = named(resources, "gcp:serviceaccount/account:Account", `${fn}-sa`).outputs.member;
      const role = named(resources, "gcp:projects/iAMCustomRole:IAMCustomRole", `${fn}-rotator-role`).outputs
        .name;
      const reader =
        "serviceAccount:sp-staging-ledger-export@example-staging-project.iam.gserviceaccount.com";
      const onRotationSecrets = ofType(resources, "gcp:secretmanager/secretIamMember:SecretIamMember")
        .filter((r) => [rotated, admin].includes(String(r.inputs.secretId)))
        .map((r) => `${String(r.inputs.secretId)} ${String(r.inputs.role)} ${String(r.inputs.member)}`)
        .sort();
      assert.deepEqual(onRotationSecrets, [
        `${admin} roles/secretmanager.secretAccessor ${String(rotator)}`,
        `${rotated} ${String(role)} ${String(rotator)}`,
        `${rotated} roles/secretmanager.secretAccessor ${reader}`,
      ]);
      // secretAccessor cannot add versions: the custom role is the only grant that can.
      const adders = ofType(resources, "gcp:projects/iAMCustomRole:IAMCustomRole").filter((r) =>
        (r.inputs.permissions as string[]).includes("secretmanager.versions.add"),
      );
      assert.deepEqual(
        adders.map((r) => r.name),
        [`${fn}-rotator-role`],
      );
    });

    it("triggers the function from the database's own topic, to which only its rotated secret publishes", () => {
      const fn = named(
        resources,
        "gcp:cloudfunctionsv2/function:Function",
        "platform-gcp-rotation-ledger-mysql-function",
      );
      const topic = `${project}/topics/sp-staging-secret-rotation-ledger-mysql`;
      assert.equal((fn.inputs.eventTrigger as { pubsubTopic: string }).pubsubTopic, topic);
      const publishers = ofType(resources, "gcp:secretmanager/secret:Secret")
        .filter((r) => (r.inputs.topics as { name: string }[]).some((t) => t.name === topic))
        .map((r) => r.id);
      assert.deepEqual(publishers, [rotated]);
      assert.equal(
        (fn.inputs.serviceConfig as { environmentVariables: Record<string, string> }).environmentVariables
          .ROTATION_SECRETS,
        rotated,
      );
    });

    it("passes the admin login only as a Pulumi secret", () => {
      const version = named(
        resources,
        "gcp:secretmanager/secretVersion:SecretVersion",
        "platform-gcp-version-admin-ledger-mysql",
      );
      assert.deepEqual(version.secretPaths, ["secretData"]);
      assert.equal(JSON.parse(String(version.inputs.secretData)).username, "rotation_admin");
    });
  });

  describe("prod: identity-api reads orders-pg through Key Vault", () => {
    let resources: RecordedResource[];
    before(async () => {
      resources = await record("prod");
    });

    it("assigns the rotated secret to its reader and the function, the admin secret to the function only", () => {
      const vault = named(resources, "azure-native:keyvault:Vault", "platform-azure-vault").id;
      const sub = String(vault).split("/").slice(0, 3).join("/");
      const role = (id: string) => `${sub}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
      const fn = "platform-azure-rotation-orders-pg";
      const rotator = named(resources, "azure-native:managedidentity:UserAssignedIdentity", `${fn}-identity`)
        .outputs.principalId;
      const rotatorRole = named(
        resources,
        "azure-native:authorization:RoleDefinition",
        `${fn}-rotator-role`,
      ).id;
      const reader = named(
        resources,
        "azure-native:managedidentity:UserAssignedIdentity",
        "platform-azure-identity-identity-api",
      ).outputs.principalId;
      const rotated = `${String(vault)}/secrets/sp-prod-identity-api-orders-db`;
      const admin = `${String(vault)}/secrets/sp-prod--admin-orders-pg`;
      const onRotationSecrets = ofType(resources, "azure-native:authorization:RoleAssignment")
        .filter((r) => [rotated, admin].includes(String(r.inputs.scope)))
        .map(
          (r) =>
            `${String(r.inputs.scope)} ${String(r.inputs.roleDefinitionId)} ${String(r.inputs.principalId)}`,
        )
        .sort();
      assert.deepEqual(
        onRotationSecrets,
        [
          `${admin} ${role(ROLE_IDS.keyVaultSecretsUser)} ${String(rotator)}`,
          `${rotated} ${role(ROLE_IDS.keyVaultSecretsUser)} ${String(reader)}`,
          `${rotated} ${String(rotatorRole)} ${String(rotator)}`,
        ].sort(),
      );
    });

    it("creates the vault's one events topic and subscribes the function to exactly the rotated secret", () => {
      const topics = ofType(resources, "azure-native:eventgrid:SystemTopic");
      assert.equal(topics.length, 1);
      const subscription = named(
        resources,
        "azure-native:eventgrid:SystemTopicEventSubscription",
        "platform-azure-rotation-orders-pg-expiry",
      );
      assert.equal(subscription.inputs.systemTopicName, topics[0].outputs.name ?? topics[0].inputs.name);
      assert.deepEqual((subscription.inputs.filter as { advancedFilters: unknown }).advancedFilters, [
        { operatorType: "StringIn", key: "subject", values: ["sp-prod-identity-api-orders-db"] },
      ]);
    });

    it("protects both secrets, passes values only as secrets, and seeds the JSON the function reads", () => {
      const secret = (name: string) => named(resources, "azure-native:keyvault:Secret", name);
      const admin = secret("platform-azure-secret-admin-orders-pg");
      const rotated = secret("platform-azure-secret-identity-api-orders-db");
      for (const s of [admin, rotated]) {
        assert.equal(s.opts.protect, true);
        // Only the value is secret, as in the engine's state; the expiry stays readable.
        assert.deepEqual(s.secretPaths, ["properties.value"]);
      }
      const value = (s: RecordedResource) =>
        JSON.parse(String((s.inputs.properties as { value: string }).value));
      assert.equal(value(admin).username, "rotation_admin");
      assert.equal(value(rotated).masterarn, "sp-prod--admin-orders-pg");
      assert.equal(value(rotated).username, "identity_api_orders_db");
      // The login expires, and is rotated, after the static-rotation period (7 days in prod).
      const { expires } = (rotated.inputs.properties as { attributes: { expires: number } }).attributes;
      const days = (expires * 1000 - Date.now()) / 86_400_000;
      assert.ok(days > 6 && days <= 8, `rotated secret expires in ${days} days`);
    });
  });
});
