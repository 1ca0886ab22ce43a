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
  // 2.x removed only the Alibaba and Device42 providers; v1 APIs are unchanged.
  version: "2.14.0",
};

export const RELOADER_CHART: PinnedChart = {
  chart: "reloader",
  repo: "https://stakater.github.io/stakater-charts",
  // Chart 2.2.16 ships Reloader v1.4.21.
  version: "2.2.16",
};

/** Namespace ESO (and Reloader, when installed) runs in on every cluster. */
export const ESO_NAMESPACE = "external-secrets";
