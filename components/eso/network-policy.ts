/**
 * The ESO namespace's NetworkPolicy: default deny, then exactly what ESO needs.
 *
 * Egress: DNS; the Kubernetes API server (443 on EKS/GKE/AKS endpoints, 6443 where the
 * API server listens directly); the backends over HTTPS (cloud secret managers on 443, Vault
 * on its own port). The API server and cloud endpoints have no stable addresses a
 * NetworkPolicy could name, so those ports are open to any address; a CNI with FQDN policies
 * (Cilium, Calico Enterprise) can narrow them further.
 * Ingress: only the admission webhook port, which the API server calls.
 */
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy" with {
  "resolution-mode": "import",
};
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort" with {
  "resolution-mode": "import",
};
import { MANAGED_BY_LABELS } from "../kubernetes/manifests";

/** Port the ESO chart's webhook listens on (`webhook.port`). */
export const WEBHOOK_PORT = 10250;
const HTTPS_PORT = 443;
const API_SERVER_PORT = 6443;

/** The TCP port of an https URL, 443 when it names none. */
export function httpsPort(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : HTTPS_PORT;
}

export function esoNetworkPolicyManifest(
  namespace: string,
  vaultAddress: string | undefined,
): INetworkPolicy {
  const tcpPorts = [
    ...new Set([HTTPS_PORT, API_SERVER_PORT, ...(vaultAddress ? [httpsPort(vaultAddress)] : [])]),
  ];
  const dns: INetworkPolicyPort[] = [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ];
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "external-secrets", namespace, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ ports: [{ protocol: "TCP", port: WEBHOOK_PORT }] }],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
          ports: dns,
        },
        { ports: tcpPorts.map((port) => ({ protocol: "TCP", port })) },
      ],
    },
  };
}
