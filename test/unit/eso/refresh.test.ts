/** Refresh intervals derived from each environment's profile. */
import { strict as assert } from "node:assert";
import { goDuration, refreshIntervalSeconds } from "../../../components/eso/refresh";
import { PROFILES } from "../../../stacks/profiles";
import type { Environment, WorkloadSecret } from "../../../stacks/schema";

const dynamicDb: WorkloadSecret = {
  name: "orders-db",
  source: "vault-database",
  database: "orders-pg",
  access: "read-write",
  credential: "dynamic",
};
const staticDb: WorkloadSecret = { ...dynamicDb, credential: "static", username: "reporting" };
const kv: WorkloadSecret = { name: "flags", source: "vault-kv", path: "orders/flags" };
const rotatedAws: WorkloadSecret = {
  name: "ledger-db",
  source: "aws",
  rotation: { database: "ledger-mysql" },
};

/** Expected seconds per environment: [dynamic, static, kv, rotated cloud secret]. */
const EXPECTED: Record<Environment, [number, number, number, number]> = {
  dev: [5 * 3600 + 20 * 60, 24 * 3600, 24 * 3600, 24 * 3600],
  staging: [2 * 3600 + 40 * 60, 6 * 3600, 6 * 3600, 6 * 3600],
  prod: [40 * 60, 3600, 3600, 3600],
};

describe("ESO refresh intervals", () => {
  for (const env of Object.keys(EXPECTED) as Environment[]) {
    const profile = PROFILES[env];
    it(`follow the ${env} profile`, () => {
      const actual = [dynamicDb, staticDb, kv, rotatedAws].map((s) => refreshIntervalSeconds(s, profile));
      assert.deepEqual(actual, EXPECTED[env]);
      const [dynamic, ...others] = actual;
      assert.ok(dynamic <= profile.eso.dynamicRefreshFraction * profile.dynamicCredential.ttlSeconds);
      for (const seconds of actual) assert.ok(seconds > 0 && seconds <= profile.eso.maxRefreshSeconds);
      for (const seconds of others) assert.ok(seconds <= profile.staticRotation.periodDays * 86_400);
    });
  }

  it("are capped by a rotation period shorter than the maximum refresh", () => {
    const profile = { ...PROFILES.dev, staticRotation: { ...PROFILES.dev.staticRotation, periodDays: 0.25 } };
    assert.equal(refreshIntervalSeconds(rotatedAws, profile), 6 * 3600);
    assert.equal(refreshIntervalSeconds(kv, profile), 24 * 3600);
  });

  it("refuse to come out as zero", () => {
    const profile = { ...PROFILES.prod, eso: { ...PROFILES.prod.eso, dynamicRefreshFraction: 0 } };
    assert.throws(() => refreshIntervalSeconds(dynamicDb, profile), /orders-db.*prod profile/);
  });

  it("print as Go durations", () => {
    assert.deepEqual([2400, 3600, 19_200, 90, 86_400].map(goDuration), [
      "40m",
      "1h",
      "5h20m",
      "1m30s",
      "24h",
    ]);
  });

  it("follow a tighter catalog bound (eso.maxRefreshSeconds) for every kind of secret", () => {
    const profile = PROFILES.dev;
    assert.deepEqual(
      [dynamicDb, staticDb, kv, rotatedAws].map((s) => refreshIntervalSeconds(s, profile, 10)),
      [10, 10, 10, 10],
    );
  });
});
