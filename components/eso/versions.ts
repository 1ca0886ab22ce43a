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
  // ESO v1.3.1. Rendered with real Helm, and our objects checked against this version's CRDs,
  // by test/integration/helm (scripts/charts-env.sh pins the same source): bump both together.
  version: "1.3.1",
};

export const RELOADER_CHART: PinnedChart = {
  chart: "reloader",
  repo: "https://stakater.github.io/stakater-charts",
  // Chart 2.2.16 ships Reloader v1.4.21.
  version: "2.2.16",
};

/** Namespace ESO (and Reloader, when installed) runs in on every cluster. */
export const ESO_NAMESPACE = "external-secrets";
