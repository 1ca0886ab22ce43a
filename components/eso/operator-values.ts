/**
 * Helm values of the ESO and Reloader charts. Pure functions, so tests can assert the secure
 * settings without a cluster: webhook failing closed, PodDisruptionBudgets, requests, and no
 * cloud identity on the controller.
 */

/** The subset of the external-secrets chart values this platform sets. */
export interface EsoChartValues {
  readonly installCRDs: true;
  /** The chart's default (its appVersion from its public registry) unless the cluster names one. */
  readonly image?: ImageValues;
  readonly replicaCount: number;
  readonly leaderElect: boolean;
  readonly podDisruptionBudget: PodDisruptionBudgetValues;
  readonly resources: ResourceValues;
  readonly serviceAccount: ServiceAccountValues;
  readonly webhook: {
    readonly create: boolean;
    readonly image?: ImageValues;
    readonly failurePolicy: "Fail";
    readonly replicaCount: number;
    readonly podDisruptionBudget: PodDisruptionBudgetValues;
    readonly resources: ResourceValues;
    readonly serviceAccount: ServiceAccountValues;
  };
  readonly certController: {
    readonly create: boolean;
    readonly image?: ImageValues;
    readonly resources: ResourceValues;
    readonly serviceAccount: ServiceAccountValues;
  };
}

/** The charts' `image` values: where the image comes from, and its tag. */
export interface ImageValues {
  readonly repository: string;
  readonly tag: string;
}

/** registry/repository:tag (a catalog's `images` entry, validated) as chart values. */
export function imageValues(reference: string): ImageValues {
  const colon = reference.lastIndexOf(":");
  return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

interface PodDisruptionBudgetValues {
  readonly enabled: boolean;
  readonly minAvailable: number;
}

interface ResourceValues {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly memory: string };
}

interface ServiceAccountValues {
  readonly create: true;
  readonly name: string;
  /** Always empty: stores authenticate as the workloads, never as ESO itself. */
  readonly annotations: Record<string, never>;
}

const ESO_RESOURCES: ResourceValues = {
  requests: { cpu: "50m", memory: "128Mi" },
  limits: { memory: "512Mi" },
};
const SMALL_RESOURCES: ResourceValues = {
  requests: { cpu: "10m", memory: "64Mi" },
  limits: { memory: "256Mi" },
};

/** Two replicas with a PDB of one: a node drain never leaves the controller or webhook absent. */
const HA_REPLICAS = 2;
const PDB: PodDisruptionBudgetValues = { enabled: true, minAvailable: 1 };

function serviceAccount(name: string): ServiceAccountValues {
  return { create: true, name, annotations: {} };
}

/**
 * `controllersInCluster: false` for a cluster that runs no pods (`runsPods: false`): ESO's
 * controller then runs outside it, and the chart installs no webhook and no cert controller,
 * since a fail-closed webhook that no pod serves would refuse every store.
 */
export function esoChartValues({
  controllersInCluster,
  image,
}: {
  controllersInCluster: boolean;
  /** The cluster's `images.externalSecrets`: controller, webhook and cert controller run it. */
  image?: string;
}): EsoChartValues {
  const imageOverride = image ? { image: imageValues(image) } : {};
  return {
    installCRDs: true,
    ...imageOverride,
    replicaCount: HA_REPLICAS,
    // Two controllers reconciling the same ExternalSecret would race; one leads.
    leaderElect: true,
    podDisruptionBudget: PDB,
    resources: ESO_RESOURCES,
    serviceAccount: serviceAccount("external-secrets"),
    webhook: {
      create: controllersInCluster,
      ...imageOverride,
      // Fail closed: an object the webhook cannot validate is rejected, not admitted unchecked.
      failurePolicy: "Fail",
      replicaCount: HA_REPLICAS,
      podDisruptionBudget: PDB,
      resources: SMALL_RESOURCES,
      serviceAccount: serviceAccount("external-secrets-webhook"),
    },
    // The cert controller only renews the webhook's certificate (valid for months), so a
    // single replica without a PDB cannot block a drain and a short absence is harmless.
    certController: {
      create: controllersInCluster,
      ...imageOverride,
      resources: SMALL_RESOURCES,
      serviceAccount: serviceAccount("external-secrets-cert-controller"),
    },
  };
}

/** `image`: the cluster's `images.reloader`, instead of the chart's default. */
export function reloaderChartValues({ image }: { image?: string } = {}): Record<string, unknown> {
  return {
    ...(image ? { image: imageValues(image) } : {}),
    reloader: {
      // Only Secrets written by ESO matter here; ConfigMaps are other teams' business.
      ignoreConfigMaps: true,
      // Opt-in only: a Deployment reloads when annotated `reloader.stakater.com/search`
      // and the changed Secret carries `reloader.stakater.com/match`.
      autoReloadAll: false,
      readOnlyRootFileSystem: true,
      deployment: {
        resources: SMALL_RESOURCES,
        containerSecurityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        },
      },
      serviceAccount: { create: true, annotations: {} },
    },
  };
}
