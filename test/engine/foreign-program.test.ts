/**
 * The pack as another team uses it: the shipped pack (built JavaScript, its own package.json
 * and lockfile, `npm ci` in an empty directory: ./shipped-pack.ts) attached with the real CLI to
 * a program of theirs (test/fixtures/foreign-program: plain vault and kubernetes resources,
 * none of our components, names, tags or labels).
 *
 * - `pulumi preview --policy-pack <dir>` of that program against a real Vault (dev server):
 *   the violating stack (`insecure`) fails with exactly the violations it contains; the same
 *   preview with a pack config exempting the privileged policy by its exact name reports that
 *   exemption, with its reason, as an advisory note and still fails on the rest; the compliant
 *   stack (`hardened`) passes, its one verdict an advisory saying the policy text (built from
 *   the auth mount's accessor, unknown during preview) is judged again at `pulumi up`.
 * - The violating program also runs a Vault of its own as a plain StatefulSet (no chart, none of
 *   our names), which the vault-helm-* rules judge by its container.
 * - `pulumi up` of a second program of theirs (test/fixtures/foreign-batch-program: only Vault
 *   resources, so it deploys without a cluster) whose Vault policy text, unknown during preview,
 *   grants `sudo` on `sys/*` once known: `up`'s preview passes with the advisory, its update fails
 *   on the mandatory violation (after the policy is written: the rule is a stack policy), and
 *   `destroy` removes what it created.
 * - aws, gcp and azure-native providers cannot run here, so the same team's cloud resources are
 *   a hand-written state in the fixture (`cloud-state.<stack>.json`, `pulumi stack export`
 *   format) that `pulumi policy analyze --file` judges with the same shipped pack.
 *
 * The program's own node_modules is a link to the repository's (its package.json pins the same
 * versions, checked below); the pack's is its own `npm ci`. Kubernetes resources are previewed
 * with a kubeconfig naming an unreachable API server: the kubernetes provider then previews them
 * from their inputs (which is all the pack reads) without a cluster.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { requireVault, startVault, VaultError, type VaultServer } from "../integration/vault/live/server";
import { PROJECT_DIR } from "../support/offline";
import { type Engine, fileBackend, requirePulumi, type RunResult, runPulumi } from "./cli";
import { installShippedPack, policyEvents, verdictLines, type PolicyEvent } from "./shipped-pack";

const FIXTURE = path.join(PROJECT_DIR, "test", "fixtures", "foreign-program");
const BATCH_FIXTURE = path.join(PROJECT_DIR, "test", "fixtures", "foreign-batch-program");
const PRIVILEGED = "vault-policy-forbid-privileged-workload-paths";

describe("a foreign program with the shipped pack under the real CLI", function () {
  this.timeout(900_000);
  let engine: Engine;
  let root: string;
  let packDir: string;
  let programDir: string;
  let batchDir: string;
  let backend: ReturnType<typeof fileBackend>;
  let vault: VaultServer | undefined;
  let runEnv: NodeJS.ProcessEnv;

  function pulumi(args: readonly string[], cwd = programDir): Promise<RunResult> {
    return runPulumi(engine, args, { cwd, env: runEnv });
  }

  before(async function () {
    engine = requirePulumi(this);
    requireVault(this);
    root = fs.mkdtempSync(path.join(os.tmpdir(), "sp-foreign-"));
    programDir = path.join(root, "orders-service");
    const installed = await installShippedPack();
    packDir = installed.dir;
    if (!installed.reused)
      console.log(`    shipped pack installed with npm ci --offline in ${installed.seconds.toFixed(1)} s`);

    batchDir = path.join(root, "batch-jobs");
    for (const [fixture, dir] of [
      [FIXTURE, programDir],
      [BATCH_FIXTURE, batchDir],
    ]) {
      fs.cpSync(fixture, dir, { recursive: true });
      fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
    }
    const kubeconfig = path.join(root, "kubeconfig");
    fs.writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{ name: none, cluster: { server: 'https://127.0.0.1:1' } }]",
        "users: [{ name: none, user: { token: none } }]",
        "contexts: [{ name: none, context: { cluster: none, user: none } }]",
        "current-context: none",
        "",
      ].join("\n"),
    );
    vault = await startVault(root);
    const { auth } = await vault.root.write("auth/token/create", { ttl: "1h" });
    backend = fileBackend();
    runEnv = {
      ...process.env,
      ...engine.env,
      PULUMI_BACKEND_URL: backend.url,
      TMPDIR: root,
      VAULT_ADDR: vault.root.address,
      VAULT_TOKEN: auth!.client_token,
      KUBECONFIG: kubeconfig,
      PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true",
    };
    for (const stack of ["insecure", "hardened"]) await pulumi(["stack", "init", stack]);
    await pulumi(["stack", "init", "nightly"], batchDir);
  });

  after(async () => {
    await vault?.stop();
    backend?.remove();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  /** `pulumi preview --policy-pack <shipped pack>` of one stack, its verdicts from the event stream. */
  async function preview(stack: string, configFile?: string) {
    const args = ["preview", "--stack", stack, "--policy-pack", packDir, "--json"];
    if (configFile) args.push("--policy-pack-config", configFile);
    const run = await pulumi(args);
    const events = policyEvents(run.stdout);
    return { ...run, events, verdicts: verdictLines(events) };
  }

  it("pins in the programs' package.json the SDK versions they run with (those of the linked node_modules)", () => {
    for (const fixture of [FIXTURE, BATCH_FIXTURE]) {
      const pkg = JSON.parse(fs.readFileSync(path.join(fixture, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      };
      for (const [name, version] of Object.entries(pkg.dependencies)) {
        const installed = JSON.parse(
          fs.readFileSync(path.join(PROJECT_DIR, "node_modules", name, "package.json"), "utf8"),
        ) as { version: string };
        assert.equal(installed.version, version, `${fixture}: ${name}`);
      }
    }
  });

  it("the shipped pack holds no TypeScript source and loads its own @pulumi/policy", () => {
    const files = fs.readdirSync(packDir, { recursive: true, encoding: "utf8" });
    assert.deepEqual(
      files.filter((f) => !f.startsWith("node_modules") && /\.ts$/.test(f)),
      [],
    );
    const policyPkg = JSON.parse(
      fs.readFileSync(path.join(packDir, "node_modules", "@pulumi", "policy", "package.json"), "utf8"),
    ) as { version: string };
    const pinned = (
      JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      }
    ).dependencies["@pulumi/policy"];
    assert.equal(policyPkg.version.replace(/^v/, ""), pinned);
    assert.ok(!fs.lstatSync(path.join(packDir, "node_modules")).isSymbolicLink());
  });

  describe("pulumi preview of the violating stack", () => {
    let result: Awaited<ReturnType<typeof preview>>;
    before(async () => {
      result = await preview("insecure");
    });

    it("fails with exactly the violations the program contains, each mandatory", () => {
      assert.notEqual(result.code, 0, "the preview passed");
      assert.deepEqual(result.verdicts, [
        "mandatory kubernetes-core-forbid-literal-secret-data kubernetes:core/v1:Secret::orders-db",
        "mandatory kubernetes-externalsecrets-limit-refresh-interval kubernetes:external-secrets.io/v1:ExternalSecret::orders-db",
        "mandatory kubernetes-externalsecrets-restrict-cluster-store-namespaces kubernetes:external-secrets.io/v1:ClusterSecretStore::vault-store",
        "mandatory kubernetes-rbac-restrict-secret-access kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::orders-reader",
        "mandatory vault-audit-require-device pulumi:pulumi:Stack::orders-service-insecure",
        "mandatory vault-database-limit-role-ttl vault:database/secretBackendRole:SecretBackendRole::orders-app",
        "mandatory vault-database-limit-role-ttl vault:database/secretBackendRole:SecretBackendRole::orders-app",
        "mandatory vault-helm-forbid-dev-mode kubernetes:apps/v1:StatefulSet::kv",
        "mandatory vault-helm-require-pinned-image kubernetes:apps/v1:StatefulSet::kv",
        "mandatory vault-helm-require-raft-quorum kubernetes:apps/v1:StatefulSet::kv",
        "mandatory vault-helm-require-tls kubernetes:apps/v1:StatefulSet::kv",
        "mandatory vault-helm-require-tls kubernetes:core/v1:ConfigMap::kv-config",
        "mandatory vault-kubernetes-forbid-wildcard-bindings vault:kubernetes/authBackendRole:AuthBackendRole::orders",
        `mandatory ${PRIVILEGED} vault:index/policy:Policy::orders-service`,
      ]);
    });

    it("says what each violation is: the grant, the binding, the threshold (prod's, for a stack named like no environment)", () => {
      const message = (policy: string) =>
        result.events
          .filter((e) => e.policyName === policy)
          .map((e) => e.message)
          .join("\n");
      assert.match(
        message(PRIVILEGED),
        /Vault policy "orders-tooling" \(attached to Kubernetes auth role "orders"\): grants path "orders-kv\/\*" \(glob\), path "sys\/\*" \(sudo, glob, sys\/\)/,
      );
      assert.match(
        message("vault-kubernetes-forbid-wildcard-bindings"),
        /boundServiceAccountNames contains "\*"/,
      );
      assert.match(
        message("vault-database-limit-role-ttl"),
        /defaultTtl is 86400s; prod allows at most 3600s/,
      );
      assert.match(
        message("vault-database-limit-role-ttl"),
        /maxTtl is 2592000s; prod allows at most 14400s/,
      );
      assert.match(
        message("kubernetes-externalsecrets-limit-refresh-interval"),
        /spec.refreshInterval is 168h; prod allows at most 3600s/,
      );
      assert.match(
        message("kubernetes-core-forbid-literal-secret-data"),
        /carries password from the program/,
      );
      // A Vault of their own, no chart: the image's default command is the dev server.
      assert.match(
        message("vault-helm-forbid-dev-mode"),
        /container "vault" \(hashicorp\/vault:latest\) of the StatefulSet sets no command, so the image runs its default, `vault server -dev`/,
      );
      assert.match(message("vault-helm-require-raft-quorum"), /replicas is 1; prod requires at least 3/);
      assert.match(
        message("kubernetes-rbac-restrict-secret-access"),
        /RoleBinding "orders\/orders-reader" gives service account orders\/orders Role "orders-reader": get, list, watch on every Secret of namespace orders/,
      );
      // Its configuration file, in a ConfigMap under the team's own key.
      assert.match(
        message("vault-helm-require-tls"),
        /data\.server\.hcl sets tls_disable = "true" on the tcp listener at \[::\]:8200: Vault listens in plain HTTP/,
      );
    });
  });

  it("reports an exemption from the pack config, by exact name and with its reason, as advisory; the rest still fails", async () => {
    const config = path.join(root, "orders.policy-config.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        [PRIVILEGED]: {
          exemptions: [{ policy: "orders-tooling", reason: "orders' deploy tooling, reviewed in SEC-1234" }],
        },
      }),
    );
    const result = await preview("insecure", config);
    assert.notEqual(result.code, 0);
    const privileged = result.events.filter((e: PolicyEvent) => e.policyName === PRIVILEGED);
    assert.deepEqual(
      privileged.map((e) => e.enforcementLevel),
      ["advisory"],
    );
    assert.match(
      privileged[0].message,
      /grants path "orders-kv\/\*" \(glob\), path "sys\/\*" \(sudo, glob, sys\/\)\. Exempt by configuration \(exemption "orders-tooling"\): orders' deploy tooling, reviewed in SEC-1234/,
    );
    assert.equal(result.verdicts.filter((v) => v.startsWith("mandatory")).length, 13);
  });

  it("passes the compliant stack; the policy text unknown during preview is an advisory note to judge at up, not a silent pass", async () => {
    const result = await preview("hardened");
    assert.equal(result.code, 0, result.stderr.slice(-3000));
    assert.deepEqual(result.verdicts, [`advisory ${PRIVILEGED} vault:index/policy:Policy::orders-service`]);
    assert.match(
      result.events[0].message,
      /Vault policy "orders-tooling" \(attached to Kubernetes auth role "orders"\): its policy text is unknown during preview, so its grants are judged when the stack is analysed again at `pulumi up`/,
    );
  });

  // `pulumi up --yes` previews, then updates: its preview is where the policy text is unknown
  // (the advisory, and a preview with a mandatory verdict would stop the update here), the update
  // where it is known. The stack policy that judges the text runs once the update has registered
  // every resource (a policy's scope depends on the roles that carry it, registered after it), so
  // it cannot stop the policy from being written: it fails the update, and the team's destroy (or
  // a fixed up) is what removes the grant. The test pins that order, not only the exit code.
  it("pulumi up re-judges the policy text unknown at preview: its preview passes with the advisory, the update fails on the mandatory violation after Vault has the policy; destroy removes it", async () => {
    const started = Date.now();
    const written = async () => {
      try {
        return (await vault!.root.read<{ policy: string }>("sys/policies/acl/batch-jobs")).data.policy;
      } catch (err) {
        if (err instanceof VaultError && err.status === 404) return undefined;
        throw err;
      }
    };
    assert.equal(await written(), undefined);

    const up = await pulumi(["up", "--yes", "--stack", "nightly", "--policy-pack", packDir], batchDir);
    const upSeconds = (Date.now() - started) / 1000;
    const output = `${up.stdout}\n${up.stderr}`;
    assert.notEqual(up.code, 0, output.slice(-3000));
    const updateAt = output.indexOf("Updating (nightly)");
    assert.ok(updateAt > 0, `no update after the preview:\n${output.slice(-3000)}`);
    const [previewing, updating] = [output.slice(0, updateAt), output.slice(updateAt)];
    const verdict = (level: string) =>
      new RegExp(`\\[${level}\\] (\\[severity: critical\\] )?\\s*${PRIVILEGED}`);
    assert.match(previewing, verdict("advisory"));
    assert.doesNotMatch(previewing, verdict("mandatory"));
    assert.match(
      previewing,
      /Vault policy "batch-jobs" \(attached to AppRole role "nightly"\): its policy text is unknown during preview, so its grants are judged when the stack is analysed again at `pulumi up`/,
    );
    assert.match(updating, verdict("mandatory"));
    assert.match(
      updating,
      /Vault policy "batch-jobs" \(attached to AppRole role "nightly"\): grants path "sys\/\*" \(sudo, glob, sys\/\)/,
    );
    assert.doesNotMatch(updating, /its policy text is unknown during preview/);
    assert.match(updating, /error: update failed/);
    // In Vault, queried directly: the policy with the accessor Vault assigned, and the role carrying it.
    const text = await written();
    assert.ok(text?.includes('path "sys/*"'), `the policy in Vault: ${text}`);
    assert.match(text!, /identity\.entity\.aliases\.auth_approle_[0-9a-f]+\.metadata/);
    const role = await vault!.root.read<{ token_policies: string[] }>("auth/batch-approle/role/nightly");
    assert.deepEqual(role.data.token_policies, ["batch-jobs"]);

    const destroy = await pulumi(["destroy", "--yes", "--stack", "nightly"], batchDir);
    assert.equal(destroy.code, 0, destroy.stderr.slice(-3000));
    assert.equal(await written(), undefined);
    await assert.rejects(vault!.root.read("sys/auth/batch-approle"), (e) => e instanceof VaultError);
    const total = (Date.now() - started) / 1000;
    console.log(
      `      up (preview + update) ${upSeconds.toFixed(1)} s, destroy ${(total - upSeconds).toFixed(1)} s`,
    );
  });

  describe("pulumi policy analyze of the same team's aws, gcp and azure-native state, and its cluster's", () => {
    /** The fixture's state; a compliant Key Vault secret's expiry moves to a week from now. */
    function stateFile(stack: string, kind = "cloud"): string {
      const state = JSON.parse(
        fs.readFileSync(path.join(FIXTURE, `${kind}-state.${stack}.json`), "utf8"),
      ) as {
        deployment: { resources: Array<{ type: string; inputs: unknown; outputs: unknown }> };
      };
      for (const r of state.deployment.resources.filter((x) => x.type === "azure-native:keyvault:Secret"))
        for (const props of [r.inputs, r.outputs] as Array<{
          properties: { attributes?: { expires: number } };
        }>)
          if (props.properties.attributes)
            props.properties.attributes.expires = Math.floor(Date.now() / 1000) + 7 * 86_400;
      const file = path.join(root, `${kind}-state.${stack}.json`);
      fs.writeFileSync(file, JSON.stringify(state));
      return file;
    }
    async function analyze(stack: string, kind = "cloud") {
      const run = await pulumi([
        "policy",
        "analyze",
        "--policy-pack",
        packDir,
        "--file",
        stateFile(stack, kind),
        "--json",
      ]);
      const events = policyEvents(run.stdout);
      return { ...run, events, verdicts: verdictLines(events) };
    }

    // Besides the plain mistakes, three evasions of name- or tag-scoped rules: the unrotated
    // secret is tagged `secrets-platform:rotation: by-issuer`, a CI role reading it is named
    // `*_github-deploy` (the readers rule's old default operator glob), and an admin role is
    // assigned with `principalType: User`. And grants that look narrow but let their holder
    // widen its own access (issue 25): iam:PutRolePolicy on one role ARN, Secret Manager Admin
    // on one secret (which also makes its holder a reader), Role Based Access Control
    // Administrator on one Key Vault secret; the hardened twin passes one exact role.
    it("fails the violating state with exactly its violations", async () => {
      const result = await analyze("insecure");
      assert.notEqual(result.code, 0);
      assert.deepEqual(result.verdicts, [
        "mandatory aws-iam-forbid-permission-escalation aws:iam/rolePolicy:RolePolicy::orders-secrets",
        "mandatory aws-iam-forbid-permission-escalation aws:iam/rolePolicy:RolePolicy::orders-tooling",
        "mandatory aws-iam-forbid-wildcard-secret-actions aws:iam/rolePolicy:RolePolicy::orders-secrets",
        "mandatory aws-iam-require-exact-oidc-trust aws:iam/role:Role::orders",
        "mandatory aws-kms-require-key-rotation aws:kms/key:Key::orders",
        "mandatory aws-secretsmanager-require-cmk aws:secretsmanager/secret:Secret::orders-db",
        "mandatory aws-secretsmanager-require-recovery-window aws:secretsmanager/secret:Secret::orders-db",
        "mandatory aws-secretsmanager-require-rotation aws:secretsmanager/secret:Secret::orders-db",
        "mandatory azure-authorization-forbid-admin-roles-for-workloads azure-native:authorization:RoleAssignment::ops-kv-admin",
        "mandatory azure-authorization-forbid-admin-roles-for-workloads azure-native:authorization:RoleAssignment::orders-db-access-admin",
        "mandatory azure-authorization-forbid-admin-roles-for-workloads azure-native:authorization:RoleAssignment::orders-kv-admin",
        "mandatory azure-authorization-restrict-keyvault-role-scope azure-native:authorization:RoleAssignment::orders-kv-admin",
        "mandatory azure-keyvault-require-purge-protection azure-native:keyvault:Vault::orders",
        "mandatory azure-keyvault-require-rbac azure-native:keyvault:Vault::orders",
        "mandatory azure-keyvault-require-secret-expiry azure-native:keyvault:Secret::orders-db",
        "mandatory azure-keyvault-require-soft-delete-retention azure-native:keyvault:Vault::orders",
        "mandatory azure-keyvault-restrict-network azure-native:keyvault:Vault::orders",
        "mandatory gcp-iam-forbid-set-iam-policy-roles gcp:secretmanager/secretIamMember:SecretIamMember::orders-db-admin",
        "mandatory gcp-secretmanager-forbid-project-level-roles gcp:projects/iAMMember:IAMMember::orders-accessor",
        "mandatory gcp-secretmanager-forbid-public-members gcp:secretmanager/secretIamMember:SecretIamMember::orders-db-shared",
        "mandatory gcp-secretmanager-require-cmek gcp:secretmanager/secret:Secret::orders-db",
        "mandatory gcp-secretmanager-require-rotation gcp:secretmanager/secret:Secret::orders-db",
        "mandatory gcp-secretmanager-require-rotation gcp:secretmanager/secret:Secret::orders-db",
        "mandatory pulumi-resource-require-protect aws:kms/key:Key::orders",
        "mandatory pulumi-resource-require-protect aws:secretsmanager/secret:Secret::orders-db",
        "mandatory pulumi-resource-require-protect azure-native:keyvault:Secret::orders-db",
        "mandatory pulumi-resource-require-protect azure-native:keyvault:Vault::orders",
        "mandatory pulumi-resource-require-protect gcp:secretmanager/secret:Secret::orders-db",
        "mandatory pulumi-stack-restrict-secret-readers aws:iam/rolePolicy:RolePolicy::ci-read-db",
        "mandatory pulumi-stack-restrict-secret-readers aws:iam/rolePolicy:RolePolicy::orders-secrets",
        "mandatory pulumi-stack-restrict-secret-readers gcp:secretmanager/secretIamMember:SecretIamMember::orders-db-admin",
        "mandatory pulumi-stack-restrict-secret-readers gcp:secretmanager/secretIamMember:SecretIamMember::orders-db-shared",
      ]);
    });

    it("passes the compliant state with no verdict at all", async () => {
      const result = await analyze("hardened");
      assert.equal(result.code, 0, result.stderr.slice(-3000));
      assert.deepEqual(result.verdicts, []);
    });

    // The same team's cluster and Vault objects as exported state (issue 25): grants that look
    // narrow but widen access. Kubernetes RBAC reading every Secret of a namespace, a binding to
    // a whole service-account group, a SecretList, a ClusterExternalSecret, a Vault policy with
    // update on its own login role; the hardened twin reads its one delivered Secret by name and
    // globs only below its own KV folder.
    it("fails the violating cluster state with exactly its violations", async () => {
      const result = await analyze("insecure", "cluster");
      assert.notEqual(result.code, 0);
      assert.deepEqual(result.verdicts, [
        "mandatory kubernetes-core-forbid-literal-secret-data kubernetes:core/v1:SecretList::bootstrap",
        "mandatory kubernetes-externalsecrets-limit-refresh-interval kubernetes:external-secrets.io/v1:ClusterExternalSecret::team-flags",
        "mandatory kubernetes-rbac-restrict-secret-access kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding::ci-deployer",
        "mandatory kubernetes-rbac-restrict-secret-access kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::orders-reader",
        "mandatory vault-policy-forbid-privileged-workload-paths vault:index/policy:Policy::orders-rotator",
      ]);
      const messages = result.events.map((e) => e.message).join("\n");
      assert.match(
        messages,
        /gives service account orders\/orders Role "orders-reader": get, list, watch on every Secret/,
      );
      assert.match(messages, /to the group system:serviceaccounts:ci, every service account in it/);
      assert.match(messages, /grants path "auth\/k8s-east\/role\/orders" \(update: writes login roles/);
    });

    it("passes the compliant cluster state with no verdict at all", async () => {
      const result = await analyze("hardened", "cluster");
      assert.equal(result.code, 0, result.stderr.slice(-3000));
      assert.deepEqual(result.verdicts, []);
    });
  });
});
