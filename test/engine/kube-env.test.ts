/**
 * scripts/kube-env.sh refuses bad set-up clearly, before taking its lock, building or starting
 * anything: an unknown argument and a missing toolchain. And the kube-controller-manager it
 * starts does the work the tests rely on: a deleted namespace is emptied and goes away
 * (namespace controller), a new one gets its `default` service account (service-account
 * controller), and an object whose owner is gone is deleted (garbage collector).
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PROJECT_DIR } from "../support/offline";
import {
  createNamespace,
  type Kube,
  type KubeClient,
  KubeError,
  removeNamespace,
  requireKube,
  uniqueName,
} from "./kube";

const SCRIPT = path.join(PROJECT_DIR, "scripts", "kube-env.sh");

function run(args: string[], env: Record<string, string>) {
  return spawnSync("bash", [SCRIPT, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("scripts/kube-env.sh on a bad set-up", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-kube-env-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("an unknown argument is refused with the usage", () => {
    const result = run(["--bogus"], { XDG_CACHE_HOME: path.join(dir, "cache") });
    assert.notEqual(result.status, 0);
    assert.match(
      result.stderr,
      /kube-env: unknown argument '--bogus' \(usage: kube-env.sh \[--build-only\]\)/,
    );
  });

  it("without Go it names the missing toolchain, builds and starts nothing", () => {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    for (const tool of ["bash", "dirname", "mkdir", "flock", "sed"]) {
      const found = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
      fs.symlinkSync(found, path.join(bin, tool));
    }
    const cache = path.join(dir, "empty-cache");
    const result = run([], { PATH: bin, XDG_CACHE_HOME: cache });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /kube-env: Go is not installed/);
    assert.ok(!fs.existsSync(path.join(cache, "secrets-platform", "kube")), "nothing built");
  });
});

/** How long the controllers get; on a busy 2-core machine they take a few seconds. */
const WITHIN_MS = 60_000;

/** Polls `apiPath` until it answers 404; returns the milliseconds it took, or throws. */
async function goneWithin(client: KubeClient, apiPath: string, ms = WITHIN_MS): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await client.get(apiPath);
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return Date.now() - started;
      throw err;
    }
    if (Date.now() - started > ms) assert.fail(`${apiPath} still exists after ${ms / 1000} s`);
    await sleep(250);
  }
}

/** Polls `apiPath` until it exists; returns it, or throws. */
async function existsWithin<T>(client: KubeClient, apiPath: string, ms = WITHIN_MS): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await client.get<T>(apiPath);
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 404)) throw err;
    }
    if (Date.now() - started > ms) assert.fail(`${apiPath} does not exist after ${ms / 1000} s`);
    await sleep(250);
  }
}

const configMap = (name: string, ownerReferences?: Array<{ name: string; uid: string }>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name,
    ...(ownerReferences
      ? { ownerReferences: ownerReferences.map((o) => ({ apiVersion: "v1", kind: "ConfigMap", ...o })) }
      : {}),
  },
  data: { note: "kube-env test" },
});

describe("scripts/kube-env.sh's controller manager", function () {
  this.timeout(300_000);
  let kube: Kube;
  const namespaces: string[] = [];

  before(async function () {
    kube = await requireKube(this);
  });

  after(async () => {
    await Promise.all(namespaces.map((ns) => removeNamespace(kube.admin, ns)));
  });

  it("a new namespace gets a default service account; deleted, it is emptied and goes away", async () => {
    const ns = uniqueName("sp-ns-controller");
    namespaces.push(ns);
    await createNamespace(kube.admin, ns);
    await existsWithin(kube.admin, `/api/v1/namespaces/${ns}/serviceaccounts/default`);
    await kube.admin.post(`/api/v1/namespaces/${ns}/configmaps`, configMap("settings"));
    await kube.admin.post(`/api/v1/namespaces/${ns}/serviceaccounts`, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "app" },
    });

    const deleted = await kube.admin.delete(`/api/v1/namespaces/${ns}`);
    assert.equal((deleted as { status?: { phase?: string } }).status?.phase, "Terminating");
    const took = await goneWithin(kube.admin, `/api/v1/namespaces/${ns}`);
    // Gone from storage, not only unlisted: a GET of a namespaced object reads it straight from
    // etcd whether or not its namespace exists (finalizing the namespace by hand left them there).
    for (const object of ["configmaps/settings", "serviceaccounts/app", "serviceaccounts/default"])
      await assert.rejects(
        kube.admin.get(`/api/v1/namespaces/${ns}/${object}`),
        (err) => err instanceof KubeError && err.status === 404,
        object,
      );
    console.log(`      namespace gone ${(took / 1000).toFixed(1)} s after its deletion`);
  });

  it("the garbage collector deletes objects whose owner is deleted, and keeps those whose owner lives", async () => {
    const ns = uniqueName("sp-gc");
    namespaces.push(ns);
    await createNamespace(kube.admin, ns);
    const configMaps = `/api/v1/namespaces/${ns}/configmaps`;
    const create = async (name: string, owners?: Array<{ name: string; uid: string }>) =>
      (await kube.admin.post<{ metadata: { uid: string } }>(configMaps, configMap(name, owners))).metadata
        .uid;

    const owner = { name: "owner", uid: await create("owner") };
    const living = { name: "living-owner", uid: await create("living-owner") };
    await create("dependent", [owner]);
    await create("kept", [living]);
    await kube.admin.delete(`${configMaps}/owner`);
    // Made after its owner was deleted: the reference names an object that no longer exists.
    await create("orphan", [owner]);

    const cascade = await goneWithin(kube.admin, `${configMaps}/dependent`);
    const dangling = await goneWithin(kube.admin, `${configMaps}/orphan`);
    const kept = await kube.admin.get<{ metadata: { ownerReferences: Array<{ uid: string }> } }>(
      `${configMaps}/kept`,
    );
    assert.deepEqual(
      kept.metadata.ownerReferences.map((o) => o.uid),
      [living.uid],
    );
    console.log(
      `      dependent collected ${(cascade / 1000).toFixed(1)} s after its owner's deletion, ` +
        `the one made afterwards ${(dangling / 1000).toFixed(1)} s later`,
    );
  });
});
