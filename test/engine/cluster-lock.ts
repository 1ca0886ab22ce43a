/**
 * One suite at a time on the API server's cluster-wide objects. The local platform installs
 * ESO's CRDs, namespace and Helm release, and every ESO controller reconciles every
 * ExternalSecret of the cluster, so two suites doing that at once (mocha runs files in parallel
 * workers, `.mocharc.cjs`) would take each other's objects. Everything else on the API server
 * is namespaced under unique names and needs no lock.
 *
 * A lock file beside the API server's settings (proper-lockfile: a held lock is refreshed
 * every few seconds, so one left by a killed run goes stale and is taken over).
 *
 * The lock is not re-entrant, so a suite that holds it and runs a tool taking it too
 * (`npm run local:up`, `tools/local-stack.ts`) passes CLUSTER_LOCK_HELD_BY_CALLER=1 to the tool:
 * the tool then checks that the lock is held and works under it instead of waiting for itself.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as lockfile from "proper-lockfile";
import { PROJECT_DIR } from "../support/offline";

const LOCK_TARGET = path.join(PROJECT_DIR, ".integration", "cluster-wide-objects");
/** The longest a suite waits: the holders (the local stack, ESO and Vault as pods, the faults of up, local:up) take up to five minutes each. */
const WAIT_MS = 40 * 60_000;
const STALE_MS = 20_000;

/** Set to "1" in a tool's environment by a caller that holds the lock for it. */
export const CLUSTER_LOCK_HELD_BY_CALLER = "SP_CLUSTER_LOCK_HELD_BY_CALLER";

/** Waits until no other suite holds the cluster-wide objects; resolves to the release. */
export async function lockClusterWideObjects(target = LOCK_TARGET): Promise<() => Promise<void>> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (process.env[CLUSTER_LOCK_HELD_BY_CALLER] === "1") {
    if (!(await lockfile.check(target, { realpath: false, stale: STALE_MS })))
      throw new Error(
        `${CLUSTER_LOCK_HELD_BY_CALLER}=1, but no one holds the API server's cluster-wide objects: unset it, or take the lock first`,
      );
    return async () => undefined; // the caller releases it
  }
  const started = Date.now();
  for (;;) {
    try {
      return await lockfile.lock(target, { realpath: false, stale: STALE_MS });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ELOCKED") throw err;
      if (Date.now() - started > WAIT_MS)
        throw new Error(
          `another suite has held the API server's cluster-wide objects for ${WAIT_MS / 60_000} min`,
          {
            cause: err,
          },
        );
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
