/**
 * The node scripts/kube-node-env.sh starts beside the control plane of scripts/kube-env.sh:
 * containerd with runc, the CNI bridge, the kubelet, kube-proxy and CoreDNS, and the images built
 * here. Settings come from the environment first, then .integration/node.env.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { missingEngine, readSettingsFile } from "../integration/engines";
import { PROJECT_DIR } from "../support/offline";
import { type Kube, KubeError, requireKube } from "./kube";

const NODE_ENV = path.join(PROJECT_DIR, ".integration", "node.env");

export interface NodeSettings {
  /** The Node object's name. */
  readonly name: string;
  /** The node's address: the gateway of the pods' bridge. */
  readonly ip: string;
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** The cluster DNS Service's address (CoreDNS). */
  readonly dnsIp: string;
  readonly crictl: string;
  readonly containerdAddress: string;
  /** Image references by name (busybox, pause, coredns, reloader, external-secrets, vault). */
  readonly images: Readonly<Record<string, string>>;
}

export function nodeSettings(): NodeSettings | undefined {
  const file = readSettingsFile(NODE_ENV);
  const get = (key: string) => process.env[key] ?? file[key];
  const keys = [
    "SP_KUBE_NODE",
    "SP_KUBE_NODE_IP",
    "SP_KUBE_POD_CIDR",
    "SP_KUBE_SERVICE_CIDR",
    "SP_KUBE_DNS_IP",
    "SP_CRICTL",
    "SP_CONTAINERD_ADDRESS",
  ];
  const [name, ip, podCidr, serviceCidr, dnsIp, crictl, containerdAddress] = keys.map(get);
  if (!name || !ip || !podCidr || !serviceCidr || !dnsIp || !crictl || !containerdAddress) return undefined;
  const images: Record<string, string> = {};
  for (const key of new Set([...Object.keys(file), ...Object.keys(process.env)]))
    if (key.startsWith("SP_IMAGE_"))
      images[key.slice("SP_IMAGE_".length).toLowerCase().replace(/_/g, "-")] = get(key) ?? "";
  return { name, ip, podCidr, serviceCidr, dnsIp, crictl, containerdAddress, images };
}

/** Whether the API server has the node registered and Ready. */
export async function nodeReady(kube: Kube, node: NodeSettings): Promise<boolean> {
  type Node = { status?: { conditions?: Array<{ type: string; status: string }> } };
  return kube.admin
    .get<Node>(`/api/v1/nodes/${node.name}`)
    .then((n) => n.status?.conditions?.find((c) => c.type === "Ready")?.status === "True")
    .catch((err: unknown) => {
      if (err instanceof KubeError && err.status === 404) return false;
      throw err;
    });
}

/**
 * Call from a mocha `before` hook: the API server and its node, Ready; or a skip with what to
 * run (a failure under CI=true).
 */
export async function requireNode(ctx: Mocha.Context): Promise<{ kube: Kube; node: NodeSettings }> {
  const kube = await requireKube(ctx);
  const node = nodeSettings();
  if (!node) return missingEngine(ctx, "no Kubernetes node set up; run scripts/kube-node-env.sh");
  if (!(await nodeReady(kube, node)))
    return missingEngine(ctx, `the node ${node.name} is not Ready; start it with scripts/kube-node-env.sh`);
  return { kube, node };
}

/** crictl against the node's containerd; its JSON output parsed. */
export function crictl<T = unknown>(node: NodeSettings, args: readonly string[]): T {
  const result = spawnSync(
    node.crictl,
    ["--runtime-endpoint", `unix://${node.containerdAddress}`, "--timeout", "30s", ...args],
    { encoding: "utf8", timeout: 60_000 },
  );
  if (result.status !== 0) throw new Error(`crictl ${args.join(" ")}: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout) as T;
}

/** Whether the IPv4 address `ip` is in `cidr` (a.b.c.d/n). */
export function inCidr(ip: string, cidr: string): boolean {
  const toNumber = (address: string) => address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNumber(ip) / size) === Math.floor(toNumber(base) / size);
}

/**
 * Polls `probe` until it returns a value other than undefined; after `timeoutMs` throws with
 * `what` and the last thing `describe` says about the state (for the failure message).
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => Promise<string> = async () => "",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not after ${timeoutMs / 1000} s. ${await describe()}`);
    await sleep(500);
  }
}
