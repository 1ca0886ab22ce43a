/**
 * The shipped `local` stack through the real Pulumi engine (CLI, Node language host, the vault
 * provider built from source) against a real Vault, PostgreSQL and MariaDB: preview with the
 * policy pack, up, idempotence and drift, a catalog edit and its revert, a mandatory violation
 * that stops everything, and destroy from a second checkout that shares only the backend and
 * the committed files with the first.
 *
 * The Kubernetes side goes to the real API server (scripts/kube-env.sh) through the real
 * kubernetes provider: namespaces, service accounts, ESO's Helm releases (from the charts vendored
 * into the checkout) with their CRDs, SecretStores, generators and ExternalSecrets, which the real
 * ESO controller (scripts/eso-env.sh, out of cluster) then syncs from Vault. Kubernetes auth runs
 * against the same server: each login presents a TokenRequest token of a service account for
 * Vault's audience, and Vault has the API server review it with a reviewer account bound to
 * `system:auth-delegator` only. No kubelet runs, so no pod exists: the tokens come straight from
 * the TokenRequest API, as the kubelet would fetch them for a projected volume.
 */
import * as assert from "node:assert/strict";
import * as YAML from "yaml";
import { databaseRoles, workloadReadPaths } from "../../components/vault/plan";
import { secretStoreName } from "../../components/eso/stores";
import { kubernetesSecretName, vaultNames } from "../../stacks/naming";
import type { CatalogInput } from "../../stacks/schema";
import { mysqlSession, pgSession } from "../integration/rotation/databases";
import { VaultError } from "../integration/vault/live/server";
import { type Engine, fileBackend, type PreviewJson, Project, requirePulumi } from "./cli";
import {
  copyCommittedFiles,
  ESO_REFRESH_SECONDS,
  type LocalPlatform,
  offlinePreview,
  POLICY,
  STACK,
  STACK_FILE,
  startLocalPlatform,
  withCatalog as stackFileWith,
} from "./local-platform";
import { declaredVaultState, union, type VaultState, vaultState } from "./vault-state";
import { type EsoController, esoPath, requireEso, startEsoController, waitForExternalSecret } from "./eso";
import { KubeError } from "./kube";
import { declaredKubeObjects, keyOf, KubeObjects, type KubeRef } from "./kube-objects";

/** The CRDs the external-secrets 2.9.0 chart installs (../shared/charts/eso-crds-2.9.0). */
const ESO_CRD_COUNT = 25;

const urnsOf = (steps: ReadonlyArray<{ urn: string }>) => steps.map((s) => s.urn).sort();
const stepsWith = (preview: PreviewJson, ops: readonly string[]) =>
  (preview.steps ?? []).filter((s) => ops.includes(s.op)).map((s) => s.urn);

describe("the local stack under the real Pulumi engine", function () {
  this.timeout(3_000_000);
  let engine: Engine;
  let platform: LocalPlatform;
  let server: LocalPlatform["server"];
  let local: LocalPlatform["local"];
  let backend: ReturnType<typeof fileBackend>;
  let first: Project;
  let second: Project | undefined;
  /** The Vault before the platform: the dev server's own mounts and policies. */
  let baseline: VaultState;
  /** The stack file as the team commits it, and its catalog. */
  let stackFile: string;
  let catalogInput: CatalogInput;
  /** The ESO controller of the delivery tests. */
  let controller: EsoController | undefined;

  const withCatalog = (catalog: CatalogInput) => stackFileWith(stackFile, catalog);
  const catalog = () => platform.catalog();
  const tokenOf = (...args: Parameters<LocalPlatform["tokenOf"]>) => platform.tokenOf(...args);

  before(async function () {
    engine = requirePulumi(this);
    platform = await startLocalPlatform(this);
    ({ server, local, baseline, catalogInput } = platform);
    backend = fileBackend();
    first = Project.create(engine, backend.url, "first", platform.env);
    stackFile = await platform.initStack(first);
  });

  after(async () => {
    await controller?.stop();
    await platform?.stop();
    first?.remove();
    second?.remove();
    backend?.remove();
  });

  it("keeps every config secret encrypted in the stack file", () => {
    for (const [, password] of local.adminPasswords) assert.ok(!stackFile.includes(password));
    for (const [key, value] of platform.configSecrets) assert.ok(!stackFile.includes(value), key);
    const config = (YAML.parse(stackFile) as { config: Record<string, unknown> }).config;
    for (const key of ["vaultToken", ...local.adminPasswords.keys(), ...platform.configSecrets.keys()])
      assert.ok((config[`secrets-platform:${key}`] as { secure?: string }).secure, key);
  });

  let declared: VaultState;
  let firstUrns: string[];
  /** The Kubernetes objects the offline model declares (Helm releases included). */
  let kubeDeclared: KubeRef[];

  it("previews with the policy pack: exit 0, exactly the resources of the offline preview", async () => {
    const offline = await offlinePreview(first);
    const { value } = await first.json<PreviewJson>(["preview", "--stack", STACK, ...POLICY]);
    firstUrns = urnsOf(offline.steps);
    assert.equal((value.steps ?? []).length, offline.steps.length);
    assert.deepEqual(urnsOf(value.steps ?? []), firstUrns);
    declared = declaredVaultState(offline.steps);
    assert.ok(declared.policies.length >= 4 && declared.roles.length >= 6, JSON.stringify(declared));
    kubeDeclared = declaredKubeObjects(offline);
  });

  it("applies with the policy pack; Vault then holds exactly the declared mounts, auth methods, roles and policies", async () => {
    await first.run(["up", "--yes", "--stack", STACK, ...POLICY]);
    assert.deepEqual(await vaultState(server.root), union(baseline, declared));
  });

  it("applies the Kubernetes side with the real kubernetes provider: the API server holds every declared object", async () => {
    const kinds = new Set(kubeDeclared.map((ref) => ref.type));
    for (const type of [
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:helm.sh/v3:Release",
      "kubernetes:external-secrets.io/v1:SecretStore",
      "kubernetes:external-secrets.io/v1:ExternalSecret",
      "kubernetes:generators.external-secrets.io/v1alpha1:VaultDynamicSecret",
    ])
      assert.ok(kinds.has(type), `the local stack declares no ${type}`);
    const objects = new KubeObjects(platform.kube.admin);
    assert.deepEqual((await objects.present(kubeDeclared)).map(keyOf).sort(), kubeDeclared.map(keyOf).sort());
    // Each workload's own service account, without a token mounted by default.
    for (const w of catalog().workloads) {
      const account = await objects.get<{ automountServiceAccountToken?: boolean }>({
        type: "kubernetes:core/v1:ServiceAccount",
        namespace: w.namespace,
        name: w.serviceAccount,
      });
      assert.equal(account?.automountServiceAccountToken, false, w.name);
    }
    // The chart installed ESO's CRDs; with no pods on this server, no webhook that nobody serves.
    const crds = await platform.kube.admin.get<{ items: Array<{ spec: { group: string } }> }>(
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    );
    assert.equal(
      crds.items.filter((c) => c.spec.group.endsWith("external-secrets.io")).length,
      ESO_CRD_COUNT,
    );
    const webhooks = await platform.kube.admin.get<{ items: Array<{ metadata: { name: string } }> }>(
      "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
    );
    assert.deepEqual(
      webhooks.items.filter((w) => /secretstore|externalsecret/.test(w.metadata.name)),
      [],
    );
  });

  it("the API server's own schema refuses a misspelt ExternalSecret field: nothing applied, the stack unchanged", async () => {
    // A developer's typo in the component, as the program would run it (no type check at run time).
    const file = "components/eso/external-secrets.ts";
    const original = first.read(file);
    assert.ok(original.includes('refreshPolicy: "Periodic",'));
    first.write(
      file,
      original.replace(
        'refreshPolicy: "Periodic",',
        'refreshPolicy: "Periodic",\n      refreshIntervall: "1h",',
      ),
    );
    try {
      const up = await first.run(["up", "--yes", "--stack", STACK, ...POLICY], { allow: [255, 1] });
      assert.notEqual(up.code, 0);
      const output = up.stdout + up.stderr;
      assert.match(output, /refreshIntervall/);
      assert.match(output, /field not declared in schema|unknown field/);
    } finally {
      first.write(file, original);
    }
    await first.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
  });

  it("a workload logs in with a TokenRequest token of its own service account and reads only its own secrets", async () => {
    const c = catalog();
    const kv = vaultNames.kvMount(c);
    const orders = c.workloads.find((w) => w.name === "orders-api")!;
    const ledger = c.workloads.find((w) => w.name === "ledger-api")!;
    const reporting = c.workloads.find((w) => w.name === "orders-reporting")!;
    await server.root.write(`${kv}/data/orders/feature-flags`, {
      options: { cas: 0 },
      data: { beta: "on" },
    });
    await server.root.write(`${kv}/data/ledger/signing-key`, {
      options: { cas: 0 },
      data: { key: "k" },
    });
    const token = await tokenOf(orders);
    const own = await token.read<{ data: { beta: string } }>(`${kv}/data/orders/feature-flags`);
    assert.equal(own.data.data.beta, "on");
    await assert.rejects(
      token.read(`${kv}/data/ledger/signing-key`),
      (err) => err instanceof VaultError && err.status === 403,
    );
    await assert.rejects(token.read("sys/mounts"), (err) => err instanceof VaultError && err.status === 403);
    // Another service account cannot take orders-api's role.
    await assert.rejects(tokenOf(orders, reporting), (err) => err instanceof VaultError);
    await (await tokenOf(ledger)).read(`${kv}/data/ledger/signing-key`);
  });

  for (const engineName of ["postgresql", "mysql"] as const)
    it(`dynamic ${engineName} credentials from the engine-configured Vault log in to the real database`, async () => {
      const c = catalog();
      const role = databaseRoles(c).find(
        (r) => r.database.engine === engineName && r.access === "read-write",
      )!;
      const credsPath = `${vaultNames.databaseMount(c)}/creds/${role.name}`;
      const reader = c.workloads.find((w) => workloadReadPaths(c, w).includes(credsPath))!;
      const lease = await (await tokenOf(reader)).read<{ username: string; password: string }>(credsPath);
      const target = {
        host: role.database.host,
        port: role.database.port,
        username: lease.data.username,
        password: lease.data.password,
        dbname: role.database.database,
      };
      const count =
        engineName === "postgresql"
          ? await pgSession(
              target,
              async (db) => (await db.query("SELECT count(*) AS n FROM items")).rows[0].n,
            )
          : await mysqlSession(target, async (db) => {
              const [rows] = await db.query("SELECT count(*) AS n FROM items");
              return (rows as Array<{ n: number }>)[0].n;
            });
      assert.equal(Number(count), 1);
      await server.root.write("sys/leases/revoke", { lease_id: lease.lease_id, sync: true });
    });

  it("a second preview and a refresh find no changes (idempotent, no drift)", async () => {
    await first.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
    await first.run(["refresh", "--yes", "--expect-no-changes", "--stack", STACK]);
  });

  // Secret delivery by the real ESO controller, out of cluster (no kubelet runs its pod): started
  // by the first of these tests, it runs on, as it would in a cluster, until the suite ends (the
  // GeneratorStates it keeps for generated credentials carry its finalizer, which it removes when
  // their ExternalSecrets go at the catalog edit and at destroy).
  const admin = () => platform.kube.admin;
  const secretOf = async (namespace: string, name: string) =>
    (await admin().get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${namespace}/secrets/${name}`))
      .data ?? {};
  const decoded = (data: Record<string, string>, key: string) =>
    Buffer.from(data[key] ?? "", "base64").toString("utf8");
  /**
   * The controller the first delivery test started. Not built: skipped like that test (a
   * failure under CI=true); not started, or exited since: a failure, never a skip.
   */
  const runningController = (ctx: Mocha.Context): EsoController => {
    requireEso(ctx);
    if (!controller) throw new Error("the ESO controller was not started: the first delivery test failed");
    if (!controller.running()) throw new Error(`the ESO controller exited; see ${controller.logFile}`);
    return controller;
  };

  it("ESO's controller makes every ExternalSecret of the stack Ready; each KV Secret holds Vault's value", async function () {
    requireEso(this);
    controller = await startEsoController({
      kubeconfig: platform.kube.settings.kubeconfig,
      clusterSecretStores: true,
      clusterExternalSecrets: false,
      pushSecrets: false,
      clusterPushSecrets: false,
    });
    const externalSecrets = kubeDeclared.filter(
      (r) => r.type === "kubernetes:external-secrets.io/v1:ExternalSecret",
    );
    assert.ok(externalSecrets.length >= 5);
    for (const es of externalSecrets)
      await waitForExternalSecret(admin(), es.namespace!, es.name, { timeoutMs: 90_000 });
    const c = catalog();
    const orders = c.workloads.find((w) => w.name === "orders-api")!;
    const flags = orders.secrets.find((s) => s.name === "feature-flags")!;
    const data = await secretOf(orders.namespace, kubernetesSecretName(orders, flags));
    assert.equal(decoded(data, "beta"), "on");
  });

  it("a value changed in Vault reaches the Kubernetes Secret within the refresh interval", async function () {
    runningController(this);
    const c = catalog();
    const orders = c.workloads.find((w) => w.name === "orders-api")!;
    const flags = orders.secrets.find((s) => s.name === "feature-flags")!;
    const kv = vaultNames.kvMount(c);
    const { data: meta } = await server.root.read<{ current_version: number }>(
      `${kv}/metadata/orders/feature-flags`,
    );
    await server.root.write(`${kv}/data/orders/feature-flags`, {
      options: { cas: meta.current_version },
      data: { beta: "off" },
    });
    const started = Date.now();
    let value = "";
    while (Date.now() - started < (ESO_REFRESH_SECONDS + 30) * 1000) {
      value = decoded(await secretOf(orders.namespace, kubernetesSecretName(orders, flags)), "beta");
      if (value === "off") break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(value, "off", `not refreshed within ${ESO_REFRESH_SECONDS + 30} s`);
  });

  it("dynamic PostgreSQL credentials delivered by ESO log in to the database", async function () {
    runningController(this);
    const c = catalog();
    const orders = c.workloads.find((w) => w.name === "orders-api")!;
    const db = orders.secrets.find((s) => s.source === "vault-database")!;
    const database = c.databases.find((d) => d.engine === "postgresql")!;
    const data = await secretOf(orders.namespace, kubernetesSecretName(orders, db));
    const count = await pgSession(
      {
        host: database.host,
        port: database.port,
        username: decoded(data, "username"),
        password: decoded(data, "password"),
        dbname: database.database,
      },
      async (session) => (await session.query("SELECT count(*) AS n FROM items")).rows[0].n,
    );
    assert.equal(Number(count), 1);
    assert.match(decoded(data, "DATABASE_URL"), /^postgresql:\/\//);
  });

  it("a store whose workload is not granted the path ends in a sync error, not a Secret", async function () {
    const eso = runningController(this);
    // In ledger-api's namespace, an ExternalSecret that asks ledger-api's store for orders' flags.
    const ledger = catalog().workloads.find((w) => w.name === "ledger-api")!;
    const name = "stolen-orders-flags";
    await admin().post(esoPath("externalsecrets", ledger.namespace, "").replace(/\/$/, ""), {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name, namespace: ledger.namespace },
      spec: {
        refreshInterval: "10s",
        secretStoreRef: { kind: "SecretStore", name: secretStoreName(ledger, "vault") },
        target: { name },
        dataFrom: [{ extract: { key: "orders/feature-flags" } }],
      },
    });
    try {
      const condition = await waitForExternalSecret(admin(), ledger.namespace, name, {
        status: "False",
        timeoutMs: 90_000,
      });
      assert.equal(condition.reason, "SecretSyncedError");
      await assert.rejects(
        admin().get(`/api/v1/namespaces/${ledger.namespace}/secrets/${name}`),
        (err) => err instanceof KubeError && err.status === 404,
      );
      assert.ok(
        eso.errors().some((e) => `${e.error ?? ""}`.includes("permission denied")),
        "the controller logs Vault's refusal",
      );
    } finally {
      await admin()
        .delete(esoPath("externalsecrets", ledger.namespace, name))
        .catch(() => undefined);
    }
  });

  it("the catalog's ClusterSecretStore serves its namespaces only", async function () {
    runningController(this);
    const c = catalog();
    const store = c.eso!.clusterSecretStores[0];
    await server.root.write(`${vaultNames.kvMount(c)}/data/${store.kvPathPrefix}/greeting`, {
      options: { cas: 0 },
      data: { text: "hello" },
    });
    const externalSecret = (namespace: string, name: string) => ({
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name, namespace },
      spec: {
        refreshInterval: "10s",
        secretStoreRef: { kind: "ClusterSecretStore", name: store.name },
        target: { name },
        dataFrom: [{ extract: { key: `${store.kvPathPrefix}/greeting` } }],
      },
    });
    const [allowed] = store.namespaces;
    const other = c.workloads.find((w) => !store.namespaces.includes(w.namespace))!.namespace;
    const name = "team-greeting";
    for (const namespace of [allowed, other])
      await admin().post(
        esoPath("externalsecrets", namespace, "").replace(/\/$/, ""),
        externalSecret(namespace, name),
      );
    try {
      await waitForExternalSecret(admin(), allowed, name, { timeoutMs: 90_000 });
      assert.equal(decoded(await secretOf(allowed, name), "text"), "hello");
      const refused = await waitForExternalSecret(admin(), other, name, {
        status: "False",
        timeoutMs: 90_000,
      });
      assert.equal(refused.reason, "SecretSyncedError");
      await assert.rejects(
        admin().get(`/api/v1/namespaces/${other}/secrets/${name}`),
        (err) => err instanceof KubeError && err.status === 404,
      );
    } finally {
      for (const namespace of [allowed, other])
        await admin()
          .delete(esoPath("externalsecrets", namespace, name))
          .catch(() => undefined);
    }
  });

  it("the reviewer identity rotates with config set and up: the old account retired, logins still reviewed", async () => {
    const c = catalog();
    const key = c.kubernetes.clusters[0].apiServer!.reviewerJwtConfigKey!;
    const token = await platform.addReviewer("vault-reviewer-2");
    await first.run(["config", "set", "--secret", key], { input: token });
    const { value } = await first.json<PreviewJson>(["preview", "--stack", STACK, ...POLICY]);
    assert.deepEqual(
      stepsWith(value, ["update"]).map((u) => u.split("::").pop()),
      ["platform-vault-config-auth-local-config"],
    );
    await first.run(["up", "--yes", "--stack", STACK, ...POLICY]);
    // Retiring the first account invalidates every token it had: Vault must be using the new one.
    await platform.kube.admin.delete(
      `/api/v1/namespaces/${platform.reviewerNamespace}/serviceaccounts/vault-reviewer`,
    );
    const orders = c.workloads.find((w) => w.name === "orders-api")!;
    const own = await (
      await tokenOf(orders)
    ).read<{ data: Record<string, string> }>(`${vaultNames.kvMount(c)}/data/orders/feature-flags`);
    assert.ok(own.data.data.beta);
    // The stack file the team commits carries the new token only as ciphertext.
    stackFile = first.read(STACK_FILE);
    assert.ok(!stackFile.includes(token));
    await first.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
  });

  /** A workload added and a secret removed: the edit a team makes most. */
  function editedCatalog(): CatalogInput {
    const edited = structuredClone(catalogInput);
    edited.workloads.push({
      name: "ledger-worker",
      namespace: edited.workloads.find((w) => w.name === "ledger-api")!.namespace,
      serviceAccount: "ledger-worker",
      cluster: "local",
      secrets: [{ name: "worker-config", source: "vault-kv", path: "ledger/worker-config" }],
    });
    const orders = edited.workloads.find((w) => w.name === "orders-api")!;
    orders.secrets = orders.secrets.filter((s) => s.name !== "feature-flags");
    return edited;
  }

  it("a catalog edit previews exactly the creates and deletes the offline model expects, applies, and reverts", async () => {
    first.write(STACK_FILE, withCatalog(editedCatalog()));
    const offline = await offlinePreview(first);
    const editedUrns = urnsOf(offline.steps);
    const { value } = await first.json<PreviewJson>(["preview", "--stack", STACK, ...POLICY]);
    assert.deepEqual(
      stepsWith(value, ["create"]).sort(),
      editedUrns.filter((u) => !firstUrns.includes(u)),
    );
    assert.deepEqual(
      stepsWith(value, ["delete"]).sort(),
      firstUrns.filter((u) => !editedUrns.includes(u)),
    );
    assert.ok(
      stepsWith(value, ["create"]).some((u) =>
        u.endsWith("::platform-vault-config-policy-workload-ledger-worker"),
      ),
    );
    await first.run(["up", "--yes", "--stack", STACK, ...POLICY]);
    const state = await vaultState(server.root);
    assert.ok(state.policies.includes("workload-ledger-worker"));
    assert.deepEqual(state, union(baseline, declaredVaultState(offline.steps)));
    const orders = (await server.root.read<{ policy: string }>("sys/policies/acl/workload-orders-api")).data;
    assert.ok(!orders.policy.includes("feature-flags"), "the removed secret's grant is gone");

    first.write(STACK_FILE, stackFile);
    await first.run(["up", "--yes", "--stack", STACK, ...POLICY]);
    assert.deepEqual(await vaultState(server.root), union(baseline, declared));
    await first.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
  });

  it("a mandatory violation fails preview naming the policy, and up changes nothing in Vault", async () => {
    // An organisation's stricter pack config: dynamic credentials live at most 10 minutes.
    first.write(
      "strict-policy-config.json",
      JSON.stringify({ "vault-database-limit-role-ttl": { maxDefaultTtlSeconds: 600 } }),
    );
    const strict = ["--policy-pack", "./policy", "--policy-pack-config", "strict-policy-config.json"];
    first.write(STACK_FILE, withCatalog(editedCatalog()));
    const before = await vaultState(server.root);
    const preview = await first.run(["preview", "--stack", STACK, ...strict], { allow: [255, 1] });
    assert.notEqual(preview.code, 0);
    assert.match(preview.stdout + preview.stderr, /vault-database-limit-role-ttl/);
    const up = await first.run(["up", "--yes", "--stack", STACK, ...strict], { allow: [255, 1] });
    assert.notEqual(up.code, 0);
    assert.deepEqual(await vaultState(server.root), before);
    first.write(STACK_FILE, stackFile);
    await first.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
  });

  it("destroy from a second checkout (nothing of the first left on the machine) removes everything of ours", async () => {
    second = Project.create(engine, backend.url, "second", platform.env);
    second.write(STACK_FILE, stackFile);
    copyCommittedFiles(first, second);
    first.remove();
    await second.run(["stack", "select", STACK]);
    await second.run(["destroy", "--yes", "--stack", STACK]);
    // Nothing of ours stays in the API server: objects, releases and the CRDs their chart installed.
    const objects = new KubeObjects(platform.kube.admin);
    assert.deepEqual((await objects.present(kubeDeclared)).map(keyOf), []);
    const crds = await platform.kube.admin.get<{ items: Array<{ spec: { group: string } }> }>(
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    );
    assert.deepEqual(
      crds.items.filter((c) => c.spec.group.endsWith("external-secrets.io")),
      [],
    );
    // The runbook's deployer policy goes too: the program managed it (it is the last deleted).
    const ours = new Set(declared.policies);
    assert.deepEqual(await vaultState(server.root), {
      ...baseline,
      policies: baseline.policies.filter((p) => !ours.has(p)),
    });
    await second.run(["stack", "rm", "--yes", STACK]);
  });
});
