/**
 * The rotation proof of issue 6 at a small size, for `npm test`: every scenario of
 * `npm run test:rotation`, on real PostgreSQL and MariaDB with moto as Secrets Manager.
 */
import * as assert from "node:assert/strict";
import { requireEngine } from "../engines";
import { createTestDatabase, KINDS_ON_ENGINES, type TestDatabase } from "./databases";
import { motoClient, RotationDriver } from "./driver";
import { continuousRotation, crashRecovery, inconsistentStages, rollback, type Tally } from "./scenarios";

for (const [kind, engine] of KINDS_ON_ENGINES) {
  describe(`database rotation on ${engine} (moto as Secrets Manager)`, function () {
    let db: TestDatabase;
    let driver: RotationDriver;
    let secretId: string;
    const tally: Tally = { rotations: 0, logins: 0, failed: 0 };

    before(async function () {
      const settings = await requireEngine(this, engine);
      await requireEngine(this, "moto");
      db = await createTestDatabase(kind, settings);
      driver = new RotationDriver(motoClient(settings.motoEndpoint));
      secretId = await driver.createSecrets(db.initial, db.admin);
    });

    after(async () => {
      driver?.client.destroy();
      await db?.drop();
    });

    it("rotates repeatedly while fresh logins with AWSCURRENT never fail", async () => {
      await continuousRotation(driver, db, secretId, 6, tally);
      assert.ok(tally.logins > 0, "the prober must have logged in");
      assert.equal(tally.failed, 0);
    });

    it("converges after a crash at each step and each Secrets Manager write", () =>
      crashRecovery(driver, db, secretId, tally));

    it("rolls back to AWSPREVIOUS with working logins", () => rollback(driver, db, secretId, tally));

    it("refuses inconsistent stages and tampered pending versions", () =>
      inconsistentStages(driver, db, secretId, tally));

    it("never failed a login", () => assert.equal(tally.failed, 0));
  });
}
