// Mocha's configuration (`npm test`). Under CI=true nothing may be pending: a suite whose
// engine is missing already fails there (missingEngine in test/integration/engines.ts), and
// forbidPending fails any other skip, so a green CI run ran every test.
const fs = require("node:fs");

module.exports = {
  require: ["ts-node/register/transpile-only"],
  extension: ["ts"],
  spec: specOrder(),
  timeout: 120000,
  reporter: "spec",
  parallel: true,
  jobs: 2,
  forbidPending: process.env.CI === "true",
};

/**
 * Every test file, in the order the two workers take them (each takes the next file when it is
 * free). The suites that hold the API server's cluster-wide lock (test/engine/cluster-lock.ts,
 * directly or through test/engine/local-platform.ts) run one at a time, and a worker that takes
 * one while the other worker holds the lock sits idle until it is released. In path order five
 * of them come one after the other (redacted-preview to vault-pods), so both workers waited in
 * turn. Here they are spread evenly among the other engine and integration suites, which then
 * fill the second worker while the first runs a holder; the fast unit and policy files come last.
 */
function specOrder() {
  const files = fs.globSync("test/**/*.test.ts").sort();
  const holdsLock = (file) => /\/(cluster-lock|local-platform)"/.test(fs.readFileSync(file, "utf8"));
  const holders = files.filter(holdsLock);
  const others = files.filter((file) => !holders.includes(file));
  const slow = others.filter((file) => /^test\/(engine|integration)\//.test(file));
  const fast = others.filter((file) => !slow.includes(file));
  const ordered = [];
  holders.forEach((holder, i) => {
    ordered.push(holder);
    ordered.push(
      ...slow.slice(
        Math.round((i * slow.length) / holders.length),
        Math.round(((i + 1) * slow.length) / holders.length),
      ),
    );
  });
  return [...ordered, ...fast];
}
