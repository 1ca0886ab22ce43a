/**
 * Pinned Helm charts. Bump deliberately: the ESO chart must keep serving
 * `external-secrets.io/v1` (storage version since 0.16; v1beta1 unserved since 0.17) and the
 * `generators.external-secrets.io/v1alpha1` VaultDynamicSecret this component creates.
 */
export interface PinnedChart {
  readonly chart: string;
  readonly repo: string;
  readonly version: string;
}

export const ESO_CHART: PinnedChart = {
  chart: "external-secrets",
  repo: "https://charts.external-secrets.io",
  // ESO v2.9.0. Rendered with real Helm, and our objects checked against this version's CRDs,
  // by test/integration/helm (scripts/charts-env.sh copies the same version's chart and CRDs
  // from ../shared/charts, checksum-checked): bump both together.
  version: "2.9.0",
};

export const RELOADER_CHART: PinnedChart = {
  chart: "reloader",
  repo: "https://stakater.github.io/stakater-charts",
  // Chart 2.2.16 ships Reloader v1.4.21. Rendered with real Helm by test/integration/helm from
  // the same version's source (scripts/charts-env.sh): bump both together.
  version: "2.2.16",
};

/** Namespace ESO (and Reloader, when installed) runs in on every cluster. */
export const ESO_NAMESPACE = "external-secrets";
