/**
 * The cluster-wide lock under a caller that holds it: a tool started with
 * CLUSTER_LOCK_HELD_BY_CALLER=1 works under the caller's lock instead of waiting for it (the
 * lock is not re-entrant), and refuses to run unlocked when no one holds it. A lock file of its
 * own, so the suites that take the real one are not disturbed.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as lockfile from "proper-lockfile";
import { CLUSTER_LOCK_HELD_BY_CALLER, lockClusterWideObjects } from "./cluster-lock";

describe("the cluster-wide lock", () => {
  let dir: string;
  let target: string;
  const saved = process.env[CLUSTER_LOCK_HELD_BY_CALLER];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-cluster-lock-"));
    target = path.join(dir, "cluster-wide-objects");
    delete process.env[CLUSTER_LOCK_HELD_BY_CALLER];
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[CLUSTER_LOCK_HELD_BY_CALLER];
    else process.env[CLUSTER_LOCK_HELD_BY_CALLER] = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const held = () => lockfile.check(target, { realpath: false, stale: 20_000 });

  it("is held until released", async () => {
    const release = await lockClusterWideObjects(target);
    assert.equal(await held(), true);
    await release();
    assert.equal(await held(), false);
  });

  it("under a caller's lock, works without waiting and leaves the release to the caller", async () => {
    const releaseCaller = await lockClusterWideObjects(target);
    process.env[CLUSTER_LOCK_HELD_BY_CALLER] = "1";
    const started = Date.now();
    const releaseTool = await lockClusterWideObjects(target);
    assert.ok(Date.now() - started < 1000, "the tool waited for its caller's lock");
    await releaseTool();
    assert.equal(await held(), true, "the tool released its caller's lock");
    await releaseCaller();
    assert.equal(await held(), false);
  });

  it("refuses to work unlocked when the caller says it holds the lock but no one does", async () => {
    process.env[CLUSTER_LOCK_HELD_BY_CALLER] = "1";
    await assert.rejects(
      lockClusterWideObjects(target),
      /SP_CLUSTER_LOCK_HELD_BY_CALLER=1, but no one holds the API server's cluster-wide objects/,
    );
  });
});
