/**
 * The External Secrets Operator controller as an integration engine: scripts/eso-env.sh builds
 * it from source (v0.16.2) and caches it; test/engine/eso.ts runs it out of cluster against the
 * real API server of scripts/kube-env.sh. With the CRDs of the external-secrets 2.9.0 chart
 * applied here, a SecretStore for a real Vault (KV v2, Kubernetes auth with a TokenRequest token
 * of a service account, audience `vault`, reviewed by the API server) syncs an ExternalSecret
 * into a Kubernetes Secret, a missing key makes the ExternalSecret Ready=False with the reason
 * in its condition and the controller's log, and a VaultDynamicSecret generator (the kind the
 * platform uses for database credentials) writes what Vault generates.
 *
 * The platform-level suites (stores made by `pulumi up` of the local stack) are elsewhere; this
 * one only shows the engine works, with stores and objects made by hand.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { missingEngine, readSettingsFile } from "../integration/engines";
import { requireVault, startVault, type VaultServer } from "../integration/vault/live/server";
import { PROJECT_DIR } from "../support/offline";
import {
  type AppliedCrds,
  applyCrds,
  ESO_CRDS_DIR,
  type EsoController,
  esoPath,
  esoSettings,
  removeCrds,
  requireEso,
  startEsoController,
  waitForCondition,
  waitForExternalSecret,
} from "./eso";
import {
  createNamespace,
  createReviewer,
  createServiceAccount,
  type Kube,
  KubeError,
  removeNamespace,
  requireKube,
  uniqueName,
} from "./kube";
import { lockClusterWideObjects } from "./cluster-lock";

const SCRIPT = path.join(PROJECT_DIR, "scripts", "eso-env.sh");

function run(args: string[], env: Record<string, string>, timeout = 60_000) {
  return spawnSync("bash", [SCRIPT, ...args], { env: { ...process.env, ...env }, encoding: "utf8", timeout });
}

describe("scripts/eso-env.sh", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-eso-env-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("an unknown argument is refused with the usage", () => {
    const result = run(["--bogus"], { XDG_CACHE_HOME: path.join(dir, "cache") });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /eso-env: unknown argument '--bogus' \(usage: eso-env.sh\)/);
  });

  it("without Go it names the missing toolchain and builds nothing", () => {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    for (const tool of ["bash", "dirname"]) {
      const found = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
      fs.symlinkSync(found, path.join(bin, tool));
    }
    const cache = path.join(dir, "empty-cache");
    const result = run([], { PATH: bin, XDG_CACHE_HOME: cache });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /eso-env: Go is not installed/);
    assert.ok(!fs.existsSync(path.join(cache, "secrets-platform", "eso")), "nothing built");
  });

  it("a second run reuses the cached controller: no build, seconds, the same binary in eso.env", function () {
    if (!esoSettings()) {
      const message =
        "the ESO controller is not built; run scripts/eso-env.sh (or scripts/integration-env.sh)";
      missingEngine(this, message);
    }
    const started = Date.now();
    // The real cache (not a scratch one): what is measured is reuse of the build made before.
    const result = run([], {}, 120_000);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /building/);
    assert.ok(seconds < 15, `took ${seconds} s`);
    const settings = readSettingsFile(path.join(PROJECT_DIR, ".integration", "eso.env"));
    assert.equal(settings.SP_ESO_VERSION, "0.16.2");
    assert.match(
      settings.SP_ESO_CONTROLLER,
      /secrets-platform\/eso\/external-secrets\/0\.16\.2-[0-9a-f]{16}\/external-secrets$/,
    );
    assert.ok(fs.statSync(settings.SP_ESO_CONTROLLER).mode & 0o100, "executable");
    assert.match(
      result.stdout,
      new RegExp(`external-secrets controller v0\\.16\\.2 at ${settings.SP_ESO_CONTROLLER}`),
    );
  });
});

describe("the ESO controller v0.16.2 against the API server and a real Vault", function () {
  this.timeout(600_000);
  const AUDIENCE = "vault";
  const MOUNT = "kubernetes";
  const ROLE = "eso-app";
  let kube: Kube;
  let crds: AppliedCrds | undefined;
  let workDir: string | undefined;
  let vault: VaultServer | undefined;
  let ns: string | undefined;
  let reviewerBinding: string | undefined;
  let controller: EsoController | undefined;
  let releaseCluster: (() => Promise<void>) | undefined;
  const made: string[] = []; // API paths of the objects made here, deleted in reverse
  // A class of its own: other controllers on this shared API server leave its store alone.
  const controllerClass = uniqueName("sp-eso-test");
  const password = randomBytes(18).toString("base64url");

  const secretData = async (name: string) =>
    (await kube.admin.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${ns}/secrets/${name}`))
      .data ?? {};
  const decode = (value: string | undefined) => Buffer.from(value ?? "", "base64").toString("utf8");
  async function create(
    plural: string,
    body: { metadata: { name: string } },
    group = "external-secrets.io/v1",
  ) {
    await kube.admin.post(`/apis/${group}/namespaces/${ns}/${plural}`, body);
    made.push(esoPath(plural, ns!, body.metadata.name, group));
  }
  const externalSecret = (name: string, spec: Record<string, unknown>) =>
    create("externalsecrets", {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name },
      spec: { refreshInterval: "1h", target: { name, creationPolicy: "Owner" }, ...spec },
    } as { metadata: { name: string } });

  before(async function () {
    requireEso(this);
    requireVault(this);
    kube = await requireKube(this);
    if (!fs.existsSync(ESO_CRDS_DIR)) {
      const message = `no ESO CRDs in ${ESO_CRDS_DIR}; copy them with scripts/charts-env.sh`;
      missingEngine(this, message);
    }
    // The CRDs are the cluster's, and the local platform installs and removes them too.
    releaseCluster = await lockClusterWideObjects();
    crds = await applyCrds(kube.admin);

    // The cluster's side: a namespace, the workload's service account, Vault's reviewer.
    ns = uniqueName("sp-eso");
    await createNamespace(kube.admin, ns);
    await createServiceAccount(kube.admin, ns, "app");
    const reviewer = await createReviewer(kube.admin, ns, "vault-reviewer");
    reviewerBinding = reviewer.bindingPath;

    // Vault's side: Kubernetes auth reviewing logins on this API server, one role for that
    // account and audience, a policy reading one KV path and generating random bytes.
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-eso-"));
    vault = await startVault(workDir);
    await vault.root.write(`sys/auth/${MOUNT}`, { type: "kubernetes" });
    await vault.root.write(`auth/${MOUNT}/config`, {
      kubernetes_host: kube.settings.url,
      kubernetes_ca_cert: kube.caPem,
      token_reviewer_jwt: reviewer.token,
      disable_local_ca_jwt: true,
    });
    await vault.root.request("PUT", "sys/policies/acl/eso-app", {
      policy:
        'path "secret/data/app/*" { capabilities = ["read"] }\npath "sys/tools/random/32" { capabilities = ["update"] }\n',
    });
    await vault.root.write(`auth/${MOUNT}/role/${ROLE}`, {
      bound_service_account_names: ["app"],
      bound_service_account_namespaces: [ns],
      audience: AUDIENCE,
      token_policies: ["eso-app"],
      token_ttl: "10m",
    });
    // The dev server mounts KV v2 at secret/.
    await vault.root.write("secret/data/app/config", { data: { password, user: "app" } });

    controller = await startEsoController({
      kubeconfig: kube.settings.kubeconfig,
      namespace: ns,
      controllerClass,
    });

    const provider = {
      vault: {
        server: vault.root.address,
        path: "secret",
        version: "v2",
        auth: {
          kubernetes: {
            mountPath: MOUNT,
            role: ROLE,
            serviceAccountRef: { name: "app", audiences: [AUDIENCE] },
          },
        },
      },
    };
    await create("secretstores", {
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: { name: "vault" },
      spec: { controller: controllerClass, provider },
    } as { metadata: { name: string } });
    await create(
      "vaultdynamicsecrets",
      {
        apiVersion: "generators.external-secrets.io/v1alpha1",
        kind: "VaultDynamicSecret",
        metadata: { name: "random" },
        spec: {
          controller: controllerClass,
          method: "POST",
          path: "sys/tools/random/32",
          parameters: { format: "hex" },
          provider: provider.vault,
        },
      } as { metadata: { name: string } },
      "generators.external-secrets.io/v1alpha1",
    );
  });

  after(async () => {
    // Every step runs whatever failed before it (a live Vault child would keep mocha waiting);
    // failures are reported together at the end.
    const failures: unknown[] = [];
    const step = async (what: () => Promise<unknown> | unknown) => {
      try {
        await what();
      } catch (err) {
        failures.push(err);
      }
    };
    // Objects first, while the controller runs (it owns their finalizers, if any); the
    // namespace's removal (the controller manager empties it) takes what they made.
    for (const apiPath of made.reverse())
      await step(() =>
        kube.admin.delete(apiPath).catch((err) => {
          if (!(err instanceof KubeError && err.status === 404)) throw err;
        }),
      );
    await step(() => controller?.stop());
    await step(() => vault?.stop());
    if (reviewerBinding) await step(() => kube.admin.delete(reviewerBinding!));
    if (ns) await step(() => removeNamespace(kube.admin, ns!));
    // Last: a CRD is removed only while no object of its kind is left (removeCrds).
    if (crds?.created.length) await step(() => removeCrds(kube.admin, crds!.created));
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    if (releaseCluster) await step(releaseCluster);
    if (failures.length) throw new AggregateError(failures, failures.map(String).join("; "));
  });

  it("the SecretStore (Vault KV v2, Kubernetes auth with a TokenRequest token for audience vault) becomes Ready", async () => {
    const ready = await waitForCondition(kube.admin, esoPath("secretstores", ns!, "vault"));
    assert.equal(ready.reason, "Valid");
  });

  it("an ExternalSecret becomes Ready and its Kubernetes Secret holds the value from Vault", async () => {
    await externalSecret("app-config", {
      secretStoreRef: { name: "vault", kind: "SecretStore" },
      data: [
        { secretKey: "password", remoteRef: { key: "app/config", property: "password" } },
        { secretKey: "user", remoteRef: { key: "app/config", property: "user" } },
      ],
    });
    const ready = await waitForExternalSecret(kube.admin, ns!, "app-config");
    assert.equal(ready.reason, "SecretSynced");
    const data = await secretData("app-config");
    assert.equal(decode(data.password), password);
    assert.equal(decode(data.user), "app");
  });

  it("a missing key makes it Ready=False with the reason; the log has the error, never the value", async () => {
    const mark = controller!.mark();
    await externalSecret("missing", {
      secretStoreRef: { name: "vault", kind: "SecretStore" },
      data: [{ secretKey: "x", remoteRef: { key: "app/config", property: "no-such-property" } }],
    });
    const failed = await waitForExternalSecret(kube.admin, ns!, "missing", { status: "False" });
    assert.equal(failed.reason, "SecretSyncedError");
    const logged = await controller!.waitForEntry(
      (e) => e.level === "error" && e.ExternalSecret !== undefined,
      30_000,
      mark,
    );
    assert.match(String(logged.error), /no-such-property/);
    assert.ok(!controller!.log().includes(password), "the synced value is not in the controller's log");
  });

  it("a VaultDynamicSecret generator writes what Vault generates (a fresh value per ExternalSecret)", async () => {
    const generatorRef = {
      apiVersion: "generators.external-secrets.io/v1alpha1",
      kind: "VaultDynamicSecret",
      name: "random",
    };
    await externalSecret("random-a", { dataFrom: [{ sourceRef: { generatorRef } }] });
    await externalSecret("random-b", { dataFrom: [{ sourceRef: { generatorRef } }] });
    for (const name of ["random-a", "random-b"]) await waitForExternalSecret(kube.admin, ns!, name);
    const [a, b] = [
      decode((await secretData("random-a")).random_bytes),
      decode((await secretData("random-b")).random_bytes),
    ];
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.match(b, /^[0-9a-f]{64}$/);
    assert.notEqual(a, b);
  });
});
