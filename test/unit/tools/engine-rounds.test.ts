/**
 * The engine bench's rounds: each reported figure is the median of runs taken in turns with
 * the bare program's, time and peak memory each on its own.
 */
import * as assert from "node:assert/strict";
import { medianRun, roundsAt } from "../../../tools/bench/engine";

describe("engine bench rounds", () => {
  it("takes three rounds to 200 workloads, where a run takes seconds, and one at 1,000", () => {
    assert.deepEqual(roundsAt(10), { previews: 3, updates: 3 });
    assert.deepEqual(roundsAt(50), { previews: 3, updates: 3 });
    assert.deepEqual(roundsAt(200), { previews: 3, updates: 3 });
    assert.deepEqual(roundsAt(1000), { previews: 1, updates: 1 });
  });

  it("reports the median time and the median peak memory, each over all rounds", () => {
    const run = medianRun([
      { seconds: 9, maxRssMb: 100, code: 0 },
      { seconds: 2, maxRssMb: 300, code: 0 },
      { seconds: 3, maxRssMb: 200, code: 0 },
    ]);
    assert.deepEqual(run, { seconds: 3, maxRssMb: 200, code: 0 });
    assert.equal(
      medianRun([
        { seconds: 2, maxRssMb: 10 },
        { seconds: 4, maxRssMb: 30 },
      ]).seconds,
      3,
    );
  });

  it("keeps a failing round's exit code and refuses no runs", () => {
    assert.equal(
      medianRun([
        { seconds: 1, maxRssMb: 1, code: 0 },
        { seconds: 1, maxRssMb: 1, code: 255 },
      ]).code,
      255,
    );
    assert.throws(() => medianRun([]), /no run/);
  });
});
