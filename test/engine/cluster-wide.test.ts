/**
 * The suites that hold the API server's cluster-wide objects (`cluster-lock.ts`: ESO's CRDs and
 * releases, pods on the one node, the local stack's four faulty updates), one after another in
 * one mocha worker. Each is a file of its own (`*.suite.ts`, run one alone with
 * `npx mocha test/engine/<name>.suite.ts`); here they run in one file that `.mocharc.cjs` hands
 * out first. As separate files they took turns through the lock, and whichever worker drew the
 * second of them waited, idle, for the first: in the warm CI runs of 2026-12-07 the test step
 * was 17–18 min against the 14.7 min two workers need for its 1,766 s of files, and local-up
 * spent 170 of its 228 s waiting. Now one worker runs the chain (about 12 min of their own work)
 * while the other takes every other file, and picks up the rest when the chain ends.
 *
 * Each suite's wall time goes to .integration/test-file-times.jsonl under its own file name, as
 * a file's does (test/support/file-times.ts).
 */
import { recordFileTime } from "../support/file-times";
import { CLUSTER_WIDE_SUITES } from "./cluster-wide-suites";

for (const suite of CLUSTER_WIDE_SUITES) {
  describe(`${suite}.suite.ts`, function () {
    let started = 0;
    before(() => (started = Date.now()));
    after(() => recordFileTime(`test/engine/${suite}.suite.ts`, started, "test/engine/cluster-wide.test.ts"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(`./${suite}.suite`);
  });
}
