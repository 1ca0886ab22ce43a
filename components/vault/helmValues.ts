/**
 * Values for the hashicorp/vault chart (0.34.x layout): HA raft, TLS on every listener and
 * raft join, auto-unseal (cloud KMS or transit), an audit volume, spread across nodes. Pure, so the tests read
 * exactly what the release receives.
 */
import type { EnvironmentProfile } from "../../stacks/profiles";
import type { Catalog, VaultSettings } from "../../stacks/schema";
import { type HclBlock, renderHcl } from "./hcl";
import { AUDIT_MOUNT, peerHost, RELEASE_NAME, SERVICE_ACCOUNT, TLS_MOUNT } from "./serverNames";

/** Sized for a secrets workload; raft keeps everything in memory-mapped BoltDB. */
const SERVER_RESOURCES = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { memory: "1Gi" },
};
export const DATA_STORAGE_SIZE = "10Gi";

/**
 * The server image, pinned rather than left to the chart's default (2.0.4 for chart 0.34.1):
 * 1.21.1 is the release test/integration/vault/live runs this configuration against
 * (scripts/vault-env.sh builds the same version; it says why not a later 1.21 patch, and
 * Vault 2.x is not available to build or test here). Bump the two together.
 */
export const VAULT_IMAGE = { repository: "hashicorp/vault", tag: "1.21.1" } as const;
export const AUDIT_STORAGE_SIZE = "20Gi";

export interface VaultHelmInputs {
  /** The server image: the cluster's `images.vault`, or VAULT_IMAGE. */
  readonly image: { readonly repository: string; readonly tag: string };
  readonly catalog: Catalog;
  readonly vault: VaultSettings;
  readonly profile: EnvironmentProfile;
  /** The rendered `seal "<type>" { ... }` block, resolved. */
  readonly seal: HclBlock;
  readonly tlsSecretName: string;
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  /** Files the seal reads (transit: its token and the unsealing Vault's CA), as projected volumes. */
  readonly sealVolumes: ReadonlyArray<{
    name: string;
    mountPath: string;
    sources: ReadonlyArray<Record<string, unknown>>;
  }>;
  /** The cluster's `singleNode`: the servers may share its one node. */
  readonly singleNode: boolean;
}

/** The servers of the release: the catalog's `vault.replicas` where it raises the profile's count. */
export function vaultReplicas(vault: VaultSettings, profile: EnvironmentProfile): number {
  return Math.max(vault.replicas ?? 0, profile.vault.replicas);
}

/** Raft quorum survives losing a minority: never let a drain take more than that. */
export function maxUnavailable(replicas: number): number {
  return Math.floor((replicas - 1) / 2);
}

export function serverConfig(input: VaultHelmInputs): string {
  const { catalog, profile } = input;
  const replicas = vaultReplicas(input.vault, profile);
  const retryJoin: HclBlock[] = Array.from({ length: replicas }, (_, i) => ({
    type: "retry_join",
    attributes: {
      leader_api_addr: `https://${peerHost(i)}:8200`,
      leader_ca_cert_file: `${TLS_MOUNT}/ca.crt`,
      leader_tls_servername: peerHost(i),
    },
  }));
  // No disable_mlock: the chart appends `disable_mlock = true` to an HCL config that lacks one
  // (as raft storage wants). Charts before 0.32 appended it even when the config set it: an
  // attribute set twice (Vault warns of duplicate attributes, HCL 2 parsers refuse them).
  // test/integration/helm parses the rendered result.
  return renderHcl({ ui: profile.vault.ui, cluster_name: `${catalog.prefix}-${catalog.environment}` }, [
    {
      type: "listener",
      label: "tcp",
      attributes: {
        address: "[::]:8200",
        cluster_address: "[::]:8201",
        tls_disable: false,
        tls_cert_file: `${TLS_MOUNT}/tls.crt`,
        tls_key_file: `${TLS_MOUNT}/tls.key`,
        tls_min_version: "tls12",
      },
    },
    { type: "storage", label: "raft", attributes: { path: "/vault/data" }, blocks: retryJoin },
    input.seal,
    { type: "service_registration", label: "kubernetes" },
  ]);
}

/**
 * Each server's `api_addr`: where a standby redirects a client for what it cannot forward (a raft
 * snapshot, for one). The chart's default is the pod's IP, which no server certificate names, so
 * `vault operator raft snapshot save` through the `vault` Service failed on the snapshot job's
 * first run on pods (`x509: certificate is valid for …, not 10.244.0.16`). The pod's name under
 * the headless Service, namespace-qualified so a client in any namespace resolves it, is in the
 * certificate (`*.vault-internal.<namespace>.svc`, serverDnsNames); `$(VAULT_K8S_POD_NAME)` is
 * an earlier variable of the chart's container, which Kubernetes expands.
 */
export function serverApiAddress(namespace: string): string {
  return `https://$(VAULT_K8S_POD_NAME).${RELEASE_NAME}-internal.${namespace}.svc:8200`;
}

/**
 * Each server on a node of its own, so that losing a node costs raft one voter; on a cluster of
 * one node (`singleNode`) the same spread is only preferred, or no second server would start.
 */
function serverAntiAffinity(selector: Record<string, string>, singleNode: boolean): Record<string, unknown> {
  const term = { labelSelector: { matchLabels: selector }, topologyKey: "kubernetes.io/hostname" };
  return singleNode
    ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] }
    : { requiredDuringSchedulingIgnoredDuringExecution: [term] };
}

export function vaultHelmValues(input: VaultHelmInputs): Record<string, unknown> {
  const { vault, profile } = input;
  const replicas = vaultReplicas(vault, profile);
  const selector = {
    "app.kubernetes.io/name": "vault",
    "app.kubernetes.io/instance": RELEASE_NAME,
    component: "server",
  };
  return {
    global: { enabled: true, tlsDisable: false },
    injector: { enabled: vault.injector },
    server: {
      image: input.image,
      resources: SERVER_RESOURCES,
      extraEnvironmentVars: { VAULT_CACERT: `${TLS_MOUNT}/ca.crt` },
      volumes: [
        { name: "tls", secret: { secretName: input.tlsSecretName, defaultMode: 0o440 } },
        ...input.sealVolumes.map((v) => ({
          name: v.name,
          projected: { sources: v.sources, defaultMode: 0o440 },
        })),
      ],
      volumeMounts: [{ name: "tls", mountPath: TLS_MOUNT }, ...input.sealVolumes].map((v) => ({
        name: v.name,
        mountPath: v.mountPath,
        readOnly: true,
      })),
      extraLabels: input.podLabels,
      affinity: { podAntiAffinity: serverAntiAffinity(selector, input.singleNode) },
      serviceAccount: { create: true, name: SERVICE_ACCOUNT, annotations: input.serviceAccountAnnotations },
      dataStorage: { enabled: true, size: DATA_STORAGE_SIZE },
      auditStorage: { enabled: true, size: AUDIT_STORAGE_SIZE, mountPath: AUDIT_MOUNT },
      standalone: { enabled: false },
      ha: {
        enabled: true,
        replicas,
        apiAddr: serverApiAddress(input.vault.namespace),
        raft: { enabled: true, setNodeId: true, config: serverConfig(input) },
        disruptionBudget: { enabled: true, maxUnavailable: maxUnavailable(replicas) },
      },
    },
    ui: { enabled: profile.vault.ui },
  };
}
