/**
 * `npm run test:rotation`: the rotation proof of issue 6 at full size, on real PostgreSQL and
 * MariaDB with moto as the Secrets Manager API. Prints step latencies and, last, the line
 * `rotations=<n> logins=<n> failed=<n>`; exits non-zero on any failure.
 */
import { engineSettings } from "../engines";
import { createTestDatabase, type Kind } from "./databases";
import { motoClient, RotationDriver, STEPS } from "./driver";
import { continuousRotation, crashRecovery, inconsistentStages, rollback, type Tally } from "./scenarios";

const ROTATIONS = Number(process.env.SP_ROTATIONS ?? 50);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function prove(kind: Kind, tally: Tally): Promise<void> {
  const settings = engineSettings();
  if (!settings)
    throw new Error(
      "the integration engines are not set up (no .integration/env); run scripts/integration-env.sh",
    );
  const db = await createTestDatabase(kind, settings);
  const driver = new RotationDriver(motoClient(settings.motoEndpoint));
  try {
    const secretId = await driver.createSecrets(db.initial, db.admin);
    const scenarios: Array<[string, () => Promise<void>]> = [
      [
        `(a) ${ROTATIONS} rotations under a login prober`,
        () => continuousRotation(driver, db, secretId, ROTATIONS, tally),
      ],
      ["(b) crash after each step, then retry", () => crashRecovery(driver, db, secretId, tally)],
      ["(c) rollback to AWSPREVIOUS", () => rollback(driver, db, secretId, tally)],
      ["(d) inconsistent stages refused", () => inconsistentStages(driver, db, secretId, tally)],
    ];
    for (const [title, run] of scenarios) {
      const before = { ...tally };
      const started = Date.now();
      await run();
      console.log(
        `${db.label} ${title}: ok in ${Date.now() - started} ms ` +
          `(rotations +${tally.rotations - before.rotations}, logins +${tally.logins - before.logins}, failed +${tally.failed - before.failed})`,
      );
    }
    for (const step of STEPS) {
      const l = driver.latencies[step];
      console.log(
        `${db.label} ${step.padEnd(12)} n=${l.length} p50=${percentile(l, 50).toFixed(1)} ms p99=${percentile(l, 99).toFixed(1)} ms`,
      );
    }
  } finally {
    driver.client.destroy();
    await db.drop();
  }
}

async function main(): Promise<number> {
  const tally: Tally = { rotations: 0, logins: 0, failed: 0 };
  let ok = true;
  for (const kind of ["postgresql", "mysql"] as const) {
    try {
      await prove(kind, tally);
    } catch (error) {
      ok = false;
      console.error(`${kind}: FAILED: ${(error as Error).message}`);
    }
  }
  console.log(`rotations=${tally.rotations} logins=${tally.logins} failed=${tally.failed}`);
  return ok && tally.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
