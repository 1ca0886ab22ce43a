/**
 * Rotation scenarios for secret stores that append versions (GCP Secret Manager, Azure Key
 * Vault), shared by the GCP and Azure suites. A rig stands for one store holding one database
 * secret and delivers rotation events to the store's rotation function, as often as asked:
 * delivering an event again is a redelivery.
 */
import * as assert from "node:assert/strict";
import { alternateUsername, engineFor, type DatabaseSecret } from "../../../components/rotation/core";
import type { TestDatabase } from "./databases";
import { startProber, type Tally } from "./scenarios";

export interface VersionedStoreRig {
  /** The credential in the newest version, as a client reads it. */
  latest(): Promise<DatabaseSecret>;
  /** The credential in the version before it. */
  previous(): Promise<DatabaseSecret>;
  /** A new rotation event about the store as it is now; the result delivers it. */
  newEvent(): Promise<() => Promise<string>>;
  /** The store's next write of a version fails before it applies, or applies and loses the reply. */
  failNextPublish(when: "before" | "after"): void;
  versionCount(): number;
}

const TLS = { mode: "disable" } as const;

async function assertBothUsersLogIn(rig: VersionedStoreRig, db: TestDatabase): Promise<void> {
  const engine = engineFor(db.kind, TLS);
  const [current, previous] = [await rig.latest(), await rig.previous()];
  assert.equal(current.username, alternateUsername(previous.username), "versions must alternate users");
  assert.ok(await engine.canLogin(current), "the latest version must log in");
  assert.ok(await engine.canLogin(previous), "the previous version must still log in");
}

/** Rotations under a login prober; each event is delivered twice and rotates once. */
export async function rotateUnderLoad(
  rig: VersionedStoreRig,
  db: TestDatabase,
  count: number,
  tally: Tally,
  latencies: number[],
): Promise<void> {
  const prober = startProber({ read: () => rig.latest() }, db, "", tally);
  try {
    for (let i = 0; i < count; i++) {
      await prober.settled();
      const deliver = await rig.newEvent();
      const started = performance.now();
      assert.equal(await deliver(), "rotated");
      latencies.push(performance.now() - started);
      const versions = rig.versionCount();
      assert.equal(await deliver(), "already rotated", "a redelivered event must not rotate again");
      assert.equal(rig.versionCount(), versions, "a redelivery must not add a version");
      tally.rotations += 1;
      await assertBothUsersLogIn(rig, db);
    }
  } finally {
    await prober.stop();
  }
}

/** The password changed but the version was never added: the store still works, the retry converges. */
export async function crashBeforePublish(rig: VersionedStoreRig, db: TestDatabase, tally: Tally) {
  const before = await rig.latest();
  rig.failNextPublish("before");
  const deliver = await rig.newEvent();
  await assert.rejects(deliver(), "the injected fault must fail the invocation");
  assert.equal((await rig.latest()).username, before.username, "no version may be added");
  assert.ok(await engineFor(db.kind, TLS).canLogin(await rig.latest()), "the latest version must log in");
  assert.equal(await deliver(), "rotated", "the retry must rotate");
  assert.equal((await rig.latest()).username, alternateUsername(before.username));
  await assertBothUsersLogIn(rig, db);
  tally.rotations += 1;
}

/** The version was added but the reply was lost: the retry sees it and does not rotate again. */
export async function crashAfterPublish(rig: VersionedStoreRig, db: TestDatabase, tally: Tally) {
  const versions = rig.versionCount();
  rig.failNextPublish("after");
  const deliver = await rig.newEvent();
  await assert.rejects(deliver(), "the lost reply must fail the invocation");
  assert.equal(rig.versionCount(), versions + 1, "the version must have been added");
  assert.equal(await deliver(), "already rotated");
  assert.equal(rig.versionCount(), versions + 1);
  await assertBothUsersLogIn(rig, db);
  tally.rotations += 1;
}

/** One line for the suite's log: how many rotations and logins, and how long a rotation took. */
export function summary(label: string, tally: Tally, latencies: readonly number[]): string {
  const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return `${label}: rotations=${tally.rotations} logins=${tally.logins} failed=${tally.failed} rotation mean=${mean.toFixed(1)} ms max=${Math.max(0, ...latencies).toFixed(1)} ms`;
}
