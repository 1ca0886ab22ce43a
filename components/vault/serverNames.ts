/**
 * Names fixed by the Helm release: the chart derives its Services, pods and service account
 * from the release name, and the certificate, retry_join and workload identities must match.
 */
export const RELEASE_NAME = "vault";
export const SERVICE_ACCOUNT = "vault";
export const TLS_MOUNT = "/vault/userconfig/tls";
export const AUDIT_MOUNT = "/vault/audit";
/** The transit seal's token and the unsealing Vault's CA (unseal: transit). */
export const TRANSIT_SEAL_MOUNT = "/vault/userconfig/transit-seal";
export const AUDIT_FILE = `${AUDIT_MOUNT}/vault-audit.log`;

/** Pod DNS name of raft peer `index` behind the chart's headless Service. */
export function peerHost(index: number): string {
  return `${RELEASE_NAME}-${index}.${RELEASE_NAME}-internal`;
}

/** The Kubernetes subject of Vault's service account, as cloud trust policies spell it. */
export function serviceAccountSubject(namespace: string): string {
  return `system:serviceaccount:${namespace}:${SERVICE_ACCOUNT}`;
}

/** DNS names the server certificate must carry: in-cluster Services, peers and the public address. */
export function serverDnsNames(namespace: string, address: string): string[] {
  const svc = [RELEASE_NAME, `${RELEASE_NAME}.${namespace}`, `${RELEASE_NAME}.${namespace}.svc`];
  return [
    new URL(address).hostname,
    ...svc,
    `${RELEASE_NAME}.${namespace}.svc.cluster.local`,
    `*.${RELEASE_NAME}-internal`,
    `*.${RELEASE_NAME}-internal.${namespace}.svc`,
    `*.${RELEASE_NAME}-internal.${namespace}.svc.cluster.local`,
  ];
}

/**
 * The raft-snapshot CronJob's identity: its service account in Vault's namespace, and the
 * Kubernetes auth role and Vault policy of that account (docs/runbooks/vault-snapshots.md).
 */
export const SNAPSHOT_IDENTITY = "vault-snapshot";
