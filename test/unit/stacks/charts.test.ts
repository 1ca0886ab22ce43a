/** Where Helm releases take the pinned charts from, and the checks on a vendored copy. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  chartDirectoryIssues,
  chartSource,
  chartsInstalled,
  ESO_CHART,
  RELOADER_CHART,
} from "../../../stacks/charts";
import { validateCatalog } from "../../../stacks/validate";
import { shippedCatalogInput } from "../../support/offline";

describe("pinned charts", () => {
  const prod = validateCatalog(shippedCatalogInput("prod"));
  const vendored = validateCatalog({
    ...shippedCatalogInput("prod"),
    kubernetes: { ...shippedCatalogInput("prod").kubernetes, chartsDirectory: "vendor/charts" },
  });
  let projectDir: string;
  beforeEach(() => (projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-charts-"))));
  afterEach(() => fs.rmSync(projectDir, { recursive: true, force: true }));
  const vendor = (chart: string, version: string) => {
    fs.mkdirSync(path.join(projectDir, "vendor/charts", chart), { recursive: true });
    fs.writeFileSync(
      path.join(projectDir, "vendor/charts", chart, "Chart.yaml"),
      `name: ${chart}\nversion: ${version}\n`,
    );
  };

  it("come from the public repositories at the pinned version by default", () => {
    assert.deepEqual(chartSource(prod, ESO_CHART), {
      chart: "external-secrets",
      version: "2.9.0",
      repositoryOpts: { repo: ESO_CHART.repo },
    });
  });

  it("come from the project's charts directory by a project-relative path when one is named", () => {
    assert.deepEqual(chartSource(vendored, RELOADER_CHART), { chart: "./vendor/charts/reloader" });
  });

  it("are those the catalog installs: Vault when deployed, ESO and Reloader with eso", () => {
    assert.deepEqual(
      chartsInstalled(prod).map((c) => c.chart),
      ["vault", "external-secrets", "reloader"],
    );
    const noReloader = validateCatalog({
      ...shippedCatalogInput("prod"),
      eso: { ...shippedCatalogInput("prod").eso!, reloader: false },
    });
    assert.deepEqual(
      chartsInstalled(noReloader).map((c) => c.chart),
      ["vault", "external-secrets"],
    );
  });

  it("accept a vendored copy of exactly the pinned versions", () => {
    for (const chart of chartsInstalled(vendored)) vendor(chart.chart, chart.version);
    assert.deepEqual(chartDirectoryIssues(vendored, projectDir), []);
    assert.deepEqual(chartDirectoryIssues(prod, projectDir), [], "no directory, nothing to check");
  });

  it("name a missing chart and a vendored chart of another version", () => {
    vendor("vault", "0.34.1");
    vendor("external-secrets", "2.8.0");
    assert.deepEqual(chartDirectoryIssues(vendored, projectDir), [
      {
        path: "kubernetes.chartsDirectory",
        message:
          'vendor/charts/external-secrets/Chart.yaml declares version "2.8.0"; the platform pins external-secrets 2.9.0',
      },
      {
        path: "kubernetes.chartsDirectory",
        message: "vendor/charts/reloader/Chart.yaml does not exist (vendor reloader 2.2.16 there)",
      },
    ]);
  });
});
