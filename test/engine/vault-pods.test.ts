/**
 * The Vault cluster the program deploys, running as pods on the one-node cluster
 * (scripts/kube-env.sh and scripts/kube-node-env.sh): the vault 0.34.1 chart installed by real
 * Helm with the values the program renders for staging with `unseal: transit` (three servers,
 * raft over TLS, the disruption budget), from the Vault image built here. Not yet `pulumi up`:
 * the release is the program's own values through `helm install` (the next step is the stack).
 *
 * Checked: the servers form one raft cluster over TLS with the names the program renders, each
 * auto-unsealed through another Vault's transit engine after `npm run vault:init`'s initialisation
 * (the runbook's command, recovery keys PGP-encrypted to the operators); after all three pods are
 * deleted at once they come back unsealed and serving with no human step; deleting the leader
 * under 25 reads per second (a client that retries, as a workload's would) fails no read; the
 * disruption budget lets one server be evicted at a time.
 *
 * Localisations, each because of this machine:
 * - the catalog's `vault.namespace` is a name of this run's own (the API server is shared), and
 *   `vault.transitUnseal.address` the unsealing Vault's listener on the node's address (a dev
 *   server on this machine, prepared as docs/runbooks/vault-transit-unseal.md says);
 * - the cluster's `images.vault` is the image imported on the node (no registry is reachable);
 * - the cluster is marked `singleNode: true` (the program then only prefers the servers on
 *   different nodes; the policy pack refuses that in staging and prod, where it would run here as
 *   `dev`);
 * - the objects the pods mount: the seal's token Secret (an operator's, as the runbook says), the
 *   unsealing Vault's CA ConfigMap (the program's, but helm install does not make it), the TLS
 *   Secret (an operator or cert-manager) and the PersistentVolumes (hostPath; no provisioner runs
 *   here) are made by the suite.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { RELEASE_NAME, serverDnsNames } from "../../components/vault/serverNames";
import { TRANSIT_SEAL_CA_CONFIG_MAP } from "../../components/vault/unseal/transit";
import { PROFILES } from "../../stacks/profiles";
import { validateCatalog } from "../../stacks/validate";
import { PROJECT_DIR } from "../../tools/operator/cli";
import { vaultInit } from "../../tools/operator/vault-init";
import { CHART_DIRS, HELM, requireCharts } from "../integration/helm/charts";
import {
  issueServerCertificate,
  OperatorKeys,
  type ServerCertificate,
} from "../integration/vault/live/operator-tools";
import { requireVault, type VaultServer } from "../integration/vault/live/server";
import { startUnsealingVault } from "../integration/vault/live/unsealing-vault";
import { recordVault, transitUnsealCatalog } from "../unit/vault/support";
import { type Kube, KubeError, removeNamespace, uniqueName } from "./kube";
import { lockClusterWideObjects } from "./cluster-lock";
import { type NodeSettings, requireNode, waitUntil } from "./node";

const ENV = "staging";
const READS_PER_SECOND = 25;

interface Pod {
  metadata: { name: string; uid: string };
  status: { podIP?: string; conditions?: Array<{ type: string; status: string }> };
}
const ready = (pod: Pod) =>
  pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

describe("the program's Vault cluster as pods (staging values, transit auto-unseal, real Helm)", function () {
  this.timeout(3_000_000);
  const replicas = PROFILES[ENV].vault.replicas;
  let kube: Kube;
  let node: NodeSettings;
  let dir: string;
  let namespace: string;
  let unsealing: VaultServer;
  let tls: ServerCertificate;
  let rootToken: string;
  const volumes: string[] = [];
  const figures: Record<string, number | string> = {};
  let releaseNode: (() => Promise<void>) | undefined;

  const admin = () => kube.admin;
  const pods = async () =>
    (
      await admin().get<{ items: Pod[] }>(
        `/api/v1/namespaces/${namespace}/pods?labelSelector=component%3Dserver`,
      )
    ).items;
  const helm = (args: readonly string[]) =>
    execFileSync(HELM, [...args, "-n", namespace], {
      env: { ...process.env, KUBECONFIG: kube.settings.kubeconfig },
      stdio: "pipe",
    }).toString("utf8");

  /** One Vault API call to `host` (a pod or Service address), checking the server name given. */
  function vault(
    host: string,
    serverName: string,
    method: string,
    apiPath: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, any> }> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host,
          port: 8200,
          path: `/v1/${apiPath}`,
          method,
          servername: serverName,
          ca: fs.readFileSync(tls.caFile),
          headers: rootToken ? { "X-Vault-Token": rootToken } : {},
          timeout: 2000,
        },
        (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString("utf8")));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }
  // Node's TLS refuses the wildcard `*.vault-internal` (two labels) that Vault's own Go client
  // accepts for the servers' peer names: pods are addressed by IP with the Service's name, also in
  // the certificate, as `npm run vault:init` does.
  const podVault = (pod: Pod, method: string, apiPath: string, body?: unknown) =>
    vault(pod.status.podIP!, `${RELEASE_NAME}.${namespace}.svc`, method, apiPath, body);

  /** Every server Ready (initialised, unsealed: the chart's readiness probe), with its pod. */
  const allReady = (timeoutMs: number) =>
    waitUntil(
      `${replicas} Vault pods Ready`,
      async () => {
        const list = await pods();
        return list.length === replicas && list.every(ready) ? list : undefined;
      },
      timeoutMs,
      async () => JSON.stringify((await pods()).map((p) => [p.metadata.name, ready(p)])),
    );

  before(async function () {
    requireVault(this);
    requireCharts(this);
    ({ kube, node } = await requireNode(this));
    // One suite of pods at a time on the 2-core node (ESO's suites hold the same lock).
    releaseNode = await lockClusterWideObjects();
    if (!node.images.vault)
      throw new Error("the node has no Vault image: run scripts/vault-env.sh, then scripts/kube-node-env.sh");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-vault-pods-"));
    namespace = uniqueName("sp-vault");

    // The unsealing Vault, prepared as docs/runbooks/vault-transit-unseal.md says, where pods reach it.
    const base = transitUnsealCatalog(ENV);
    const transit = base.vault!.transitUnseal!;
    const unsealer = await startUnsealingVault(dir, base, node.ip);
    unsealing = unsealer.server;

    // The catalog, localised; the program renders the release's values from it.
    const input = structuredClone(base) as Record<string, any>;
    input.vault.namespace = namespace;
    input.vault.transitUnseal = { ...transit, address: unsealing.tlsAddress };
    const cluster = input.kubernetes.clusters.find((c: { name: string }) => c.name === input.vault.cluster);
    cluster.images = { ...cluster.images, vault: node.images.vault };
    cluster.singleNode = true;
    const catalog = validateCatalog(input);
    const release = (await recordVault(catalog)).find(
      (r) =>
        r.type === "kubernetes:helm.sh/v3:Release" && (r.inputs as { name?: string }).name === RELEASE_NAME,
    )!;
    const values = release.inputs.values as Record<string, any>;
    fs.writeFileSync(path.join(dir, "values.json"), JSON.stringify(values));

    // The namespace, the Secrets the pods mount, and a volume per claim.
    await admin().post("/api/v1/namespaces", { metadata: { name: namespace } });
    tls = issueServerCertificate(path.join(dir, "tls"), serverDnsNames(namespace, catalog.vault!.address), [
      "127.0.0.1",
    ]);
    const secret = (name: string, files: Record<string, string>) =>
      admin().post(`/api/v1/namespaces/${namespace}/secrets`, {
        metadata: { name },
        data: Object.fromEntries(
          Object.entries(files).map(([k, f]) => [k, fs.readFileSync(f).toString("base64")]),
        ),
      });
    const tlsVolume = (values.server.volumes as Array<{ name: string; secret: { secretName: string } }>).find(
      (v) => v.name === "tls",
    )!;
    await secret(tlsVolume.secret.secretName, {
      "tls.crt": tls.certFile,
      "tls.key": tls.keyFile,
      "ca.crt": tls.caFile,
    });
    // The seal's token: the operator's Secret, as the runbook makes it (the token in a 0600 file).
    fs.writeFileSync(path.join(dir, "seal-token"), unsealer.token, { mode: 0o600 });
    await secret(transit.tokenSecretName, { token: path.join(dir, "seal-token") });
    // The unsealing Vault's CA: the program's ConfigMap (not created by helm install).
    await admin().post(`/api/v1/namespaces/${namespace}/configmaps`, {
      metadata: { name: TRANSIT_SEAL_CA_CONFIG_MAP },
      data: { "ca.crt": fs.readFileSync(unsealer.caFile, "utf8") },
    });
    const volumeDir = path.join(PROJECT_DIR, ".integration", "node", "volumes", namespace);
    for (let i = 0; i < replicas; i++)
      for (const [claim, size] of [
        ["data", values.server.dataStorage.size],
        ["audit", values.server.auditStorage.size],
      ]) {
        const hostPath = path.join(volumeDir, `${claim}-${i}`);
        fs.mkdirSync(hostPath, { recursive: true, mode: 0o777 });
        fs.chmodSync(hostPath, 0o777); // the server runs as the image's user
        const name = `${namespace}-${claim}-${i}`;
        await admin().post("/api/v1/persistentvolumes", {
          metadata: { name },
          spec: {
            capacity: { storage: size },
            accessModes: ["ReadWriteOnce"],
            persistentVolumeReclaimPolicy: "Retain",
            hostPath: { path: hostPath, type: "Directory" },
            claimRef: { namespace, name: `${claim}-${RELEASE_NAME}-${i}` },
          },
        });
        volumes.push(name);
      }

    // The operators' keys and the stack file the runbook's command reads.
    const keys = new OperatorKeys(path.join(dir, "gnupg"));
    const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${ENV}.yaml`), "utf8"));
    const stackCatalog = doc.config["secrets-platform:catalog"];
    Object.assign(stackCatalog.vault, {
      unseal: "transit",
      transitUnseal: input.vault.transitUnseal,
      namespace,
    });
    stackCatalog.vault.operators = catalog.vault!.operators!.map((o) => {
      const file = path.join(dir, path.basename(o.pgpKeyFile));
      keys.create(o.name, file);
      return { name: o.name, pgpKeyFile: file };
    });
    fs.writeFileSync(path.join(dir, `Pulumi.${ENV}-pods.yaml`), YAML.stringify(doc));
  });

  after(async () => {
    try {
      if (namespace) {
        execFileSync(HELM, ["uninstall", RELEASE_NAME, "-n", namespace, "--wait"], {
          env: { ...process.env, KUBECONFIG: kube.settings.kubeconfig },
          stdio: "ignore",
        });
      }
    } catch {
      // not installed
    }
    if (namespace) await removeNamespace(kube.admin, namespace).catch(() => undefined);
    for (const pv of volumes)
      await kube.admin.delete(`/api/v1/persistentvolumes/${pv}`).catch(() => undefined);
    await unsealing?.stop();
    console.log(`      figures: ${JSON.stringify(figures)}`);
    if (namespace)
      fs.rmSync(path.join(PROJECT_DIR, ".integration", "node", "volumes", namespace), {
        recursive: true,
        force: true,
      });
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await releaseNode?.();
  });

  it("forms: npm run vault:init initialises it, every server unseals through transit and joins one raft cluster over TLS", async () => {
    const started = Date.now();
    let lastHealth = "none";
    helm(["install", RELEASE_NAME, CHART_DIRS.vault, "-f", path.join(dir, "values.json")]);
    const first = await waitUntil(
      "vault-0 running, uninitialised",
      async () => {
        const pod = (await pods()).find((p) => p.metadata.name === `${RELEASE_NAME}-0`);
        if (!pod?.status.podIP) return undefined;
        const health = await podVault(pod, "GET", "sys/health").catch((err: Error) => {
          lastHealth = err.message;
          return undefined;
        });
        if (health) lastHealth = `HTTP ${health.status}`;
        return health?.status === 501 ? pod : undefined; // 501: not initialised
      },
      180_000,
      async () =>
        `last sys/health: ${lastHealth}; pods: ${JSON.stringify((await pods()).map((p) => [p.metadata.name, p.status]))}`,
    );
    const io = { out: "", err: "" };
    const code = await vaultInit(
      [
        "--stack-file",
        path.join(dir, `Pulumi.${ENV}-pods.yaml`),
        "--address",
        `https://${first.status.podIP}:8200`,
        "--ca-file",
        tls.caFile,
      ],
      { out: (t) => (io.out += t), err: (t) => (io.err += t) },
    );
    assert.equal(code, 0, io.err);
    const init = JSON.parse(io.out) as { recovery_keys_b64: string[]; root_token: string };
    assert.ok(init.recovery_keys_b64.length >= 1);
    const keys = new OperatorKeys(path.join(dir, "gnupg"));
    rootToken = keys.decrypt(init.root_token);
    const list = await allReady(300_000);
    figures.formationSeconds = Math.round((Date.now() - started) / 1000);
    await waitUntil(
      "three raft voters",
      async () => {
        const peers = await podVault(list[0], "GET", "sys/storage/raft/configuration");
        const servers = (peers.json.data?.config?.servers ?? []) as Array<{
          node_id: string;
          address: string;
          voter: boolean;
        }>;
        return servers.length === replicas && servers.every((s) => s.voter) ? servers : undefined;
      },
      60_000,
    ).then((servers) =>
      assert.deepEqual(
        servers.map((s) => s.address).sort(),
        Array.from({ length: replicas }, (_, i) => `${RELEASE_NAME}-${i}.${RELEASE_NAME}-internal:8201`),
      ),
    );
    for (const pod of list) {
      const status = await podVault(pod, "GET", "sys/seal-status");
      assert.equal(status.json.sealed, false, pod.metadata.name);
      assert.equal(status.json.type, "transit");
      assert.equal(status.json.version, node.images.vault.split(":")[1]);
    }
  });

  it("comes back unsealed and serving after every pod is deleted at once, with no human step", async () => {
    const before = new Set((await pods()).map((p) => p.metadata.uid));
    const started = Date.now();
    for (let i = 0; i < replicas; i++)
      await admin().delete(`/api/v1/namespaces/${namespace}/pods/${RELEASE_NAME}-${i}`);
    const list = await waitUntil(
      "new pods, all Ready",
      async () => {
        const now = await pods();
        return now.length === replicas && now.every((p) => ready(p) && !before.has(p.metadata.uid))
          ? now
          : undefined;
      },
      300_000,
    );
    figures.restartAllSeconds = Math.round((Date.now() - started) / 1000);
    for (const pod of list) assert.equal((await podVault(pod, "GET", "sys/seal-status")).json.sealed, false);
  });

  it("loses its leader under 25 reads per second without a failed read (a client that retries)", async () => {
    const list = await allReady(60_000);
    const service = await admin().get<{ spec: { clusterIP: string } }>(
      `/api/v1/namespaces/${namespace}/services/${RELEASE_NAME}`,
    );
    const host = service.spec.clusterIP;
    const serverName = `${RELEASE_NAME}.${namespace}.svc`;
    // Writes go to the active server's Service, once its endpoint is there (Vault labels the
    // active pod through the Kubernetes API: service_registration "kubernetes"), retried while a
    // new KV v2 mount upgrades itself.
    const active = (
      await admin().get<{ spec: { clusterIP: string } }>(
        `/api/v1/namespaces/${namespace}/services/${RELEASE_NAME}-active`,
      )
    ).spec.clusterIP;
    const write = async (apiPath: string, body: unknown, ok: (status: number) => boolean) => {
      const answer = await vault(active, serverName, "POST", apiPath, body).catch(() => undefined);
      return answer && ok(answer.status) ? true : undefined;
    };
    await waitUntil(
      "the KV mount",
      () =>
        write("sys/mounts/kv-probe", { type: "kv", options: { version: "2" } }, (s) => s < 300 || s === 400),
      60_000,
    );
    await waitUntil(
      "a KV write",
      () => write("kv-probe/data/app", { data: { setting: "on" } }, (s) => s === 200),
      60_000,
    );
    // After the restart, leadership may still be settling.
    const leader = await waitUntil(
      "the active server",
      async () => {
        for (const pod of list) if ((await podVault(pod, "GET", "sys/leader")).json.is_self) return pod;
        return undefined;
      },
      60_000,
    );

    const counts = { reads: 0, firstAttemptFailures: 0, failed: 0 };
    let running = true;
    const inflight: Array<Promise<void>> = [];
    const read = async () => {
      const deadline = Date.now() + 10_000;
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await vault(host, serverName, "GET", "kv-probe/data/app");
          if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
          return;
        } catch {
          if (attempt === 0) counts.firstAttemptFailures++;
          if (Date.now() > deadline) {
            counts.failed++;
            return;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    // A fixed schedule (read n at n / READS_PER_SECOND s), so that a busy machine delays reads
    // but does not thin them out.
    const loadStarted = Date.now();
    const loop = (async () => {
      while (running) {
        counts.reads++;
        inflight.push(read());
        const next = loadStarted + (counts.reads * 1000) / READS_PER_SECOND;
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      }
    })();
    await new Promise((r) => setTimeout(r, 3000));
    const started = Date.now();
    await admin().delete(`/api/v1/namespaces/${namespace}/pods/${leader.metadata.name}`);
    await waitUntil(
      "another server active",
      async () => {
        const answer = await vault(host, serverName, "GET", "sys/leader").catch(() => undefined);
        const address = answer?.json.leader_address as string | undefined;
        return address && !address.includes(`${leader.metadata.name}.`) ? true : undefined;
      },
      60_000,
    );
    figures.newActiveMs = Date.now() - started;
    await new Promise((r) => setTimeout(r, 8000));
    running = false;
    await loop;
    await Promise.all(inflight);
    Object.assign(figures, counts);
    const rate = counts.reads / ((Date.now() - loadStarted) / 1000);
    assert.ok(rate >= 20, `${rate.toFixed(1)} reads/s: ${JSON.stringify(counts)}`);
    assert.equal(counts.failed, 0, JSON.stringify(counts));
    await allReady(180_000);
  });

  it("voluntary evictions respect the disruption budget: one server at a time", async () => {
    const list = await allReady(60_000);
    const evict = (pod: Pod) =>
      admin().post(`/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/eviction`, {
        apiVersion: "policy/v1",
        kind: "Eviction",
        metadata: { name: pod.metadata.name, namespace },
      });
    await waitUntil(
      "the budget allows one disruption",
      async () => {
        const pdb = await admin().get<{ status?: { disruptionsAllowed?: number } }>(
          `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/${RELEASE_NAME}`,
        );
        return pdb.status?.disruptionsAllowed === 1 ? true : undefined;
      },
      60_000,
    );
    await evict(list[1]);
    // The second eviction, while the first server is away, is refused (429 Too Many Requests).
    await assert.rejects(evict(list[2]), (err) => err instanceof KubeError && err.status === 429);
    await allReady(180_000);
  });
});
