// Mocha's configuration (`npm test`). Under CI=true nothing may be pending: a suite whose
// engine is missing already fails there (missingEngine in test/integration/engines.ts), and
// forbidPending fails any other skip, so a green CI run ran every test.
module.exports = {
  // file-times.ts: each file's wall time, hooks included (.integration/test-file-times.jsonl).
  require: ["ts-node/register/transpile-only", "test/support/file-times.ts"],
  extension: ["ts"],
  spec: ["test/**/*.test.ts"],
  timeout: 120000,
  reporter: "spec",
  parallel: true,
  jobs: 2,
  forbidPending: process.env.CI === "true",
};
