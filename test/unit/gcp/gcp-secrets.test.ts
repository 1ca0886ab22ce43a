import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { GcpSecrets, type GcpSecretsArgs } from "../../../components/gcp";
import { gcpServiceAccountId } from "../../../components/gcp/names";
import { grantsFor } from "../../../stacks/access";
import { cloudSecretName, workloadIdentityName } from "../../../stacks/naming";
import { profileFor } from "../../../stacks/profiles";
import type { Catalog, CatalogInput, Environment } from "../../../stacks/schema";
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
const SECRET = "gcp:secretmanager/secret:Secret";

function argsFor(catalog: Catalog, referenceTime = REFERENCE_TIME): GcpSecretsArgs {
  const { profile, secrets } = loadedStackFor(catalog);
  return { catalog, profile, secrets, referenceTime };
}

async function record(catalog: Catalog, referenceTime = REFERENCE_TIME) {
  const capture = captureChildOptions();
  let component: GcpSecrets | undefined;
  const resources = await recordResources(() => {
    component = new GcpSecrets("gcp", argsFor(catalog, referenceTime), {
      transformations: [capture.transformation],
    });
  }, catalog);
  return { resources, component: component as GcpSecrets, options: capture.byName };
}

/** Every IAM grant in the graph as `<type> <target> <role> <member>`. */
function iamGrants(resources: readonly RecordedResource[]): string[] {
  return resources
    .filter(
      (r) =>
        /iam/i.test(r.type.split(":")[2] ?? "") && r.type !== "gcp:projects/iAMAuditConfig:IAMAuditConfig",
    )
    .map((r) => {
      const i = r.inputs as Record<string, string>;
      const target = i.secretId ?? i.cryptoKeyId ?? i.topic ?? i.serviceAccountId ?? i.project;
      return `${r.type} ${target} ${i.role} ${i.member}`;
    })
    .sort();
}

describe("GcpSecrets", function () {
  this.timeout(60_000);

  describe("prod", () => {
    const catalog = shippedCatalog("prod");
    const project = catalog.gcp?.project as string;
    let run: Awaited<ReturnType<typeof record>>;
    before(async () => {
      run = await record(catalog);
    });

    it("grants exactly the IAM members the catalog implies, and nothing on the project", () => {
      const agent = `serviceAccount:service-${catalog.gcp?.projectNumber}@gcp-sa-secretmanager.iam.gserviceaccount.com`;
      const grants = grantsFor(catalog, "gcp");
      const readers = [...new Set(grants.map((g) => g.workload))];
      const gsa = (w: (typeof readers)[number]) =>
        `${gcpServiceAccountId(catalog, w)}@${project}.iam.gserviceaccount.com`;
      const expected = [
        ...grants.map(
          (g) =>
            `gcp:secretmanager/secretIamMember:SecretIamMember projects/${project}/secrets/${cloudSecretName(catalog, g.workload, g.secret)} roles/secretmanager.secretAccessor serviceAccount:${gsa(g.workload)}`,
        ),
        ...readers.map(
          (w) =>
            `gcp:serviceaccount/iAMMember:IAMMember projects/${project}/serviceAccounts/${gsa(w)} roles/iam.workloadIdentityUser serviceAccount:${project}.svc.id.goog[${w.namespace}/${w.serviceAccount}]`,
        ),
        ...["europe-west1", "europe-west4"].map(
          (l) =>
            `gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember projects/${project}/locations/${l}/keyRings/sp-prod-secrets/cryptoKeys/secret-manager roles/cloudkms.cryptoKeyEncrypterDecrypter ${agent}`,
        ),
        `gcp:pubsub/topicIAMMember:TopicIAMMember sp-prod-secret-rotation roles/pubsub.publisher ${agent}`,
      ].sort();
      assert.equal(grants.length, 2);
      assert.deepEqual(iamGrants(run.resources), expected);
      assert.ok(
        !run.resources.some((r) =>
          /^gcp:(projects|organizations|folders)\/iAM(Member|Binding|Policy)/.test(r.type),
        ),
      );
      assert.ok(!JSON.stringify(run.resources.map((r) => r.inputs)).match(/allUsers|allAuthenticatedUsers/));
    });

    it("turns on data-access audit logs for Secret Manager", () => {
      const [audit] = ofType(run.resources, "gcp:projects/iAMAuditConfig:IAMAuditConfig");
      assert.deepEqual(audit.inputs, {
        project,
        service: "secretmanager.googleapis.com",
        auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }],
      });
    });

    it("replicates to the configured locations, each replica under its own location's key", () => {
      for (const secret of ofType(run.resources, SECRET)) {
        const replicas = (secret.inputs.replication as { userManaged: { replicas: unknown[] } }).userManaged
          .replicas;
        assert.deepEqual(
          replicas,
          ["europe-west1", "europe-west4"].map((location) => ({
            location,
            customerManagedEncryption: {
              kmsKeyName: `projects/${project}/locations/${location}/keyRings/sp-prod-secrets/cryptoKeys/secret-manager`,
            },
          })),
        );
      }
    });

    it("rotates keys on the profile's period and names the topic on every secret", () => {
      for (const key of ofType(run.resources, "gcp:kms/cryptoKey:CryptoKey")) {
        assert.equal(key.inputs.rotationPeriod, `${90 * 86_400}s`);
      }
      const [topic] = ofType(run.resources, "gcp:pubsub/topic:Topic");
      for (const secret of ofType(run.resources, SECRET)) {
        assert.deepEqual(secret.inputs.topics, [{ name: topic.id }]);
        assert.deepEqual(secret.inputs.rotation, {
          rotationPeriod: `${30 * 86_400}s`,
          // prod secretExpiryDays = 30: the first UTC midnight 30 days after the reference time.
          nextRotationTime: "2026-12-23T00:00:00.000Z",
        });
        assert.equal(secret.inputs.deletionProtection, true);
        assert.match(String(secret.inputs.secretId), /^sp-prod-(catalog-api|storefront-web)-/);
      }
    });

    it("leaves nextRotationTime to Secret Manager after creation, and the first version to operators", () => {
      for (const secret of ofType(run.resources, SECRET)) {
        assert.deepEqual(run.options.get(secret.name)?.ignoreChanges, ["rotation.nextRotationTime"]);
      }
      for (const version of ofType(run.resources, "gcp:secretmanager/secretVersion:SecretVersion")) {
        assert.deepEqual(run.options.get(version.name)?.ignoreChanges, ["secretData"]);
      }
    });

    it("protects and retains keys, key rings, secrets and versions", () => {
      const stateful = run.resources.filter((r) =>
        /^gcp:(kms\/(keyRing|cryptoKey):|secretmanager\/(secret|secretVersion):)/.test(r.type),
      );
      assert.equal(stateful.length, 2 + 2 + 2 + 2);
      for (const r of stateful)
        assert.deepEqual([r.name, r.opts.protect, r.opts.retainOnDelete], [r.name, true, true]);
    });

    it("passes generated values only as Pulumi secrets", () => {
      const versions = ofType(run.resources, "gcp:secretmanager/secretVersion:SecretVersion");
      assert.equal(versions.length, 2);
      for (const v of versions) assert.deepEqual(v.secretPaths, ["secretData"]);
      assert.deepEqual(
        run.resources.flatMap((r) => leakedSecretPaths(r).map((p) => `${r.name} ${p}`)),
        [],
      );
    });

    it("exposes each reader's service account and secret ids", async () => {
      assert.deepEqual(Object.keys(run.component.workloadIdentities).sort(), [
        "catalog-api",
        "storefront-web",
      ]);
      assert.equal(
        await valueOf(run.component.workloadIdentities["catalog-api"].gcpServiceAccountEmail!),
        `sp-prod-catalog-api@${project}.iam.gserviceaccount.com`,
      );
      assert.equal(
        await valueOf(run.component.secretIds["storefront-web"]["recaptcha-key"]),
        "sp-prod-storefront-web-recaptcha-key",
      );
      assert.deepEqual(run.component.rotatedDatabases, {});
    });
  });

  describe("automatic replication (staging)", () => {
    it("uses one key in global and no protection outside prod", async () => {
      const catalog = shippedCatalog("staging");
      const { resources } = await record(catalog);
      const keys = ofType(resources, "gcp:kms/keyRing:KeyRing");
      assert.deepEqual(
        keys.map((k) => k.inputs.location),
        ["global"],
      );
      const [secret] = ofType(resources, SECRET);
      assert.deepEqual(secret.inputs.replication, {
        auto: {
          customerManagedEncryption: {
            kmsKeyName:
              "projects/example-staging-project/locations/global/keyRings/sp-staging-secrets/cryptoKeys/secret-manager",
          },
        },
      });
      assert.ok(resources.every((r) => !r.opts.protect && !r.opts.retainOnDelete));
      assert.equal(secret.inputs.deletionProtection, true);
    });
  });

  describe("rotation schedule", () => {
    const projectPath = "projects/example-prod-project";
    function withDatabaseSecret(): Catalog {
      const input = shippedCatalogInput("prod");
      input.workloads
        .find((w) => w.name === "catalog-api")
        ?.secrets.push({
          name: "orders-login",
          source: "gcp",
          rotation: { database: "orders-pg" },
        });
      return validateCatalog(input);
    }

    it("rotates database logins on the static-rotation period and exposes them to the rotation function", async () => {
      const catalog = withDatabaseSecret();
      const { resources, component } = await record(catalog);
      const secret = resources.find(
        (r) => r.type === SECRET && r.name === "gcp-secret-catalog-api-orders-login",
      );
      assert.equal((secret?.inputs.rotation as { rotationPeriod: string }).rotationPeriod, `${7 * 86_400}s`);
      const { secrets, adminSecret, rotationTopicId } = component.rotatedDatabases["orders-pg"];
      assert.deepEqual(Object.keys(component.rotatedDatabases), ["orders-pg"]);
      assert.deepEqual(
        { secrets: await valueOf(pulumi.all(secrets)), adminSecret: await valueOf(adminSecret) },
        {
          secrets: { "catalog-api-orders-login": `${projectPath}/secrets/sp-prod-catalog-api-orders-login` },
          adminSecret: `${projectPath}/secrets/sp-prod--admin-orders-pg`,
        },
      );
      // Only the database's own secrets publish to the topic its function is triggered by.
      const topic = await valueOf(rotationTopicId);
      assert.equal(topic, `${projectPath}/topics/sp-prod-secret-rotation-orders-pg`);
      assert.deepEqual(
        ofType(resources, SECRET)
          .filter((r) => (r.inputs.topics as { name: string }[]).some((t) => t.name === topic))
          .map((r) => r.inputs.secretId),
        ["sp-prod-catalog-api-orders-login"],
      );
    });

    it("seeds the rotated secret with the function's JSON shape and the admin secret from the secret config only", async () => {
      const catalog = withDatabaseSecret();
      const { resources } = await record(catalog);
      const version = (name: string) =>
        ofType(resources, "gcp:secretmanager/secretVersion:SecretVersion").find((r) => r.name === name)!;
      const admin = version("gcp-version-admin-orders-pg");
      assert.deepEqual(admin.secretPaths, ["secretData"]);
      assert.equal(
        JSON.parse(String(admin.inputs.secretData)).password,
        "test-placeholder-for-ordersDbAdminPassword",
      );
      const seeded = version("gcp-version-catalog-api-orders-login");
      assert.deepEqual(seeded.secretPaths, ["secretData"]);
      const { password, ...shape } = JSON.parse(String(seeded.inputs.secretData));
      assert.equal(typeof password, "string");
      assert.deepEqual(shape, {
        engine: "postgresql",
        host: "orders.cluster-example.eu-west-1.rds.amazonaws.com",
        port: 5432,
        dbname: "orders",
        username: "catalog_api_orders_login",
        masterarn: `${projectPath}/secrets/sp-prod--admin-orders-pg`,
      });
      const adminSecret = ofType(resources, SECRET).find((r) => r.name === "gcp-secret-admin-orders-pg")!;
      assert.equal(adminSecret.opts.protect, true);
      assert.ok(adminSecret.inputs.replication && adminSecret.inputs.labels);
    });

    it("refuses a rotated secret whose database admin password was not passed, naming the config key", () =>
      assert.rejects(
        recordResources(
          () => new GcpSecrets("gcp", { ...argsFor(withDatabaseSecret()), secrets: new Map() }),
        ),
        /databases\[0\]\.adminPasswordConfigKey: no secret config value ordersDbAdminPassword/,
      ));

    it("computes the same nextRotationTime for every run on the same UTC day", async () => {
      const catalog = shippedCatalog("prod");
      const times = async (at: string) =>
        ofType((await record(catalog, new Date(at))).resources, SECRET).map((s) =>
          JSON.stringify(s.inputs.rotation),
        );
      assert.deepEqual(await times("2026-11-22T00:00:01Z"), await times("2026-11-22T23:59:59Z"));
      assert.notDeepEqual(await times("2026-11-22T10:00:00Z"), await times("2026-11-23T00:00:01Z"));
    });
  });

  describe("names", () => {
    it("shortens long service account ids to 30 chars, deterministically and distinctly", () => {
      const input = shippedCatalogInput("staging") as CatalogInput;
      const base = input.workloads[0];
      input.workloads.push(
        { ...base, name: "storefront-recommendations-a", serviceAccount: "reco-a" },
        { ...base, name: "storefront-recommendations-b", serviceAccount: "reco-b" },
      );
      const catalog = validateCatalog(input);
      const [a, b] = catalog.workloads.slice(-2);
      assert.ok(workloadIdentityName(catalog, a).length > 30);
      const ids = [gcpServiceAccountId(catalog, a), gcpServiceAccountId(catalog, b)];
      for (const id of ids) assert.match(id, /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/);
      assert.notEqual(ids[0], ids[1]);
      assert.equal(gcpServiceAccountId(catalog, a), ids[0]);
    });
  });

  describe("bad arguments", () => {
    const fails = async (catalog: Catalog, args: Partial<GcpSecretsArgs>, message: RegExp) => {
      let registered = 0;
      await assert.rejects(
        recordResources(() => {
          registered = 1;
          return new GcpSecrets("gcp", { ...argsFor(catalog), ...args });
        }, catalog),
        message,
      );
      assert.equal(registered, 1);
    };

    it("refuses a catalog without a gcp section", async () => {
      await fails(shippedCatalog("dev"), {}, /GcpSecrets: the catalog has no "gcp" section/);
    });

    it("refuses another environment's profile", async () => {
      await fails(
        shippedCatalog("prod"),
        { profile: profileFor("dev" as Environment) },
        /profile is for dev but the catalog is prod/,
      );
    });

    it("refuses repeated replica locations and invalid reference times", async () => {
      const input = shippedCatalogInput("prod");
      (input.gcp as { replicaLocations: string[] }).replicaLocations = ["europe-west1", "europe-west1"];
      await fails(validateCatalog(input), {}, /gcp.replicaLocations lists europe-west1 more than once/);
      await fails(
        shippedCatalog("prod"),
        { referenceTime: new Date("not a date") },
        /referenceTime is an invalid Date/,
      );
    });

    it("refuses a gcp secret read from a cluster outside GCP", async () => {
      const catalog = structuredClone(shippedCatalog("prod"));
      catalog.workloads.find((w) => w.name === "catalog-api")!.cluster = "eks-prod";
      await fails(catalog, {}, /workload catalog-api reads gcp secrets but runs on cluster eks-prod \(aws\)/);
    });

    it("registers nothing when the arguments are bad", async () => {
      const catalog = shippedCatalog("dev");
      const resources = await recordResources(() => {
        try {
          new GcpSecrets("gcp", argsFor(catalog));
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
