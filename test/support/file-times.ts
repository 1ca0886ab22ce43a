/**
 * Root hooks (`.mocharc.cjs` requires this file): each test file's wall time, from its first hook
 * to its last (its suites' before and after hooks included), appended to
 * .integration/test-file-times.jsonl. The spec reporter prints tests' own times only, and in
 * parallel mode nothing per file, so without this the time of `npm test` cannot be told file by
 * file (which suites to trim or spread). .ci/run prints the slowest files after the tests.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Context, RootHookObject } from "mocha";

const FILE_TIMES = path.join(__dirname, "..", "..", ".integration", "test-file-times.jsonl");

let started = 0;

/**
 * Appends one file's wall time since `since`; `partOf` names the test file that ran it
 * (`test/engine/cluster-wide.test.ts` runs several suite files, each recorded too), so totals
 * count it once.
 */
export function recordFileTime(file: string, since: number, partOf?: string): void {
  const record = { files: [file], started: since, seconds: (Date.now() - since) / 1000, partOf };
  fs.mkdirSync(path.dirname(FILE_TIMES), { recursive: true });
  fs.appendFileSync(FILE_TIMES, `${JSON.stringify(record)}\n`);
}

export const mochaHooks: RootHookObject = {
  beforeAll() {
    started = Date.now();
  },
  afterAll(this: Context) {
    // In parallel mode a worker's root suite holds one file's suites.
    const files = [...new Set((this.test?.parent?.suites ?? []).map((s) => s.file).filter(Boolean))];
    for (const file of files) recordFileTime(path.relative(process.cwd(), file!), started);
  },
};
