/**
 * The program's profiles sit within the policy pack's limits, which they import from the pack
 * (`policy/lib/thresholds.ts`), and both know the same environments.
 */
import assert from "node:assert/strict";
import { ENVIRONMENTS as PACK_ENVIRONMENTS, THRESHOLDS } from "../../../policy/lib/thresholds";
import { PROFILES, profileOrderingViolations } from "../../../stacks/profiles";
import { ENVIRONMENTS } from "../../../stacks/schema";

const HOUR = 3600;

describe("profiles and the policy pack's thresholds", () => {
  it("name the same environments in the same order", () => {
    assert.deepEqual([...PACK_ENVIRONMENTS], [...ENVIRONMENTS]);
    assert.deepEqual(Object.keys(PROFILES), [...ENVIRONMENTS]);
  });

  for (const env of ENVIRONMENTS) {
    it(`${env}: every limit the pack enforces holds for the profile`, () => {
      const p = PROFILES[env];
      const t = THRESHOLDS[env];
      assert.ok(p.dynamicCredential.ttlSeconds <= t.dynamicCredentialTtlSeconds);
      assert.ok(p.dynamicCredential.maxTtlSeconds <= t.dynamicCredentialMaxTtlSeconds);
      assert.ok(p.staticRotation.periodDays <= t.maxRotationDays);
      assert.ok(p.maxRotationDays <= t.maxRotationDays);
      assert.ok(p.recoveryWindowDays >= t.recoveryWindowDays);
      assert.ok(p.keyRotationDays <= t.keyRotationDays);
      assert.ok(p.secretExpiryDays <= t.secretExpiryDays);
      assert.ok(p.eso.maxRefreshSeconds <= t.maxRefreshSeconds);
      assert.ok(p.vault.replicas >= t.vaultMinReplicas);
      if (t.protect) assert.equal(p.protect, true);
    });
  }

  it("keeps the values the docs/rotation.md table and the components have always used", () => {
    assert.deepEqual(
      ENVIRONMENTS.map((e) => [
        PROFILES[e].dynamicCredential.ttlSeconds / HOUR,
        PROFILES[e].maxRotationDays,
        PROFILES[e].recoveryWindowDays,
        PROFILES[e].eso.maxRefreshSeconds / HOUR,
        PROFILES[e].protect,
      ]),
      [
        [8, 90, 7, 24, false],
        [4, 30, 14, 6, false],
        [1, 7, 30, 1, true],
      ],
    );
  });

  it("refuses a profile with fewer Vault replicas than the pack requires", () => {
    const weakened = {
      ...PROFILES,
      prod: { ...PROFILES.prod, vault: { ...PROFILES.prod.vault, replicas: 2 } },
    };
    assert.ok(
      profileOrderingViolations(weakened).includes(
        "prod: vault.replicas is below the policy pack's minimum of 3",
      ),
    );
  });
});
