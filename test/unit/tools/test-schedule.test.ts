/**
 * How `npm test` hands out its files (.mocharc.cjs): the chain of cluster-wide suites first,
 * every other test file once, and no suite file left out of the chain (a `*.suite.ts` runs only
 * from test/engine/cluster-wide.test.ts).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLUSTER_WIDE_SUITES } from "../../engine/cluster-wide-suites";

const ROOT = path.join(__dirname, "..", "..", "..");

describe("the order npm test hands out its files (.mocharc.cjs)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spec } = require(path.join(ROOT, ".mocharc.cjs")) as { spec: string[] };
  const testFiles = fs.globSync("test/**/*.test.ts", { cwd: ROOT });

  it("hands out the cluster-wide chain first", () => {
    assert.equal(spec[0], "test/engine/cluster-wide.test.ts");
  });

  it("lists every test file exactly once", () => {
    assert.equal(new Set(spec).size, spec.length, "a file listed twice runs twice");
    assert.deepEqual([...spec].sort(), [...testFiles].sort());
  });

  it("runs every suite file from the chain, and the chain names no missing file", () => {
    const suiteFiles = fs
      .globSync("test/engine/*.suite.ts", { cwd: ROOT })
      .map((f) => path.basename(f, ".suite.ts"))
      .sort();
    assert.deepEqual([...CLUSTER_WIDE_SUITES].sort(), suiteFiles);
  });
});

describe("the files npm run test:integration runs (test/support/mocharc-integration.cjs)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const integration = require(path.join(ROOT, "test/support/mocharc-integration.cjs")) as {
    spec: string[];
    require: string[];
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const base = require(path.join(ROOT, ".mocharc.cjs")) as { require: string[] };

  it("is every file under test/integration, once, and nothing else", () => {
    const expected = fs.globSync("test/integration/**/*.test.ts", { cwd: ROOT }).sort();
    assert.ok(expected.length > 0);
    assert.deepEqual([...integration.spec].sort(), expected);
  });

  it("keeps npm test's settings (transpiler, file times)", () => {
    assert.deepEqual(integration.require, base.require);
  });
});
