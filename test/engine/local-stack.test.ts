/**
 * The shipped `local` stack through the real Pulumi engine (CLI, Node language host, the vault
 * provider built from source) against a real Vault, PostgreSQL and MariaDB: preview with the
 * policy pack, up, idempotence and drift, a catalog edit and its revert, a mandatory violation
 * that stops everything, and destroy from a second checkout that shares only the backend and
 * the committed files with the first.
 *
 * Kubernetes auth runs against the real API server (scripts/kube-env.sh): the workloads'
 * namespaces and service accounts exist there, each login presents a TokenRequest token of a
 * service account for Vault's audience, and Vault has the API server review it with a reviewer
 * account bound to `system:auth-delegator` only. No kubelet runs, so no pod exists: the tokens
 * come straight from the TokenRequest API, as the kubelet would fetch them for a projected volume.
 */
import * as assert from "node:assert/strict";
import * as YAML from "yaml";
import { databaseRoles, workloadReadPaths } from "../../components/vault/plan";
import { vaultNames } from "../../stacks/naming";
import type { CatalogInput } from "../../stacks/schema";
import { mysqlSession, pgSession } from "../integration/rotation/databases";
import { VaultError } from "../integration/vault/live/server";
import { type Engine, fileBackend, type PreviewJson, Project, requirePulumi } from "./cli";
import {
  CA_FILES,
  type LocalPlatform,
  offlinePreview,
  POLICY,
  STACK,
  STACK_FILE,
  startLocalPlatform,
  withCatalog as stackFileWith,
} from "./local-platform";
import { declaredVaultState, union, type VaultState, vaultState } from "./vault-state";

const urnsOf = (steps: ReadonlyArray<{ urn: string }>) => steps.map((s) => s.urn).sort();
const stepsWith = (preview: PreviewJson, ops: readonly string[]) =>
  (preview.steps ?? []).filter((s) => ops.includes(s.op)).map((s) => s.urn);

describe("the local stack under the real Pulumi engine", function () {
  this.timeout(900_000);
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

  const withCatalog = (catalog: CatalogInput) => stackFileWith(stackFile, catalog);
  const catalog = () => platform.catalog();
  const tokenOf = (...args: Parameters<LocalPlatform["tokenOf"]>) => platform.tokenOf(...args);

  before(async function () {
    engine = requirePulumi(this);
    platform = await startLocalPlatform(this);
    ({ server, local, baseline, catalogInput } = platform);
    backend = fileBackend();
    first = Project.create(engine, backend.url, "first");
    stackFile = await platform.initStack(first);
  });

  after(async () => {
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

  it("previews with the policy pack: exit 0, exactly the resources of the offline preview", async () => {
    const offline = await offlinePreview(first);
    const { value } = await first.json<PreviewJson>(["preview", "--stack", STACK, ...POLICY]);
    firstUrns = urnsOf(offline.steps);
    assert.equal((value.steps ?? []).length, offline.steps.length);
    assert.deepEqual(urnsOf(value.steps ?? []), firstUrns);
    declared = declaredVaultState(offline.steps);
    assert.ok(declared.policies.length >= 4 && declared.roles.length >= 6, JSON.stringify(declared));
  });

  it("applies with the policy pack; Vault then holds exactly the declared mounts, auth methods, roles and policies", async () => {
    await first.run(["up", "--yes", "--stack", STACK, ...POLICY]);
    assert.deepEqual(await vaultState(server.root), union(baseline, declared));
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
    second = Project.create(engine, backend.url, "second");
    second.write(STACK_FILE, stackFile);
    for (const file of CA_FILES) second.write(file, first.read(file));
    first.remove();
    await second.run(["stack", "select", STACK]);
    await second.run(["destroy", "--yes", "--stack", STACK]);
    // The runbook's deployer policy goes too: the program managed it (it is the last deleted).
    const ours = new Set(declared.policies);
    assert.deepEqual(await vaultState(server.root), {
      ...baseline,
      policies: baseline.policies.filter((p) => !ours.has(p)),
    });
    await second.run(["stack", "rm", "--yes", STACK]);
  });
});
