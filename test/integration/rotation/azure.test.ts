/**
 * The Azure rotation function on real PostgreSQL and MariaDB. Key Vault is SIMULATED at its
 * HTTP boundary (FakeKeyVault: the real `@azure/keyvault-secrets` client, challenge
 * authentication included, against a local server); there is no Key Vault emulator.
 */
import * as assert from "node:assert/strict";
import type { SecretClient } from "@azure/keyvault-secrets";
import { parseDatabaseSecret, serializeDatabaseSecret } from "../../../components/rotation/core";
import {
  createAzureRotationHandler,
  EXPIRED,
  NEAR_EXPIRY,
  noticeFromEvent,
} from "../../../components/rotation/azure/handler";
import { PROFILES } from "../../../stacks/profiles";
import { requireEngine } from "../engines";
import { createTestDatabase, KINDS_ON_ENGINES, type TestDatabase } from "./databases";
import { FakeKeyVault } from "./azure-key-vault-fake";
import type { Tally } from "./scenarios";
import {
  crashAfterPublish,
  crashBeforePublish,
  rotateUnderLoad,
  summary,
  type VersionedStoreRig,
} from "./versioned-stores";

const VAULT = "rotation-test";
const DAY_S = 24 * 3600;

function azureRig(fake: FakeKeyVault, client: SecretClient, name: string, expiryDays: number) {
  const handler = createAzureRotationHandler({
    client,
    vaultName: VAULT,
    secrets: [name],
    expiryDays,
    tls: { mode: "disable" },
    log: () => undefined,
  });
  const read = async (version?: string) =>
    parseDatabaseSecret((await client.getSecret(name, { version })).value, `${name} ${version ?? "latest"}`);
  const event = (eventType: string, version: string) => ({
    eventType,
    data: { VaultName: VAULT, ObjectType: "Secret", ObjectName: name, Version: version },
  });
  const deliverer = (eventType: string) => {
    const e = event(eventType, fake.versions(name).at(-1)!.id);
    return () => handler(noticeFromEvent(e));
  };
  const rig: VersionedStoreRig = {
    latest: () => read(),
    previous: () => read(fake.versions(name).at(-2)!.id),
    newEvent: async () => deliverer(NEAR_EXPIRY),
    failNextPublish: (when) => fake.failNextSet(when),
    versionCount: () => fake.versions(name).length,
  };
  return { rig, deliverer };
}

for (const [kind, engine] of KINDS_ON_ENGINES) {
  describe(`Azure rotation function on ${engine} (Key Vault simulated at its HTTP boundary)`, function () {
    const fake = new FakeKeyVault();
    let client: SecretClient;
    let db: TestDatabase;
    let admin: string;
    let settings: Awaited<ReturnType<typeof requireEngine>>;
    const tally: Tally = { rotations: 0, logins: 0, failed: 0 };
    const latencies: number[] = [];
    const now = () => Math.floor(Date.now() / 1000);

    /** An application secret whose first version was created `ageDays` ago and expires after `lifetimeDays`. */
    const appSecret = (on: TestDatabase, ageDays: number, lifetimeDays: number) => {
      const name = `${on.initial.dbname!.replace(/_/g, "-")}-app`;
      const created = now() - ageDays * DAY_S;
      fake.put(name, serializeDatabaseSecret({ ...on.initial, masterarn: admin }), {
        created,
        exp: created + lifetimeDays * DAY_S,
      });
      return name;
    };

    before(async function () {
      settings = await requireEngine(this, engine);
      db = await createTestDatabase(kind, settings);
      client = await fake.start();
      admin = `${db.initial.dbname!.replace(/_/g, "-")}-admin`;
      fake.put(admin, serializeDatabaseSecret(db.admin));
    });

    after(async () => {
      if (db) console.log(`      ${summary(`Azure ${engine}`, tally, latencies)}`);
      await fake.stop();
      await db?.drop();
    });

    describe("with the dev profile's expiry (rotates on SecretNearExpiry)", () => {
      let azure: ReturnType<typeof azureRig>;
      let name: string;
      const expiryDays = PROFILES.dev.secretExpiryDays;

      before(() => {
        name = appSecret(db, expiryDays - 20, expiryDays);
        azure = azureRig(fake, client, name, expiryDays);
      });

      it("rotates 12 times under continuous logins; redeliveries never rotate twice", async () => {
        await rotateUnderLoad(azure.rig, db, 12, tally, latencies);
        assert.ok(tally.logins > 0, "the prober must have logged in");
        assert.equal(tally.failed, 0);
      });

      it("sets each new version to expire secretExpiryDays from now", () => {
        const latest = fake.versions(name).at(-1)!;
        const expected = now() + expiryDays * DAY_S;
        assert.ok(Math.abs(latest.exp! - expected) <= 5, "expiresOn must come from the profile");
      });

      it("converges when the function dies between the password change and the new version", () =>
        crashBeforePublish(azure.rig, db, tally));

      it("does not rotate again when the new version was set but the reply was lost", () =>
        crashAfterPublish(azure.rig, db, tally));

      it("treats an event about an older version as done", async () => {
        const stale = azure.deliverer(EXPIRED);
        assert.equal(await azure.deliverer(NEAR_EXPIRY)(), "rotated");
        const versions = fake.versions(name).length;
        assert.equal(await stale(), "already rotated");
        assert.equal(fake.versions(name).length, versions);
        tally.rotations += 1;
      });
    });

    describe("with the prod profile's expiry (within Key Vault's 30-day near-expiry lead)", () => {
      let prodDb: TestDatabase;
      before(async () => {
        prodDb = await createTestDatabase(kind, settings);
      });
      after(() => prodDb?.drop());

      it("defers SecretNearExpiry raised at creation and rotates on SecretExpired", async () => {
        const expiryDays = PROFILES.prod.secretExpiryDays;
        const name = appSecret(prodDb, expiryDays, expiryDays);
        const azure = azureRig(fake, client, name, expiryDays);
        assert.equal(await azure.deliverer(NEAR_EXPIRY)(), "deferred to expiry");
        assert.equal(fake.versions(name).length, 1, "no rotation loop on a fresh short-lived version");
        assert.equal(await azure.deliverer(EXPIRED)(), "rotated");
        assert.equal(await azure.deliverer(NEAR_EXPIRY)(), "deferred to expiry");
        assert.equal(fake.versions(name).length, 2);
        tally.rotations += 1;
      });
    });

    it("refuses other vaults and secrets it does not rotate, ignores other events", async () => {
      const handler = createAzureRotationHandler({
        client,
        vaultName: VAULT,
        secrets: ["only-this"],
        expiryDays: 30,
        tls: { mode: "disable" },
        log: () => undefined,
      });
      const notice = (eventType: string, vault: string, objectName: string) =>
        noticeFromEvent({
          eventType,
          data: { VaultName: vault, ObjectType: "Secret", ObjectName: objectName, Version: "v1" },
        });
      await assert.rejects(
        handler(notice(NEAR_EXPIRY, "other-vault", "only-this")),
        /this function rotates in/,
      );
      await assert.rejects(
        handler(notice(NEAR_EXPIRY, VAULT, "someone-else")),
        /not one this function rotates/,
      );
      assert.equal(
        await handler(notice("Microsoft.KeyVault.SecretNewVersionCreated", VAULT, "x")),
        "ignored",
      );
      assert.throws(
        () => noticeFromEvent({ eventType: NEAR_EXPIRY, data: { ObjectType: "Key" } }),
        /not about/,
      );
    });

    it("never failed a login", () => assert.equal(tally.failed, 0));
  });
}
