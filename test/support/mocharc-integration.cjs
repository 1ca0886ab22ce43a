// `npm run test:integration`: the suites under test/integration only, with npm test's settings.
// A separate file because mocha adds the files named on its command line to the configured
// spec: `mocha --spec test/integration/...` ran every test and the integration files twice.
const base = require("../../.mocharc.cjs");
const fs = require("node:fs");

module.exports = {
  ...base,
  spec: fs.globSync("test/integration/**/*.test.ts").sort((a, b) => a.localeCompare(b, "en")),
};
