/**
 * The GCP rotation function on real PostgreSQL and MariaDB. Secret Manager is SIMULATED at its
 * HTTP boundary (FakeSecretManager: the real `@google-cloud/secret-manager` client in REST
 * fallback mode against a local server); there is no Secret Manager emulator.
 */
import * as assert from "node:assert/strict";
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { serializeDatabaseSecret, parseDatabaseSecret } from "../../../components/rotation/core";
import {
  createGcpRotationHandler,
  noticeFromCloudEvent,
  SECRET_ROTATE,
} from "../../../components/rotation/gcp/handler";
import { requireEngine } from "../engines";
import { createTestDatabase, KINDS_ON_ENGINES, type TestDatabase } from "./databases";
import { FakeSecretManager } from "./gcp-secret-manager-fake";
import type { Tally } from "./scenarios";
import {
  crashAfterPublish,
  crashBeforePublish,
  rotateUnderLoad,
  summary,
  type VersionedStoreRig,
} from "./versioned-stores";

function gcpRig(fake: FakeSecretManager, client: SecretManagerServiceClient, secretName: string) {
  const handler = createGcpRotationHandler({
    client,
    tls: { mode: "disable" },
    secrets: [secretName],
    log: () => undefined,
  });
  let published = 0;
  const enabled = () => fake.versions(secretName).filter((v) => v.state === 1);
  const read = async (number: number) => {
    const [out] = await client.accessSecretVersion({ name: `${secretName}/versions/${number}` });
    return parseDatabaseSecret(Buffer.from(out.payload!.data!).toString(), `${secretName} ${number}`);
  };
  const rig: VersionedStoreRig = {
    latest: async () => {
      const [out] = await client.accessSecretVersion({ name: `${secretName}/versions/latest` });
      return parseDatabaseSecret(Buffer.from(out.payload!.data!).toString(), `${secretName} latest`);
    },
    previous: () => read(enabled().at(-2)!.number),
    newEvent: async () => {
      // Real notifications come days after the last version; never within its millisecond.
      await new Promise((r) => setTimeout(r, 2));
      const event = {
        data: {
          message: {
            attributes: { eventType: SECRET_ROTATE, secretId: secretName },
            messageId: String(++published),
            publishTime: new Date().toISOString(),
          },
        },
      };
      return () => handler(noticeFromCloudEvent(event));
    },
    failNextPublish: (when) => fake.inject({ method: "addVersion", when }),
    versionCount: () => fake.versions(secretName).length,
  };
  return { rig, handler };
}

for (const [kind, engine] of KINDS_ON_ENGINES) {
  describe(`GCP rotation function on ${engine} (Secret Manager simulated at its HTTP boundary)`, function () {
    const fake = new FakeSecretManager();
    let client: SecretManagerServiceClient;
    let db: TestDatabase;
    let secretName: string;
    let gcp: ReturnType<typeof gcpRig>;
    const tally: Tally = { rotations: 0, logins: 0, failed: 0 };
    const latencies: number[] = [];

    before(async function () {
      const settings = await requireEngine(this, engine);
      db = await createTestDatabase(kind, settings);
      client = await fake.start();
      const admin = fake.create(`${db.initial.dbname}-admin`, serializeDatabaseSecret(db.admin));
      secretName = fake.create(
        `${db.initial.dbname}-app`,
        serializeDatabaseSecret({ ...db.initial, masterarn: admin }),
      );
      gcp = gcpRig(fake, client, secretName);
    });

    after(async () => {
      if (db) console.log(`      ${summary(`GCP ${engine}`, tally, latencies)}`);
      await client?.close();
      await fake.stop();
      await db?.drop();
    });

    it("rotates 12 times under continuous logins; redeliveries never rotate twice", async () => {
      await rotateUnderLoad(gcp.rig, db, 12, tally, latencies);
      assert.ok(tally.logins > 0, "the prober must have logged in");
      assert.equal(tally.failed, 0);
    });

    it("keeps exactly the latest and the previous version enabled, disabling (not destroying) older ones", () => {
      const versions = fake.versions(secretName);
      assert.equal(fake.enabledCount(secretName), 2);
      assert.ok(versions.length >= 12, "every rotation added a version");
      assert.ok(
        versions.slice(0, -2).every((v) => v.state === 2),
        "older versions are DISABLED",
      );
    });

    it("converges when the function dies between the password change and the new version", () =>
      crashBeforePublish(gcp.rig, db, tally));

    it("does not rotate again when the new version was added but the reply was lost", () =>
      crashAfterPublish(gcp.rig, db, tally));

    it("ignores other Secret Manager events and refuses secrets it does not rotate", async () => {
      const now = new Date(Date.now() + 1000).toISOString();
      const notice = (eventType: string, secretId: string) =>
        noticeFromCloudEvent({
          data: { message: { attributes: { eventType, secretId }, publishTime: now } },
        });
      const versions = fake.versions(secretName).length;
      assert.equal(await gcp.handler(notice("SECRET_VERSION_ADD", secretName)), "ignored");
      await assert.rejects(
        gcp.handler(notice(SECRET_ROTATE, "projects/test/secrets/someone-else")),
        /not one this function rotates/,
      );
      assert.equal(fake.versions(secretName).length, versions);
    });

    it("never failed a login", () => assert.equal(tally.failed, 0));
  });
}
