/**
 * The server configuration the chart renders from the program's values, run by real Vault
 * servers, one process per replica on this machine's loopback (processes, not pods).
 *
 * Localised only where one machine must differ, each replacement made exactly once so a config
 * that changed shape fails loudly: listen addresses (127.0.0.1 and a free port each) and data
 * paths (a directory per replica); the peers' addresses in retry_join (their TLS server names,
 * `vault-<i>.vault-internal`, stay and are checked against the certificate); the certificate
 * files (`/vault/userconfig/tls/*` → a CA and server certificate issued for the names
 * serverDnsNames gives cert-manager); no Kubernetes service registration (no API server here);
 * plus whatever the seal needs (`localiseSeal`). The per-pod environment the chart's
 * StatefulSet sets (API and cluster address from the pod IP, node id from the pod name) comes
 * from the same values here.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { RELEASE_NAME } from "../../../../components/vault/serverNames";
import type { ServerCertificate } from "./operator-tools";
import { vaultCli } from "./operator-tools";
import { freePort, spawnVault, type VaultProcess } from "./server";

/** Replaces exactly one occurrence of `pattern`; a config that changed shape fails loudly. */
export function replaceOnce(text: string, pattern: RegExp | string, replacement: string): string {
  const count =
    typeof pattern === "string"
      ? text.split(pattern).length - 1
      : (text.match(new RegExp(pattern.source, "g")) ?? []).length;
  assert.equal(count, 1, `expected one ${String(pattern)} in the server config, found ${count}`);
  return text.replace(pattern, replacement);
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Status {
  initialized: boolean;
  sealed: boolean;
  type: string;
  recovery_seal: boolean;
  storage_type: string;
  ha_enabled: boolean;
  is_self: boolean;
  leader_address: string;
  raft_committed_index: number;
  version: string;
}

/** One replica: its ports, files and process, and the CLI pointed at it. */
export interface RaftNode {
  readonly index: number;
  readonly port: number;
  readonly clusterPort: number;
  readonly dir: string;
  readonly configFile: string;
  readonly logFile: string;
  readonly env: Record<string, string>;
  readonly address: string;
  readonly cli: ReturnType<typeof vaultCli>;
  process?: VaultProcess;
}

export interface RaftClusterOptions {
  readonly dir: string;
  /** `extraconfig-from-values.hcl` of the chart's ConfigMap. */
  readonly renderedConfig: string;
  readonly replicas: number;
  readonly tls: ServerCertificate;
  /** The name clients check the certificate against (the in-cluster Service's). */
  readonly serverName: string;
  /** Localises the seal stanza (endpoint, key id, credentials files). */
  readonly localiseSeal: (config: string) => string;
  /** Extra environment of every server (the seal's credentials). */
  readonly env?: Record<string, string>;
}

export async function raftNodes(options: RaftClusterOptions): Promise<RaftNode[]> {
  const { dir, tls } = options;
  const ports: Array<[number, number]> = [];
  for (let i = 0; i < options.replicas; i++) ports.push([await freePort(), await freePort()]);
  return ports.map(([port, clusterPort], index) => {
    const nodeDir = path.join(dir, `${RELEASE_NAME}-${index}`);
    fs.mkdirSync(path.join(nodeDir, "data"), { recursive: true, mode: 0o700 });
    let config = options.renderedConfig;
    config = replaceOnce(config, 'address = "[::]:8200"', `address = "127.0.0.1:${port}"`);
    config = replaceOnce(
      config,
      'cluster_address = "[::]:8201"',
      `cluster_address = "127.0.0.1:${clusterPort}"`,
    );
    ports.forEach(([peerPort], peer) => {
      config = replaceOnce(
        config,
        `leader_api_addr = "https://${RELEASE_NAME}-${peer}.${RELEASE_NAME}-internal:8200"`,
        `leader_api_addr = "https://127.0.0.1:${peerPort}"`,
      );
    });
    config = config.replaceAll("/vault/userconfig/tls/tls.crt", tls.certFile);
    config = config.replaceAll("/vault/userconfig/tls/tls.key", tls.keyFile);
    config = config.replaceAll("/vault/userconfig/tls/ca.crt", tls.caFile);
    config = replaceOnce(config, 'path = "/vault/data"', `path = "${path.join(nodeDir, "data")}"`);
    config = options.localiseSeal(config);
    config = replaceOnce(config, 'service_registration "kubernetes" {}\n', "");
    const configFile = path.join(nodeDir, "vault.hcl");
    fs.writeFileSync(configFile, config);
    const address = `https://127.0.0.1:${port}`;
    return {
      index,
      port,
      clusterPort,
      dir: nodeDir,
      configFile,
      logFile: path.join(nodeDir, "vault.log"),
      env: {
        HOME: nodeDir,
        VAULT_API_ADDR: address,
        VAULT_CLUSTER_ADDR: `https://127.0.0.1:${clusterPort}`,
        VAULT_RAFT_NODE_ID: `${RELEASE_NAME}-${index}`,
        ...options.env,
      },
      address,
      cli: vaultCli(address, tls.caFile, options.serverName),
    };
  });
}

export function status(node: RaftNode): Status {
  try {
    return JSON.parse(node.cli(["status", "-format=json"])) as Status;
  } catch (err) {
    // `vault status` exits 2 while sealed, still printing the status.
    const stdout = (err as { stdout?: string }).stdout;
    if (stdout) return JSON.parse(stdout) as Status;
    throw err;
  }
}

/** Polls `done` (errors count as "not yet") every 200 ms, up to 80 s; the error names the log to read. */
export async function until(what: string, done: () => boolean, node: RaftNode): Promise<void> {
  let last = "";
  // Generous: autopilot alone waits 10 s before promoting a joined replica to voter.
  for (let attempt = 0; attempt < 400; attempt++) {
    try {
      if (done()) return;
    } catch (err) {
      last = String((err as { stderr?: string }).stderr || err).trim(); // not answering yet
    }
    await pause(200);
  }
  throw new Error(`timed out waiting for ${what} (${last || "condition false"}); see ${node.logFile}`);
}

/** Starts a replica's server and waits until it answers `vault status`. */
export async function startNode(node: RaftNode): Promise<void> {
  node.process = spawnVault(["server", `-config=${node.configFile}`], node.env, node.logFile);
  await until(`${RELEASE_NAME}-${node.index} to listen`, () => status(node) !== undefined, node);
}
