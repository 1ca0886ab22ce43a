/**
 * The Helm charts the platform installs, pinned, and where a stack's releases take them from:
 * the public chart repositories, or the project directory `kubernetes.chartsDirectory` names
 * (vendored charts, for deployers that cannot reach those repositories).
 *
 * Bump a pin deliberately: test/integration/helm renders each chart with real Helm from the
 * same version's source (scripts/charts-env.sh copies it from ../shared/charts, checksum-
 * checked), and the engine suite installs them on a real API server; bump both together.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Catalog } from "./schema";
import type { CatalogIssue } from "./validate";

export interface PinnedChart {
  readonly chart: string;
  readonly repo: string;
  readonly version: string;
}

export const VAULT_CHART: PinnedChart = {
  chart: "vault",
  // Defaults to Vault 2.0.4; the values pin the image (VAULT_IMAGE).
  version: "0.34.1",
  repo: "https://helm.releases.hashicorp.com",
};

export const ESO_CHART: PinnedChart = {
  chart: "external-secrets",
  // ESO v2.9.0. It must keep serving `external-secrets.io/v1` (storage version since 0.16;
  // v1beta1 unserved since 0.17) and the `generators.external-secrets.io/v1alpha1`
  // VaultDynamicSecret the ESO component creates.
  version: "2.9.0",
  repo: "https://charts.external-secrets.io",
};

export const RELOADER_CHART: PinnedChart = {
  chart: "reloader",
  // Ships Reloader v1.4.21.
  version: "2.2.16",
  repo: "https://stakater.github.io/stakater-charts",
};

/** Where a `helm.v3.Release` takes a pinned chart from (its `chart`, `version`, `repositoryOpts`). */
export type ChartSource =
  | { readonly chart: string; readonly version: string; readonly repositoryOpts: { readonly repo: string } }
  | { readonly chart: string };

/**
 * The release arguments for `pinned` in this catalog. A vendored chart is named by its path
 * relative to the project directory, which is where `pulumi` runs the program and providers:
 * state then records the same path on every machine.
 */
export function chartSource(catalog: Catalog, pinned: PinnedChart): ChartSource {
  const directory = catalog.kubernetes.chartsDirectory;
  if (directory) return { chart: `./${path.posix.join(directory, pinned.chart)}` };
  return { chart: pinned.chart, version: pinned.version, repositoryOpts: { repo: pinned.repo } };
}

/** The charts this catalog installs. */
export function chartsInstalled(catalog: Catalog): PinnedChart[] {
  return [
    ...(catalog.vault?.deploy ? [VAULT_CHART] : []),
    ...(catalog.eso ? [ESO_CHART] : []),
    ...(catalog.eso?.reloader ? [RELOADER_CHART] : []),
  ];
}

/**
 * With `kubernetes.chartsDirectory`: every chart the catalog installs is there, at exactly its
 * pinned version (a vendored chart of another version would silently replace the tested one).
 */
export function chartDirectoryIssues(catalog: Catalog, projectDir: string): CatalogIssue[] {
  const directory = catalog.kubernetes.chartsDirectory;
  if (!directory) return [];
  const at = "kubernetes.chartsDirectory";
  return chartsInstalled(catalog).flatMap((pinned) => {
    const file = path.posix.join(directory, pinned.chart, "Chart.yaml");
    const full = path.join(projectDir, file);
    if (!fs.existsSync(full))
      return [
        { path: at, message: `${file} does not exist (vendor ${pinned.chart} ${pinned.version} there)` },
      ];
    // yaml loads only for a stack with vendored charts (issue 26: no module a stack does not use).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require("yaml") as typeof import("yaml");
    const declared = (YAML.parse(fs.readFileSync(full, "utf8")) as { version?: unknown } | null)?.version;
    if (String(declared) !== pinned.version)
      return [
        {
          path: at,
          message: `${file} declares version ${JSON.stringify(declared)}; the platform pins ${pinned.chart} ${pinned.version}`,
        },
      ];
    return [];
  });
}
