/**
 * scripts/charts-env.sh checks chart sources against the committed scripts/charts.sha256,
 * whichever folder they come from (the team's ../shared, or scripts/shared-env.sh's fetch in
 * ci.yml): run here on a copy of the chart sources this machine has.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { missingEngine } from "../engines";

const PROJECT_DIR = path.join(__dirname, "..", "..", "..");
const CHARTS = path.join(process.env.SP_SHARED_DIR ?? path.join(PROJECT_DIR, "..", "shared"), "charts");

function checkOnly(shared: string) {
  const r = spawnSync("bash", ["scripts/charts-env.sh", "--check-only"], {
    cwd: PROJECT_DIR,
    env: { ...process.env, SP_SHARED_DIR: shared },
    encoding: "utf8",
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("chart sources are checked against scripts/charts.sha256 (scripts/charts-env.sh)", function () {
  let dir: string;
  let copy: string;

  before(function () {
    if (!fs.existsSync(CHARTS))
      missingEngine(this, `no chart sources in ${CHARTS} (scripts/shared-env.sh fetches them)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-sources-"));
    copy = path.join(dir, "shared");
    fs.cpSync(CHARTS, path.join(copy, "charts"), { recursive: true });
    spawnSync("chmod", ["-R", "u+w", copy]); // the team's copy is read-only
    // The team's copy carries its own SHA256SUMS; the check must not use it.
    fs.rmSync(path.join(copy, "charts", "SHA256SUMS"), { force: true });
  });

  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("accepts the sources as their projects tagged them", () => {
    const { status, output } = checkOnly(copy);
    assert.equal(status, 0, output);
  });

  it("refuses a changed file and a missing one, naming both", () => {
    const values = path.join(copy, "charts", "vault-0.34.1", "values.yaml");
    const chart = path.join(copy, "charts", "reloader-2.2.16", "Chart.yaml");
    const [savedValues, savedChart] = [fs.readFileSync(values), fs.readFileSync(chart)];
    fs.appendFileSync(values, "\nserver: { enabled: false }\n");
    fs.rmSync(chart);
    try {
      const { status, output } = checkOnly(copy);
      assert.equal(status, 1);
      assert.match(output, /\.\/vault-0\.34\.1\/values\.yaml \(changed\)/);
      assert.match(output, /\.\/reloader-2\.2\.16\/Chart\.yaml \(missing\)/);
    } finally {
      fs.writeFileSync(values, savedValues);
      fs.writeFileSync(chart, savedChart);
    }
  });
});
