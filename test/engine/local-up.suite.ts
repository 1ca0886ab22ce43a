/**
 * `npm run local:up` and `npm run local:down` as a person runs them (the package.json scripts,
 * in this repository), against the integration engines that run already
 * (SP_LOCAL_SKIP_ENGINES=1: the suite does not restart shared engines): the stack is up with
 * the policy pack, what it prints works (the Vault address with its CA, the state backend), a
 * second up is refused, and down leaves nothing of the stack on the machine.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { requireEngine } from "../integration/engines";
import { requireCharts } from "../integration/helm/charts";
import { requireVault } from "../integration/vault/live/server";
import { PROJECT_DIR } from "../support/offline";
import { type Engine, requirePulumi, runPulumi } from "./cli";
import { type Kube, KubeError, requireKube } from "./kube";
import { nodeReady, nodeSettings } from "./node";
import { ESO_NAMESPACE } from "../../components/eso/namespace";
import { CLUSTER_LOCK_HELD_BY_CALLER, lockClusterWideObjects } from "./cluster-lock";

const STATE_DIR = path.join(PROJECT_DIR, ".integration", "local", "local");

function npmRun(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", script], {
      cwd: PROJECT_DIR,
      // The suite holds the cluster-wide lock from before the first up to after the last down, so
      // no other suite changes ESO's releases between them; the tool works under that lock.
      env: { ...process.env, SP_LOCAL_SKIP_ENGINES: "1", [CLUSTER_LOCK_HELD_BY_CALLER]: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** `export NAME=value` lines local:up prints. */
const exported = (stdout: string, name: string) => new RegExp(`\\b${name}=(\\S+)`).exec(stdout)?.[1];

function vaultHealth(address: string, caFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(`${address}/v1/sys/health`, { ca: fs.readFileSync(caFile) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

describe("npm run local:up / local:down", function () {
  this.timeout(3_000_000);
  let engine: Engine;
  let kube: Kube;
  let up: Awaited<ReturnType<typeof npmRun>>;
  let releaseCluster: (() => Promise<void>) | undefined;

  before(async function () {
    engine = requirePulumi(this);
    requireVault(this);
    requireCharts(this);
    kube = await requireKube(this);
    await requireEngine(this, "postgresql");
    await requireEngine(this, "mariadb");
    // A person's local stack is up on this machine: not the suite's to take down.
    if (fs.existsSync(path.join(STATE_DIR, "local.json"))) this.skip();
    releaseCluster = await lockClusterWideObjects();
    up = await npmRun("local:up");
  });

  after(async () => {
    try {
      if (releaseCluster && fs.existsSync(path.join(STATE_DIR, "local.json"))) await npmRun("local:down");
    } finally {
      await releaseCluster?.();
    }
  });

  it("brings the stack up with the policy pack and prints the backend, KUBECONFIG and Vault to use", async () => {
    assert.equal(up.code, 0, up.stderr.slice(-4000));
    assert.match(
      up.stdout,
      /--policy-pack \.\/policy --policy-pack-config Pulumi\.local\.policy-config\.json/,
    );
    assert.match(up.stdout, /\+ \d+ created/);
    assert.equal(exported(up.stdout, "KUBECONFIG"), kube.settings.kubeconfig);
    const backend = exported(up.stdout, "PULUMI_BACKEND_URL")!;
    const checkout = /^\s+cd (\S+)$/m.exec(up.stdout)?.[1];
    assert.ok(backend && checkout, up.stdout.slice(-2000));
    // The printed Vault answers over TLS with the printed CA.
    assert.equal(
      await vaultHealth(exported(up.stdout, "VAULT_ADDR")!, exported(up.stdout, "VAULT_CACERT")!),
      200,
    );
    // The state backend holds the stack, with no change pending.
    const preview = await runPulumi(engine, ["preview", "--expect-no-changes", "--stack", "local"], {
      cwd: checkout,
      env: {
        ...process.env,
        ...engine.env,
        PULUMI_BACKEND_URL: backend,
        KUBECONFIG: kube.settings.kubeconfig,
      },
    });
    assert.equal(preview.code, 0, preview.stdout.slice(-3000));
    // Where the node runs, the platform's releases run as pods there, all Ready (up awaited them).
    const node = nodeSettings();
    if (node && (await nodeReady(kube, node))) {
      assert.match(up.stdout, /ESO and Reloader run as pods \(runsPods: true\)/);
      type Pods = { items: Array<{ status: { conditions?: Array<{ type: string; status: string }> } }> };
      const pods = await kube.admin.get<Pods>(`/api/v1/namespaces/${ESO_NAMESPACE}/pods`);
      assert.equal(pods.items.length, 6, "ESO's two controllers, two webhooks, cert controller, Reloader");
      for (const pod of pods.items)
        assert.ok(pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
    } else assert.match(up.stdout, /no node runs: the cluster is an API server alone \(runsPods: false\)/);
    // The secrets were set on stdin: none of them is in what was printed.
    const token = fs.readFileSync(path.join(STATE_DIR, "vault-root-token"), "utf8");
    assert.ok(token.length > 0 && !up.stdout.includes(token) && !up.stderr.includes(token));
  });

  it("refuses a second up of the same stack", async () => {
    const again = await npmRun("local:up");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /the stack local is up already; npm run local:down -- local first/);
  });

  it("local:down destroys the stack and leaves nothing of it", async () => {
    const record = JSON.parse(fs.readFileSync(path.join(STATE_DIR, "local.json"), "utf8")) as {
      vaultPid: number;
      reviewerBindings: string[];
    };
    const down = await npmRun("local:down");
    assert.equal(down.code, 0, down.stderr.slice(-4000));
    assert.match(down.stdout, /- \d+ deleted/);
    assert.ok(!fs.existsSync(STATE_DIR));
    for (let i = 0; i < 50 && fs.existsSync(`/proc/${record.vaultPid}`); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(!fs.existsSync(`/proc/${record.vaultPid}`), "the stack's Vault still runs");
    for (const binding of record.reviewerBindings)
      await assert.rejects(kube.admin.get(binding), (err) => err instanceof KubeError && err.status === 404);
    const again = await npmRun("local:down");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /the stack local is not up here/);
  });
});
