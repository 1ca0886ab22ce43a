// Mocha's configuration (`npm test`). Under CI=true nothing may be pending: a suite whose
// engine is missing already fails there (missingEngine in test/integration/engines.ts), and
// forbidPending fails any other skip, so a green CI run ran every test.
const fs = require("node:fs");

// Workers take files in this order. The chain of suites on the cluster-wide objects goes first
// (test/engine/cluster-wide.test.ts says why); the rest in path order, as mocha would list them.
const FIRST = "test/engine/cluster-wide.test.ts";
const rest = fs
  .globSync("test/**/*.test.ts")
  .filter((file) => file !== FIRST)
  .sort((a, b) => a.localeCompare(b, "en"));

module.exports = {
  // file-times.ts: each file's wall time, hooks included (.integration/test-file-times.jsonl).
  require: ["ts-node/register/transpile-only", "test/support/file-times.ts"],
  extension: ["ts"],
  spec: [FIRST, ...rest],
  timeout: 120000,
  reporter: "spec",
  parallel: true,
  jobs: 2,
  forbidPending: process.env.CI === "true",
};
