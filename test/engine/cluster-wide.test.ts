/**
 * The suites that hold the API server's cluster-wide objects (`cluster-lock.ts`: ESO's CRDs and
 * releases, pods on the one node, the local stack's four faulty updates), one after another in
 * one mocha worker. Each is a file of its own (`*.suite.ts`; run one alone with
 * `npx mocha --no-config -r ts-node/register/transpile-only --extension ts test/engine/<name>.suite.ts`:
 * with the configuration, mocha adds a named file to the configured list); here they run in one
 * file that `.mocharc.cjs` hands out first. As separate files they took turns through the lock,
 * and whichever worker drew the second of them waited, idle, for the first (local-up spent 170
 * of its 228 s so). Now one worker runs the chain while the other takes every other file, and
 * picks up the rest when the chain ends; in the warm runs since, the two workers' shares came out
 * even (1,008 / 1,011 s): the test step is as long as two cores make the work
 * (docs/contributing.md).
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
