/**
 * Pods really run on the one-node cluster (scripts/kube-env.sh's control plane, scripts/kube-node-
 * env.sh's node): the node is registered and Ready, the scheduler places a Deployment's pod, which
 * runs in a network namespace of its own on the CNI bridge, a Service resolves through CoreDNS
 * from another pod and reaches it, a StatefulSet's pods reach each other by their DNS names, and
 * deleting the namespace leaves no sandbox, network namespace or mount of its pods. The images are
 * the ones built here (busybox from Debian's busybox-static); this machine talks only to the pod
 * and Service ranges and the loopback address.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { missingEngine } from "../integration/engines";
import { PROJECT_DIR } from "../support/offline";
import { createNamespace, type Kube, removeNamespace, uniqueName } from "./kube";
import { crictl, inCidr, type NodeSettings, requireNode, waitUntil } from "./node";

type Json = Record<string, unknown>;
interface Pod {
  metadata: { name: string; uid: string };
  spec: { nodeName?: string };
  status: {
    phase?: string;
    podIP?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ state?: { terminated?: { exitCode: number } } }>;
  };
}
interface SandboxInspection {
  status: { id: string; metadata: { uid: string } };
  info: { runtimeSpec: { linux: { namespaces: Array<{ type: string; path?: string }> } } };
}

/** The containers of these tests: Debian's busybox, no privilege, the runtime's seccomp profile. */
function container(image: string, script: string, extra: Json = {}): Json {
  return {
    name: "main",
    image,
    imagePullPolicy: "Never",
    command: ["/bin/sh", "-c", script],
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    },
    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
    ...extra,
  };
}
/** Every pod's spec: no privilege, and no 30 s wait at deletion for a PID 1 that ignores SIGTERM. */
const podBase = {
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 65534,
    runAsGroup: 65534,
    seccompProfile: { type: "RuntimeDefault" },
  },
  terminationGracePeriodSeconds: 1,
};
/** Serves its own pod name (HOSTNAME) over HTTP on 8080. */
const SERVE_HOSTNAME =
  'mkdir -p /tmp/www && echo "$HOSTNAME" >/tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www';

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 10_000 }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString("utf8")));
      res.on("end", () => resolve(body));
    });
    req.once("timeout", () => req.destroy(new Error(`${url}: timed out`)));
    req.once("error", reject);
  });
}

describe("scripts/kube-node-env.sh on a bad set-up", () => {
  it("an unknown argument is refused with the usage, before anything is built or started", () => {
    const result = spawnSync("bash", [path.join(PROJECT_DIR, "scripts", "kube-node-env.sh"), "--bogus"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.notEqual(result.status, 0);
    assert.match(
      result.stderr,
      /kube-node-env: unknown argument '--bogus' \(usage: kube-node-env.sh \[--build-only \| --stop\]\)/,
    );
  });
});

describe("the one-node cluster runs pods (kubelet, containerd, CNI bridge, kube-proxy, CoreDNS)", function () {
  this.timeout(600_000);
  let kube: Kube;
  let node: NodeSettings;
  let busybox: string;
  let namespace: string;
  const podsPath = () => `/api/v1/namespaces/${namespace}/pods`;
  const podsOf = async (selector: string) =>
    (await kube.admin.get<{ items: Pod[] }>(`${podsPath()}?labelSelector=${encodeURIComponent(selector)}`))
      .items;
  const describePods = async () =>
    JSON.stringify(
      (await kube.admin.get<{ items: Pod[] }>(podsPath())).items.map((p) => ({
        name: p.metadata.name,
        node: p.spec.nodeName,
        phase: p.status.phase,
        conditions: p.status.conditions,
      })),
    );
  const readyPod = (selector: string) =>
    waitUntil(
      `a Ready pod of ${selector}`,
      async () =>
        (await podsOf(selector)).find((p) =>
          p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        ),
      180_000,
      describePods,
    );
  /** Runs a pod of one container to completion; returns its log. */
  const runToCompletion = async (name: string, main: Json): Promise<string> => {
    await kube.admin.post(podsPath(), {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name },
      spec: {
        restartPolicy: "Never",
        ...podBase,
        containers: [main],
      },
    });
    const pod = await waitUntil(
      `pod ${name} finished`,
      async () => {
        const p = await kube.admin.get<Pod>(`${podsPath()}/${name}`);
        return p.status.phase === "Succeeded" || p.status.phase === "Failed" ? p : undefined;
      },
      180_000,
      describePods,
    );
    // The log goes from the kubelet to the API server to here (kubelet-api-admin, its CA).
    const log = await kube.admin.getText(`${podsPath()}/${name}/log`);
    assert.equal(pod.status.phase, "Succeeded", `pod ${name} failed; its log:\n${log}`);
    return log;
  };

  before(async function () {
    ({ kube, node } = await requireNode(this));
    busybox = node.images.busybox;
    assert.ok(busybox, "node.env names the busybox image");
    namespace = uniqueName("sp-node");
    await createNamespace(kube.admin, namespace);
  });
  after(async () => {
    if (namespace && kube) await removeNamespace(kube.admin, namespace, 180_000);
  });

  it("the API server has registered the node: Ready, kubelet v1.37.2 on containerd 2.4.2, its address in the pod range", async () => {
    type NodeObject = {
      status: {
        conditions: Array<{ type: string; status: string }>;
        addresses: Array<{ type: string; address: string }>;
        nodeInfo: { kubeletVersion: string; containerRuntimeVersion: string; kubeProxyVersion?: string };
      };
    };
    const object = await kube.admin.get<NodeObject>(`/api/v1/nodes/${node.name}`);
    assert.equal(object.status.conditions.find((c) => c.type === "Ready")?.status, "True");
    assert.equal(object.status.nodeInfo.kubeletVersion, "v1.37.2");
    assert.match(object.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/v?2\.4\.2$/);
    const internal = object.status.addresses.find((a) => a.type === "InternalIP")?.address;
    assert.equal(internal, node.ip);
    assert.ok(inCidr(node.ip, node.podCidr));
  });

  let webPod: Pod;
  it("the scheduler places a Deployment's pod, which runs in a network namespace of its own on the bridge", async () => {
    await kube.admin.post(`/apis/apps/v1/namespaces/${namespace}/deployments`, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            ...podBase,
            containers: [
              container(busybox, SERVE_HOSTNAME, {
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/", port: 8080 }, periodSeconds: 1 },
              }),
            ],
          },
        },
      },
    });
    webPod = await readyPod("app=web");
    // Only the scheduler binds a pod that names no node.
    assert.equal(webPod.spec.nodeName, node.name);
    assert.equal(webPod.status.conditions?.find((c) => c.type === "PodScheduled")?.status, "True");
    const ip = webPod.status.podIP ?? "";
    assert.ok(inCidr(ip, node.podCidr) && ip !== node.ip, `pod address ${ip} in ${node.podCidr}`);

    const sandboxes = crictl<{ items: Array<{ id: string; metadata: { uid: string } }> }>(node, [
      "pods",
      "--namespace",
      namespace,
      "-o",
      "json",
    ]).items.filter((s) => s.metadata.uid === webPod.metadata.uid);
    assert.equal(sandboxes.length, 1, "one sandbox for the pod");
    const inspection = crictl<SandboxInspection>(node, ["inspectp", sandboxes[0].id]);
    const netns = inspection.info.runtimeSpec.linux.namespaces.find((n) => n.type === "network")?.path ?? "";
    assert.match(netns, /\/netns\/cni-[0-9a-f-]+$/, "a network namespace CNI made");
    assert.notEqual(
      fs.statSync(netns).ino,
      fs.statSync("/proc/self/ns/net").ino,
      "not this machine's namespace",
    );

    // This machine reaches the pod over the bridge, at its pod address.
    assert.equal((await httpGet(`http://${ip}:8080/`)).trim(), webPod.metadata.name);
  });

  it("another pod resolves the Deployment's Service through CoreDNS and reaches its pod", async () => {
    const service = await kube.admin.post<{ spec: { clusterIP: string } }>(
      `${podsPath().replace("/pods", "/services")}`,
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "web" },
        spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    );
    const clusterIP = service.spec.clusterIP;
    assert.ok(inCidr(clusterIP, node.serviceCidr), `Service address ${clusterIP} in ${node.serviceCidr}`);
    const fqdn = `web.${namespace}.svc.cluster.local`;
    // The Service's name, not its address: CoreDNS answers, kube-proxy forwards to the pod.
    const log = await runToCompletion(
      "client",
      container(
        busybox,
        `set -e; grep -q "nameserver ${node.dnsIp}" /etc/resolv.conf; nslookup ${fqdn}; ` +
          `for i in 1 2 3 4 5 6 7 8 9 10; do timeout 5 wget -q -O /tmp/page http://web/ && break; sleep 1; done; ` +
          `echo "page: $(cat /tmp/page)"`,
      ),
    );
    assert.match(log, new RegExp(`Address:?\\s+${clusterIP.replace(/\./g, "\\.")}`), log);
    assert.match(log, new RegExp(`^page: ${webPod.metadata.name}$`, "m"), log);
  });

  it("a StatefulSet's pods reach each other by their DNS names (headless Service)", async () => {
    await kube.admin.post(`${podsPath().replace("/pods", "/services")}`, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "peers" },
      // As the Vault chart's internal Service: peers are published before they are Ready.
      spec: {
        clusterIP: "None",
        publishNotReadyAddresses: true,
        selector: { app: "peers" },
        ports: [{ port: 8080 }],
      },
    });
    // Each pod is Ready only once it has fetched its peer's page by the peer's DNS name.
    const peerCheck =
      `peer=peers-$(( 1 - \${HOSTNAME##*-} )); ` +
      `timeout 2 wget -q -O - http://$peer.peers.${namespace}.svc.cluster.local:8080/ | grep -qx "$peer"`;
    await kube.admin.post(`/apis/apps/v1/namespaces/${namespace}/statefulsets`, {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "peers" },
      spec: {
        serviceName: "peers",
        replicas: 2,
        podManagementPolicy: "Parallel",
        selector: { matchLabels: { app: "peers" } },
        template: {
          metadata: { labels: { app: "peers" } },
          spec: {
            ...podBase,
            containers: [
              container(busybox, SERVE_HOSTNAME, {
                ports: [{ containerPort: 8080 }],
                readinessProbe: { exec: { command: ["/bin/sh", "-c", peerCheck] }, periodSeconds: 2 },
              }),
            ],
          },
        },
      },
    });
    const set = await waitUntil(
      "both peers Ready",
      async () => {
        const s = await kube.admin.get<{ status: { readyReplicas?: number } }>(
          `/apis/apps/v1/namespaces/${namespace}/statefulsets/peers`,
        );
        return s.status.readyReplicas === 2 ? s : undefined;
      },
      180_000,
      describePods,
    );
    assert.equal(set.status.readyReplicas, 2);
  });

  it("the Vault and ESO images built here run as pods: Vault 1.21.1 serves its health, ESO's binary has the chart's three commands", async function () {
    const { vault, "external-secrets": eso } = node.images;
    if (!vault || !eso)
      return missingEngine(
        this,
        "the Vault or ESO image is not built; run scripts/vault-env.sh and scripts/eso-env.sh, then scripts/kube-node-env.sh",
      );
    await kube.admin.post(podsPath(), {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "vault", labels: { app: "vault" } },
      spec: {
        ...podBase,
        securityContext: { ...podBase.securityContext, runAsUser: 100, runAsGroup: 1000 },
        containers: [
          {
            ...container(vault, ""),
            // The image's entrypoint (the chart's way in), a dev server on the pod's address.
            command: undefined,
            args: ["server", "-dev", "-dev-listen-address=0.0.0.0:8200"],
            readinessProbe: { httpGet: { path: "/v1/sys/health", port: 8200 }, periodSeconds: 1 },
            resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
          },
        ],
      },
    });
    const pod = await readyPod("app=vault");
    const health = JSON.parse(await httpGet(`http://${pod.status.podIP}:8200/v1/sys/health`)) as {
      version: string;
      sealed: boolean;
    };
    assert.equal(health.version, "1.21.1");
    assert.equal(health.sealed, false);

    const help = await runToCompletion("eso", {
      ...container(eso, ""),
      command: undefined,
      args: ["--help"],
    });
    for (const command of ["certcontroller", "webhook"])
      assert.match(help, new RegExp(`^\\s+${command}\\s`, "m"));
  });

  it("deleting the namespace leaves no sandbox, network namespace or mount of its pods", async () => {
    const pods = (await kube.admin.get<{ items: Pod[] }>(podsPath())).items;
    assert.ok(pods.length >= 4, `the pods above (${pods.length})`);
    const uids = pods.map((p) => p.metadata.uid);
    const sandboxIds = crictl<{ items: Array<{ id: string }> }>(node, [
      "pods",
      "--namespace",
      namespace,
      "-o",
      "json",
    ]).items.map((s) => s.id);
    const netnsPaths = sandboxIds
      .map(
        (id) =>
          crictl<SandboxInspection>(node, ["inspectp", id]).info.runtimeSpec.linux.namespaces.find(
            (n) => n.type === "network",
          )?.path,
      )
      .filter((p): p is string => Boolean(p));
    assert.ok(netnsPaths.length >= 4, "each pod had a network namespace");

    await removeNamespace(kube.admin, namespace, 180_000);
    const leftovers = () => {
      const sandboxes = crictl<{ items: unknown[] }>(node, [
        "pods",
        "--namespace",
        namespace,
        "-o",
        "json",
      ]).items;
      const mounts = fs
        .readFileSync("/proc/self/mounts", "utf8")
        .split("\n")
        .filter(
          (line) => uids.some((uid) => line.includes(uid)) || sandboxIds.some((id) => line.includes(id)),
        );
      const namespaces = netnsPaths.filter((p) => fs.existsSync(p));
      return { sandboxes: sandboxes.length, mounts, namespaces };
    };
    await waitUntil(
      "the pods' sandboxes, mounts and network namespaces are gone",
      async () => {
        const left = leftovers();
        return left.sandboxes === 0 && left.mounts.length === 0 && left.namespaces.length === 0
          ? true
          : undefined;
      },
      120_000,
      async () => JSON.stringify(leftovers()),
    );
  });
});
