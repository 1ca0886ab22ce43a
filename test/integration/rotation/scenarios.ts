/**
 * The four rotation scenarios of issue 6, shared by `npm run test:rotation` (full size) and the
 * mocha suites (smaller). Each throws on the first broken expectation.
 */
import * as assert from "node:assert/strict";
import { PutSecretValueCommand, UpdateSecretVersionStageCommand } from "@aws-sdk/client-secrets-manager";
import { randomUUID } from "node:crypto";
import { rollbackToPrevious } from "../../../components/rotation/aws/rollback";
import { engineFor, groupRoleName, serializeDatabaseSecret } from "../../../components/rotation/core";
import type { TestDatabase } from "./databases";
import { RotationDriver, type CrashPoint } from "./driver";

export interface Tally {
  rotations: number;
  logins: number;
  failed: number;
}

const TLS = { mode: "disable" } as const;

/**
 * A client that, until stopped, reads the current version (AWSCURRENT, or the latest version
 * of a GCP or Azure secret) and opens a fresh connection with it every
 * few milliseconds, counting failed logins.
 */
export function startProber(
  driver: Pick<RotationDriver, "read">,
  db: TestDatabase,
  secretId: string,
  tally: Tally,
  pauseMs = 3,
): Prober {
  let running = true;
  let begun = 0;
  const waiting: Array<{ after: number; resolve: () => void }> = [];
  const engine = engineFor(db.kind, TLS);
  const loop = (async () => {
    while (running) {
      const login = ++begun;
      const secret = await driver.read(secretId);
      const ok = await engine.canLogin(secret).catch(() => false);
      tally.logins += 1;
      if (!ok) tally.failed += 1;
      for (const w of waiting.filter((x) => x.after < login)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  })();
  return {
    settled: () =>
      running ? new Promise<void>((resolve) => waiting.push({ after: begun, resolve })) : Promise.resolve(),
    async stop() {
      running = false;
      await loop;
      for (const w of waiting.splice(0)) w.resolve();
    },
  };
}

export interface Prober {
  /**
   * Resolves once a login that began after the call has finished. The prober logs in one
   * login at a time, so by then no login holds a credential read before the call. Rotating
   * again only then keeps every login within what the two-user scheme promises: a credential
   * works until the rotation after the one that replaced it. Back-to-back rotations (tens of
   * milliseconds) on a loaded machine otherwise outrun a login still holding the credential of
   * two rotations ago, which no real rotation schedule (days) does.
   */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** After a rotation: one AWSCURRENT on `token`, no AWSPENDING, and both users log in. */
export async function assertConverged(
  driver: RotationDriver,
  db: TestDatabase,
  secretId: string,
  token: string,
) {
  const stages = await driver.stages(secretId);
  assert.deepEqual(stages[token], ["AWSCURRENT"], `version ${token} should be AWSCURRENT only`);
  const pending = Object.values(stages).filter((s) => s.includes("AWSPENDING"));
  assert.equal(pending.length, 0, "no version may keep AWSPENDING");
  const engine = engineFor(db.kind, TLS);
  const [current, previous] = [await driver.read(secretId), await driver.read(secretId, "AWSPREVIOUS")];
  assert.notEqual(
    current.username,
    previous.username,
    "current and previous must be the two alternating users",
  );
  assert.ok(await engine.canLogin(current), "the AWSCURRENT credential must log in");
  assert.ok(await engine.canLogin(previous), "the AWSPREVIOUS credential must still log in");
}

/** (a) Consecutive rotations under a login prober; tables created by either user stay usable by both. */
export async function continuousRotation(
  driver: RotationDriver,
  db: TestDatabase,
  secretId: string,
  count: number,
  tally: Tally,
) {
  const prober = startProber(driver, db, secretId, tally);
  const tables = ["legacy"];
  try {
    for (let i = 0; i < count; i++) {
      await prober.settled();
      const token = await driver.rotate(secretId);
      tally.rotations += 1;
      if (i === count - 1 || i % 10 === 0) {
        const current = await driver.read(secretId);
        await db.touchTables(current, tables);
        tables.push(`made_by_${current.username.endsWith("_clone") ? "clone" : "base"}_${i}`);
        await db.createTable(current, tables[tables.length - 1]);
        await assertConverged(driver, db, secretId, token);
      }
    }
    await db.touchTables(await driver.read(secretId, "AWSPREVIOUS"), tables);
  } finally {
    await prober.stop();
  }
  if (db.kind === "mysql") await assertSameGrants(driver, db, secretId);
  else await assertSharedOwner(db, driver, secretId);
}

async function assertSameGrants(driver: RotationDriver, db: TestDatabase, secretId: string) {
  const base = (await driver.read(secretId)).username.replace(/_clone$/, "");
  const normalise = (lines: string[], user: string) =>
    lines
      .filter((l) => !l.startsWith("GRANT USAGE"))
      .map((l) => l.replace(`\`${user}\``, "<user>"))
      .sort();
  const [baseGrants, cloneGrants] = [await db.grantsOf(base), await db.grantsOf(`${base}_clone`)];
  assert.deepEqual(
    normalise(cloneGrants, `${base}_clone`),
    normalise(baseGrants, base),
    "clone must hold exactly the base grants",
  );
  assert.ok(
    !cloneGrants.some((l) => l.includes("%%") || l.includes("\\\\")),
    "escapes must not pile up (aws-samples #85)",
  );
}

async function assertSharedOwner(db: TestDatabase, driver: RotationDriver, secretId: string) {
  const group = groupRoleName((await driver.read(secretId)).username);
  assert.deepEqual(await db.tableOwners(), [group], "every table must belong to the group role");
}

export const CRASH_POINTS: readonly CrashPoint[] = [
  { afterCommand: "PutSecretValueCommand", nth: 1 },
  { afterStep: "createSecret" },
  { afterStep: "setSecret" },
  { afterStep: "testSecret" },
  { afterCommand: "UpdateSecretVersionStageCommand", nth: 1 },
  { afterStep: "finishSecret" },
];

/** (b) A crash after each step (and after each Secrets Manager write), then a retry. */
export async function crashRecovery(
  driver: RotationDriver,
  db: TestDatabase,
  secretId: string,
  tally: Tally,
) {
  const prober = startProber(driver, db, secretId, tally);
  try {
    for (const crash of CRASH_POINTS) {
      await prober.settled();
      const token = await driver.rotate(secretId, crash);
      tally.rotations += 1;
      await assertConverged(driver, db, secretId, token);
    }
  } finally {
    await prober.stop();
  }
}

/** (c) Rollback: AWSPREVIOUS becomes AWSCURRENT again; logins keep working; rotation resumes. */
export async function rollback(driver: RotationDriver, db: TestDatabase, secretId: string, tally: Tally) {
  const prober = startProber(driver, db, secretId, tally);
  try {
    const before = await driver.read(secretId);
    await driver.rotate(secretId);
    tally.rotations += 1;
    await prober.settled();
    const previousVersion = await rollbackToPrevious(driver.client, secretId, TLS);
    const restored = await driver.read(secretId);
    assert.equal(restored.username, before.username, "rollback must restore the previous user");
    assert.ok((await driver.stages(secretId))[previousVersion].includes("AWSCURRENT"));
    assert.ok(await engineFor(db.kind, TLS).canLogin(restored), "the restored credential must log in");
    await prober.settled();
    await assertConverged(driver, db, secretId, await driver.rotate(secretId));
    tally.rotations += 1;
  } finally {
    await prober.stop();
  }
}

/** (d) Inconsistent stages and tampered pending values are refused, and nothing changes. */
export async function inconsistentStages(
  driver: RotationDriver,
  db: TestDatabase,
  secretId: string,
  tally: Tally,
) {
  const engine = engineFor(db.kind, TLS);
  const unchanged = async () => {
    const current = await driver.read(secretId);
    assert.ok(await engine.canLogin(current), "a refused step must leave AWSCURRENT working");
  };
  const refused = async (run: Promise<unknown>, message: RegExp) => {
    await assert.rejects(run, message);
    await unchanged();
  };
  const stages = await driver.stages(secretId);
  const previous = Object.keys(stages).find((v) => stages[v].includes("AWSPREVIOUS"));
  assert.ok(previous, "the secret must have been rotated before");

  await refused(driver.step(secretId, randomUUID(), "setSecret"), /the version has no stage/);
  await refused(
    driver.step(secretId, previous, "finishSecret"),
    /neither AWSPENDING nor AWSCURRENT \(stages: AWSPREVIOUS\)/,
  );

  const abandoned = await driver.startRotation(secretId, ["createSecret"]);
  await refused(
    driver.startRotation(secretId, ["createSecret"]),
    new RegExp(`AWSPENDING is also on version ${abandoned}`),
  );
  await driver.client.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: "AWSPENDING",
      RemoveFromVersionId: abandoned,
    }),
  );

  const current = await driver.read(secretId);
  for (const [tamper, message] of [
    [{ host: "db.attacker.example" }, /changes "host"/],
    [{ username: current.username }, /is not the alternate of the current user/],
  ] as const) {
    const token = randomUUID();
    await driver.client.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: serializeDatabaseSecret({ ...current, ...tamper, password: "tampered-and-never-used" }),
        VersionStages: ["AWSPENDING"],
      }),
    );
    await refused(driver.step(secretId, token, "setSecret"), message);
    await driver.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: "AWSPENDING",
        RemoveFromVersionId: token,
      }),
    );
  }
  // After clean-up, rotation proceeds.
  await assertConverged(driver, db, secretId, await driver.rotate(secretId));
  tally.rotations += 1;
}
