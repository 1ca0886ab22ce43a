/**
 * The shipped `local` stack with its cluster running pods (`runsPods: true`, the mode of every
 * shipped stack), through the real Pulumi engine onto the one-node cluster of
 * scripts/kube-env.sh and scripts/kube-node-env.sh: `pulumi up` installs ESO's and Reloader's
 * Helm releases as dev/staging/prod do (atomic, awaited, ESO's admission webhook and cert
 * controller on) from the images built here and imported on the node, and every pod of them
 * becomes Ready. ESO's controller, running as a pod, syncs the stack's ExternalSecrets from Vault
 * (a dev server on this machine whose TLS listener is on the node's address, the pods' gateway); a
 * workload pod reads its delivered Secret from its environment; a value changed in Vault reaches
 * the Secret, Reloader restarts the workload and the new pod sees the new value (the time from
 * the Vault write to that is printed); ESO's webhook refuses a store that points at another
 * namespace. Then `preview --expect-no-changes`, and `destroy` from a second checkout leaves no
 * pod, release, CRD or namespace of ours.
 *
 * A workload's pod prints only a SHA-256 digest of the value it reads, never the value.
 */
import * as assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { ESO_NAMESPACE } from "../../components/eso/namespace";
import { secretStoreName } from "../../components/eso/stores";
import { kubernetesSecretName, vaultNames } from "../../stacks/naming";
import { type Engine, fileBackend, Project, requirePulumi } from "./cli";
import { esoPath, waitForExternalSecret } from "./eso";
import { KubeError } from "./kube";
import { declaredKubeObjects, keyOf, KubeObjects, type KubeRef } from "./kube-objects";
import {
  copyCommittedFiles,
  type LocalPlatform,
  offlinePreview,
  POLICY,
  STACK,
  STACK_FILE,
  startLocalPlatform,
} from "./local-platform";
import { crictl, waitUntil } from "./node";

interface Pod {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { containers: Array<{ image: string }> };
  status: {
    phase?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ name: string; restartCount: number; ready: boolean }>;
  };
}
type List<T> = { items: T[] };

const ready = (pod: Pod) =>
  pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
const digest = (value: string) => createHash("sha256").update(value).digest("hex");
/** The workload's Deployment: it prints the digest of the value it got from its Secret. */
const WORKLOAD = "orders-api";

describe("the local stack's releases running as pods on the one-node cluster", function () {
  this.timeout(3_000_000);
  let engine: Engine;
  let platform: LocalPlatform;
  let backend: ReturnType<typeof fileBackend>;
  let first: Project;
  let second: Project | undefined;
  let stackFile: string;
  let kubeDeclared: KubeRef[];

  const admin = () => platform.kube.admin;
  const podsOf = async (namespace: string, selector?: string) =>
    (
      await admin().get<List<Pod>>(
        `/api/v1/namespaces/${namespace}/pods${selector ? `?labelSelector=${encodeURIComponent(selector)}` : ""}`,
      )
    ).items;
  const describePods = async (namespace: string) =>
    (await podsOf(namespace))
      .map(
        (p) =>
          `${p.metadata.name}: ${p.status.phase} ready=${ready(p)} restarts=${(p.status.containerStatuses ?? []).map((c) => c.restartCount).join(",")}`,
      )
      .join("; ");

  before(async function () {
    engine = requirePulumi(this);
    platform = await startLocalPlatform(this, { pods: true });
    backend = fileBackend();
    first = Project.create(engine, backend.url, "first", platform.env);
    stackFile = await platform.initStack(first);
  });

  after(async () => {
    await platform?.stop();
    first?.remove();
    second?.remove();
    backend?.remove();
  });

  it("the stack's cluster runs pods, from the images imported on the node", () => {
    const [cluster] = platform.catalog().kubernetes.clusters;
    assert.equal(cluster.runsPods, true);
    assert.match(
      cluster.images?.externalSecrets ?? "",
      /^secrets-platform\.invalid\/external-secrets:v\d+\.\d+\.\d+$/,
    );
    assert.match(cluster.images?.reloader ?? "", /^secrets-platform\.invalid\/reloader:v\d+\.\d+\.\d+$/);
  });

  it("pulumi up installs the releases atomic and awaited: every pod of ESO (controller, webhook, cert controller) and Reloader is Ready", async () => {
    kubeDeclared = declaredKubeObjects(await offlinePreview(first));
    const started = Date.now();
    await first.run(["up", "--yes", "--stack", STACK, ...POLICY]);
    console.log(`      pulumi up with the releases awaited: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const pods = await podsOf(ESO_NAMESPACE);
    const components = pods.map((p) => p.metadata.labels?.["app.kubernetes.io/name"]).sort();
    // Two controllers and two webhooks (a disruption budget of one each), one cert controller, Reloader.
    assert.deepEqual(
      components,
      [
        "external-secrets",
        "external-secrets",
        "external-secrets-cert-controller",
        "external-secrets-webhook",
        "external-secrets-webhook",
        "reloader",
      ].sort(),
      await describePods(ESO_NAMESPACE),
    );
    for (const pod of pods) {
      assert.ok(ready(pod), `${pod.metadata.name} is not Ready: ${await describePods(ESO_NAMESPACE)}`);
      for (const container of pod.spec.containers)
        assert.match(container.image, /^secrets-platform\.invalid\//);
    }
    // The cert controller has put the webhook's CA into its configuration: the API server calls it.
    const webhooks = await admin().get<
      List<{ metadata: { name: string }; webhooks: Array<{ clientConfig: { caBundle?: string } }> }>
    >("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations");
    const eso = webhooks.items.filter((w) => /secretstore|externalsecret/.test(w.metadata.name));
    assert.ok(eso.length >= 2, JSON.stringify(eso.map((w) => w.metadata.name)));
    for (const w of eso)
      for (const hook of w.webhooks) assert.ok(hook.clientConfig.caBundle, w.metadata.name);
  });

  it("ESO's controller, as a pod, makes every ExternalSecret of the stack Ready", async () => {
    const externalSecrets = kubeDeclared.filter(
      (r) => r.type === "kubernetes:external-secrets.io/v1:ExternalSecret",
    );
    assert.ok(externalSecrets.length >= 5);
    for (const es of externalSecrets)
      await waitForExternalSecret(admin(), es.namespace!, es.name, { timeoutMs: 180_000 });
  });

  /** The workload's value in Vault, written by its team (a fresh random value each time). */
  async function writeFlag(): Promise<string> {
    const c = platform.catalog();
    const kv = vaultNames.kvMount(c);
    const value = randomBytes(12).toString("hex");
    const meta = await platform.server.root
      .read<{ current_version: number }>(`${kv}/metadata/orders/feature-flags`)
      .catch(() => undefined);
    await platform.server.root.write(`${kv}/data/orders/feature-flags`, {
      options: { cas: meta?.data.current_version ?? 0 },
      data: { beta: value },
    });
    return value;
  }

  /** The digest the workload's newest Ready pod printed, once it printed one. */
  async function workloadDigest(namespace: string): Promise<{ pod: string; digest: string } | undefined> {
    const pods = (await podsOf(namespace, `app=${WORKLOAD}`)).filter(
      (p) => ready(p) && !p.metadata.deletionTimestamp,
    );
    for (const pod of pods.reverse()) {
      const log = await admin()
        .getText(`/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/log`)
        .catch(() => "");
      const match = /^beta-sha256=([0-9a-f]{64})$/m.exec(log);
      if (match) return { pod: pod.metadata.name, digest: match[1] };
    }
    return undefined;
  }

  let firstValue: string;
  let firstPod: string;

  it("a workload pod reads the Secret ESO delivered, from its environment", async () => {
    const c = platform.catalog();
    const orders = c.workloads.find((w) => w.name === WORKLOAD)!;
    const flags = orders.secrets.find((s) => s.name === "feature-flags")!;
    firstValue = await writeFlag();
    // ESO refreshes within the stack's bound; wait for the Secret to hold the value (compared by digest).
    const secretPath = `/api/v1/namespaces/${orders.namespace}/secrets/${kubernetesSecretName(orders, flags)}`;
    await waitUntil(
      "the Secret holds the value written to Vault",
      async () => {
        const secret = await admin()
          .get<{ data?: Record<string, string> }>(secretPath)
          .catch(() => undefined);
        const beta = secret?.data?.beta;
        return beta && digest(Buffer.from(beta, "base64").toString("utf8")) === digest(firstValue)
          ? true
          : undefined;
      },
      120_000,
    );
    // The team's Deployment, opted in to Reloader; its service account is the platform's.
    await admin().post(`/apis/apps/v1/namespaces/${orders.namespace}/deployments`, {
      metadata: { name: WORKLOAD, annotations: { "reloader.stakater.com/search": "true" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: WORKLOAD } },
        template: {
          metadata: { labels: { app: WORKLOAD } },
          spec: {
            serviceAccountName: orders.serviceAccount,
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 1,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65534,
              runAsGroup: 65534,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
              {
                name: "main",
                image: platform.node!.images.busybox,
                imagePullPolicy: "Never",
                command: [
                  "/bin/sh",
                  "-c",
                  'echo "beta-sha256=$(printf %s "$BETA" | sha256sum | cut -d" " -f1)"; exec sleep 3600',
                ],
                env: [
                  {
                    name: "BETA",
                    valueFrom: { secretKeyRef: { name: kubernetesSecretName(orders, flags), key: "beta" } },
                  },
                ],
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
              },
            ],
          },
        },
      },
    });
    const seen = await waitUntil(
      "the workload's pod prints the digest of its value",
      () => workloadDigest(orders.namespace),
      120_000,
      () => describePods(orders.namespace),
    );
    assert.equal(seen.digest, digest(firstValue));
    firstPod = seen.pod;
  });

  it("a value changed in Vault reaches the Secret, Reloader restarts the workload, and the new pod sees the new value", async () => {
    const orders = platform.catalog().workloads.find((w) => w.name === WORKLOAD)!;
    const started = Date.now();
    const next = await writeFlag();
    const seen = await waitUntil(
      "a restarted pod of the workload prints the new value's digest",
      async () => {
        const now = await workloadDigest(orders.namespace);
        return now && now.digest === digest(next) ? now : undefined;
      },
      180_000,
      () => describePods(orders.namespace),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `      Vault write → restarted workload sees the new value: ${seconds.toFixed(1)} s (ESO refresh bound ${platform.catalogInput.eso?.maxRefreshSeconds} s)`,
    );
    assert.notEqual(seen.pod, firstPod, "a new pod, not the old one");
    assert.notEqual(next, firstValue);
  });

  it("ESO's webhook refuses a SecretStore that points at another namespace's service account", async () => {
    const orders = platform.catalog().workloads.find((w) => w.name === WORKLOAD)!;
    const ledger = platform.catalog().workloads.find((w) => w.name === "ledger-api")!;
    const own = await admin().get<{
      spec: { provider: { vault: { auth: { kubernetes: { serviceAccountRef: Record<string, string> } } } } };
    }>(esoPath("secretstores", orders.namespace, secretStoreName(orders, "vault")));
    const spec = structuredClone(own.spec);
    // Another team's identity: the store would log in to Vault as ledger-api.
    spec.provider.vault.auth.kubernetes.serviceAccountRef = {
      name: ledger.serviceAccount,
      namespace: ledger.namespace,
    };
    await assert.rejects(
      admin().post(`/apis/external-secrets.io/v1/namespaces/${orders.namespace}/secretstores`, {
        apiVersion: "external-secrets.io/v1",
        kind: "SecretStore",
        metadata: { name: "borrowed-identity" },
        spec,
      }),
      (err) =>
        err instanceof KubeError &&
        /admission webhook "validate\.secretstore\.external-secrets\.io" denied the request/.test(
          err.message,
        ) &&
        /namespace/.test(err.message),
    );
  });

  it("the API server refuses a misspelt ExternalSecret field, as kubectl's strict validation asks", async () => {
    const orders = platform.catalog().workloads.find((w) => w.name === WORKLOAD)!;
    await assert.rejects(
      admin().post(
        `/apis/external-secrets.io/v1/namespaces/${orders.namespace}/externalsecrets?fieldValidation=Strict`,
        {
          apiVersion: "external-secrets.io/v1",
          kind: "ExternalSecret",
          metadata: { name: "typo" },
          spec: {
            refreshIntervall: "1h",
            secretStoreRef: { kind: "SecretStore", name: secretStoreName(orders, "vault") },
            target: { name: "typo" },
            dataFrom: [{ extract: { key: "orders/feature-flags" } }],
          },
        },
      ),
      (err) => err instanceof KubeError && /unknown field "spec\.refreshIntervall"/.test(err.message),
    );
  });

  it("after up, preview with the policy pack shows no changes", async () => {
    await first.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
  });

  it("destroy from a second checkout leaves no pod, release, CRD or namespace of ours", async () => {
    const orders = platform.catalog().workloads.find((w) => w.name === WORKLOAD)!;
    // The team's Deployment is theirs, not the platform's: they remove it first.
    await admin().delete(`/apis/apps/v1/namespaces/${orders.namespace}/deployments/${WORKLOAD}`);
    second = Project.create(engine, backend.url, "second", platform.env);
    second.write(STACK_FILE, stackFile);
    copyCommittedFiles(first, second);
    await second.run(["stack", "select", STACK]);
    await second.run(["destroy", "--yes", "--stack", STACK]);
    const objects = new KubeObjects(admin());
    assert.deepEqual((await objects.present(kubeDeclared)).map(keyOf), []);
    const crds = await admin().get<List<{ spec: { group: string } }>>(
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    );
    assert.deepEqual(
      crds.items.filter((c) => c.spec.group.endsWith("external-secrets.io")),
      [],
    );
    const namespaces = new Set([ESO_NAMESPACE, ...platform.catalog().workloads.map((w) => w.namespace)]);
    await waitUntil(
      "the namespaces of the stack are gone, with their pods",
      async () => {
        const left = (await admin().get<List<{ metadata: { name: string } }>>("/api/v1/namespaces")).items
          .map((n) => n.metadata.name)
          .filter((n) => namespaces.has(n));
        return left.length === 0 ? true : undefined;
      },
      180_000,
    );
    // On the node itself: no sandbox (and so no container or network namespace) of those namespaces.
    await waitUntil(
      "the node runs no pod sandbox of the stack's namespaces",
      async () => {
        const { items } = crictl<{ items: Array<{ metadata: { namespace: string; name: string } }> }>(
          platform.node!,
          ["pods", "-o", "json"],
        );
        return items.some((p) => namespaces.has(p.metadata.namespace)) ? undefined : true;
      },
      120_000,
    );
    const webhooks = await admin().get<List<{ metadata: { name: string } }>>(
      "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
    );
    assert.deepEqual(
      webhooks.items.filter((w) => /secretstore|externalsecret/.test(w.metadata.name)),
      [],
    );
    await second.run(["stack", "rm", "--yes", STACK]);
  });
});
