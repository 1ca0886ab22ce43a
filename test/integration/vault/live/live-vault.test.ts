/**
 * Each shipped stack's Vault configuration applied, with the runbook's deployer token (not
 * root), to a real Vault server (built from HashiCorp's source by scripts/vault-env.sh), its
 * database engine driving the real PostgreSQL and MariaDB: Vault
 * itself parses our policies, evaluates them for each workload's token, runs our role SQL,
 * revokes leases, rotates static logins, checks JWT bindings and AppRole CIDRs, and writes the
 * audit log. Localised only where a machine must differ: database hosts, token issuers' URLs,
 * the audit file path; the syslog audit device is not enabled (no syslog daemon here).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { VaultConfiguration } from "../../../../components/vault/configuration";
import { VAULT_IMAGE } from "../../../../components/vault/helmValues";
import { deployerPolicy, renderPolicy } from "../../../../components/vault/policies";
import { databaseRoles, vaultWorkloads, workloadReadPaths } from "../../../../components/vault/plan";
import { vaultNames } from "../../../../stacks/naming";
import { PROFILES } from "../../../../stacks/profiles";
import { type Catalog, type Database, ENVIRONMENTS, type Workload } from "../../../../stacks/schema";
import type { RecordedResource } from "../../../../tools/offline/types";
import {
  loadedStackFor,
  recordResources,
  shippedCatalog,
  shippedCatalogInput,
} from "../../../support/offline";
import { esoPlatform } from "../../../unit/eso/fixtures";
import { type EngineSettings, requireEngine } from "../../engines";
import { mysqlSession, pgSession, type SessionTarget } from "../../rotation/databases";
import { applyToVault } from "./apply";
import { type FakeIssuers, startIssuers } from "./issuer";
import { type LocalCatalog, localCatalog } from "./local-catalog";
import { type FakeTokenReview, startTokenReview } from "./token-review";
import {
  requireVault,
  startVault,
  type VaultAuth,
  type VaultClient,
  VaultError,
  type VaultServer,
} from "./server";

interface DatabaseCredential {
  readonly username: string;
  readonly password: string;
}

for (const env of ENVIRONMENTS) {
  // What the suite declares depends on the shipped catalog; `catalog` is its localised twin.
  const shape = shippedCatalog(env);
  const profile = PROFILES[env];
  const cloudOf = (w: Workload) => shape.kubernetes.clusters.find((c) => c.name === w.cluster)!.cloud;

  describe(`the ${env} Vault configuration on a real Vault server`, function () {
    this.timeout(120_000);
    let engine: EngineSettings;
    let local: LocalCatalog;
    let catalog: Catalog;
    let resources: RecordedResource[];
    let server: VaultServer;
    let issuers: FakeIssuers;
    let tokenReview: FakeTokenReview;
    let workDir: string;
    let auditFile: string;
    let skipped: string[];
    /** Every credential Vault handed out, so the audit test can look for each in the log. */
    const issued: string[] = [];

    const denied = (status: number) => (err: unknown) => err instanceof VaultError && err.status === status;

    /**
     * A projected service-account token of `w` as its cluster's issuer signs it (subject and the
     * `kubernetes.io` claims agree, as in real tokens); `as` changes who it names or where from.
     */
    const serviceAccountToken = (
      w: Pick<Workload, "namespace" | "serviceAccount" | "cluster">,
      as: { namespace?: string; name?: string; aud?: string[]; cluster?: string } = {},
    ) => {
      const namespace = as.namespace ?? w.namespace;
      const name = as.name ?? w.serviceAccount;
      const cluster = catalog.kubernetes.clusters.find((c) => c.name === (as.cluster ?? w.cluster))!;
      return issuers.sign(cluster.oidcIssuerUrl, {
        sub: `system:serviceaccount:${namespace}:${name}`,
        aud: as.aud ?? [vaultNames.kubernetesAuthAudience],
        "kubernetes.io": { namespace, serviceaccount: { name, uid: `uid-${namespace}-${name}` } },
      });
    };
    const login = (w: Workload, jwt: string) =>
      server.root.write(`auth/${vaultNames.kubernetesAuthMount(w.cluster)}/login`, {
        role: vaultNames.workloadRole(w),
        jwt,
      });
    /** A token as the workload gets it: its service-account token, through its cluster's auth mount. */
    async function tokenOf(w: Workload): Promise<VaultClient> {
      const { auth } = await login(w, serviceAccountToken(w));
      return server.root.withToken(auth!.client_token);
    }

    const capabilities = async (client: VaultClient, paths: string[]) =>
      (await client.write<Record<string, string[]>>("sys/capabilities-self", { paths })).data!;

    before(async function () {
      requireVault(this);
      engine = await requireEngine(this, "postgresql");
      await requireEngine(this, "mariadb");
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-vault-"));
      auditFile = path.join(workDir, "audit.log");
      local = localCatalog(shippedCatalogInput(env), engine);
      catalog = local.catalog;
      await local.prepare();
      const stack = loadedStackFor(catalog);
      const secrets = new Map(stack.secrets);
      for (const [key, password] of local.adminPasswords) secrets.set(key, pulumi.secret(password));
      resources = await recordResources(
        () =>
          new VaultConfiguration("vault-config", {
            stack: { ...stack, secrets },
          }),
        catalog,
        env,
      );
      server = await startVault(workDir);
      issuers = await startIssuers();
      // Vault's own cluster is the one its Kubernetes auth (not JWT) serves.
      const vaultCluster = catalog.kubernetes.clusters.find((c) => c.name === catalog.vault!.cluster)!;
      tokenReview = await startTokenReview(issuers, issuers.urlFor(vaultCluster.oidcIssuerUrl));
      // As the runbook does: the configuration is applied with the deployer token, never root.
      await server.root.request("PUT", "sys/policies/acl/platform-deployer", {
        policy: renderPolicy(deployerPolicy(catalog)),
      });
      const { auth } = await server.root.write("auth/token/create-orphan", {
        policies: ["platform-deployer"],
        ttl: "720h",
        explicit_max_ttl: "720h",
      });
      ({ skipped } = await applyToVault(resources, server.root.withToken(auth!.client_token), {
        issuerUrl: issuers.urlFor,
        auditFilePath: auditFile,
        kubernetesHost: tokenReview.url,
      }));
    });

    after(async () => {
      await server?.stop();
      await issuers?.close();
      await tokenReview?.close();
      await local?.cleanUp();
      if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    it("accepts every resource of the configuration from the deployer token (all but a syslog audit device)", async () => {
      const vaultResources = resources.filter((r) => r.custom && r.type.startsWith("vault:"));
      assert.ok(vaultResources.length > 15, `${vaultResources.length} Vault resources`);
      const syslog = vaultResources.filter(
        (r) => r.type === "vault:index/audit:Audit" && r.inputs.type === "syslog",
      );
      assert.deepEqual(
        skipped,
        syslog.map((r) => r.name),
      );
      const health = (await (await fetch(`${server.root.address}/v1/sys/health`)).json()) as {
        version: string;
      };
      assert.equal(health.version, VAULT_IMAGE.tag, "the server under test is the version the chart deploys");
    });

    it("stores every policy exactly as declared", async () => {
      for (const r of resources.filter((x) => x.type === "vault:index/policy:Policy")) {
        const { name, policy } = r.inputs as { name: string; policy: string };
        const stored = await server.root.read<{ policy: string }>(`sys/policies/acl/${name}`);
        assert.equal(stored.data.policy, policy, name);
      }
    });

    it("gives each workload's token read on exactly its paths: nothing of other workloads, no writes, no sys/", async () => {
      const workloads = vaultWorkloads(catalog);
      const everyPath = [...new Set(workloads.flatMap((w) => workloadReadPaths(catalog, w)))];
      const probes = [
        ...everyPath,
        "sys/mounts",
        "sys/policies/acl/operator",
        `${vaultNames.kvMount(catalog)}/metadata/`,
      ];
      for (const w of workloads) {
        const own = new Set(workloadReadPaths(catalog, w));
        const caps = await capabilities(await tokenOf(w), probes);
        for (const probe of probes) {
          assert.deepEqual(caps[probe], own.has(probe) ? ["read"] : ["deny"], `${w.name} on ${probe}`);
        }
      }
    });

    it("KV v2 keeps the profile's versions and refuses a write without check-and-set", async () => {
      const kv = vaultNames.kvMount(catalog);
      const config = await server.root.read<{ max_versions: number; cas_required: boolean }>(`${kv}/config`);
      assert.deepEqual(config.data, {
        ...config.data,
        max_versions: profile.vault.kvMaxVersions,
        cas_required: true,
      });
      const reader = catalog.workloads.find((w) => w.secrets.some((x) => x.source === "vault-kv"))!;
      const kvSecret = reader.secrets.find((x) => x.source === "vault-kv") as { path: string };
      const secretPath = `${kv}/data/${kvSecret.path}`;
      await assert.rejects(
        server.root.write(secretPath, { data: { value: "x" } }),
        /check-and-set parameter required/,
      );
      const value = `kv-${Math.random().toString(36).slice(2)}`;
      issued.push(value);
      await server.root.write(secretPath, { options: { cas: 0 }, data: { value } });
      const read = await (await tokenOf(reader)).read<{ data: { value: string } }>(secretPath);
      assert.equal(read.data.data.value, value);
    });

    const target = (database: Database, c: DatabaseCredential): SessionTarget => ({
      host: database.host,
      port: database.port,
      username: c.username,
      password: c.password,
      dbname: database.database,
    });
    const run = (database: Database, c: DatabaseCredential, sql: string) =>
      database.engine === "postgresql"
        ? pgSession(target(database, c), (client) => client.query(sql))
        : mysqlSession(target(database, c), (conn) => conn.query(sql));
    /** Runs `sql` as the credential: true when the database allowed it, false when it denied it. */
    const allowed = (database: Database, c: DatabaseCredential, sql: string) =>
      run(database, c, sql).then(
        () => true,
        (err: Error) => {
          if (/permission denied|command denied/i.test(err.message)) return false;
          throw err;
        },
      );
    /** Whether the credential still logs in: false once the login is gone or its password changed. */
    const logsIn = (database: Database, c: DatabaseCredential) =>
      run(database, c, "SELECT 1").then(
        () => true,
        (err: Error) => {
          if (/password authentication failed|Access denied for user/.test(err.message)) return false;
          throw err;
        },
      );

    for (const role of databaseRoles(shape).filter((r) => r.credential === "dynamic")) {
      it(`dynamic ${role.name}: Vault creates a login with our SQL, ${role.access} only, and revokes it`, async () => {
        const plan = databaseRoles(catalog).find((r) => r.name === role.name)!;
        const reader = vaultWorkloads(catalog).find((w) =>
          workloadReadPaths(catalog, w).includes(`${vaultNames.databaseMount(catalog)}/creds/${plan.name}`),
        )!;
        const client = await tokenOf(reader);
        const lease = await client.read<DatabaseCredential>(
          `${vaultNames.databaseMount(catalog)}/creds/${plan.name}`,
        );
        issued.push(lease.data.password);
        assert.equal(
          (lease as { lease_duration?: number }).lease_duration,
          profile.dynamicCredential.ttlSeconds,
        );
        const db = plan.database;
        assert.equal(await allowed(db, lease.data, "SELECT count(*) FROM items"), true);
        assert.equal(
          await allowed(db, lease.data, "INSERT INTO items (label) VALUES ('vault')"),
          plan.access === "read-write",
        );
        assert.equal(
          await allowed(db, lease.data, "CREATE TABLE created_by_login (id int)"),
          plan.access === "read-write" && db.allowSchemaChanges,
        );
        if (db.engine === "postgresql") {
          const validUntil = await pgSession(target(db, lease.data), (c) =>
            c.query<{ rolvaliduntil: Date | null }>(
              // session_user: with schema changes, sessions run as the owner group.
              "SELECT rolvaliduntil FROM pg_roles WHERE rolname = session_user",
            ),
          );
          assert.ok(validUntil.rows[0].rolvaliduntil, "the login expires with its lease");
        }
        // Workloads cannot revoke (or renew others') leases; an operator can, and Vault runs our revocation SQL.
        await assert.rejects(client.write("sys/leases/revoke", { lease_id: lease.lease_id }), denied(403));
        await server.root.write("sys/leases/revoke", { lease_id: lease.lease_id, sync: true });
        assert.equal(await logsIn(db, lease.data), false);
      });
    }

    for (const role of databaseRoles(shape).filter(
      (r) => r.credential === "dynamic" && r.access === "read-write" && r.database.allowSchemaChanges,
    )) {
      it(`${role.name}: tables a login creates belong to the owner group and outlive its revocation (hashicorp/vault#1857)`, async () => {
        const plan = databaseRoles(catalog).find((r) => r.name === role.name)!;
        const db = plan.database;
        const credsPath = `${vaultNames.databaseMount(catalog)}/creds/${plan.name}`;
        const reader = vaultWorkloads(catalog).find((w) =>
          workloadReadPaths(catalog, w).includes(credsPath),
        )!;
        const lease = await (await tokenOf(reader)).read<DatabaseCredential>(credsPath);
        issued.push(lease.data.password);
        const table = `migrated_${Date.now()}`;
        await run(db, lease.data, `CREATE TABLE ${table} (id int)`);
        await run(db, lease.data, `INSERT INTO ${table} VALUES (1)`);
        await server.root.write("sys/leases/revoke", { lease_id: lease.lease_id, sync: true });
        assert.equal(await logsIn(db, lease.data), false);
        const admin = { username: engine.adminUser, password: engine.adminPassword };
        const owner =
          db.engine === "postgresql"
            ? (
                (await run(db, admin, `SELECT tableowner FROM pg_tables WHERE tablename = '${table}'`)) as {
                  rows: Array<{ tableowner: string }>;
                }
              ).rows[0]?.tableowner
            : "(MySQL tables have no owner)";
        assert.equal(owner, db.engine === "postgresql" ? `${db.database}_owner` : owner);
        assert.equal(await allowed(db, admin, `SELECT * FROM ${table}`), true, "the data survived");
      });
    }

    if (databaseRoles(shape).some((r) => r.credential === "static"))
      it("static role: Vault takes over the existing login and rotates it on demand and on the profile's schedule", async () => {
        const plan = databaseRoles(catalog).find((r) => r.credential === "static")!;
        const reader = vaultWorkloads(catalog).find((w) =>
          workloadReadPaths(catalog, w).includes(
            `${vaultNames.databaseMount(catalog)}/static-creds/${plan.name}`,
          ),
        )!;
        const client = await tokenOf(reader);
        const path_ = `${vaultNames.databaseMount(catalog)}/static-creds/${plan.name}`;
        const first = (await client.read<DatabaseCredential & { rotation_schedule: string }>(path_)).data;
        issued.push(first.password);
        assert.equal(first.username, plan.username);
        assert.equal(first.rotation_schedule, profile.staticRotation.vaultSchedule);
        assert.equal(await allowed(plan.database, first, "SELECT count(*) FROM items"), true);
        assert.equal(await allowed(plan.database, first, "INSERT INTO items (label) VALUES ('x')"), false);
        await assert.rejects(
          client.write(`${vaultNames.databaseMount(catalog)}/rotate-role/${plan.name}`),
          denied(403),
        );
        await server.root.write(`${vaultNames.databaseMount(catalog)}/rotate-role/${plan.name}`);
        const second = (await client.read<DatabaseCredential>(path_)).data;
        issued.push(second.password);
        assert.notEqual(second.password, first.password);
        assert.equal(await logsIn(plan.database, second), true);
        assert.equal(await logsIn(plan.database, first), false);
      });

    for (const cloud of new Set(vaultWorkloads(shape).map(cloudOf))) {
      it(`${cloud} cluster login: only the bound service account, with the Vault audience, from its own cluster`, async () => {
        const w = vaultWorkloads(catalog).find((x) => cloudOf(x) === cloud)!;
        const { auth } = await login(w, serviceAccountToken(w));
        assert.deepEqual((auth as VaultAuth).token_policies, ["default", vaultNames.workloadPolicy(w)]);
        assert.equal((auth as VaultAuth).lease_duration, profile.vault.workloadTokenTtlSeconds);
        const otherClusters = catalog.kubernetes.clusters.filter((c) => c.name !== w.cluster);
        const refusals = [
          serviceAccountToken(w, { name: "someone-else" }),
          serviceAccountToken(w, { namespace: "other-namespace" }),
          serviceAccountToken(w, { aud: ["kubernetes"] }),
          ...otherClusters.map((c) => serviceAccountToken(w, { cluster: c.name })),
        ];
        for (const jwt of refusals) await assert.rejects(login(w, jwt), VaultError);
      });
    }

    if (shape.vault?.jwt)
      it("GitHub Actions deploy role: only the repository's deploy branch", async () => {
        const github = catalog.vault!.jwt!;
        const issuer = "https://token.actions.githubusercontent.com";
        const claims = {
          sub: `repo:${github.githubRepository}:ref:refs/heads/${github.githubBranch}`,
          aud: [`https://github.com/${github.githubRepository.split("/")[0]}`],
          repository: github.githubRepository,
          ref: `refs/heads/${github.githubBranch}`,
          actor: "release-engineer",
        };
        const login = (c: Record<string, unknown>) =>
          server.root.write("auth/jwt-github/login", { role: "deploy", jwt: issuers.sign(issuer, c) });
        const { auth } = await login(claims);
        assert.deepEqual((auth as VaultAuth).token_policies, ["default", "platform-deployer"]);
        await assert.rejects(login({ ...claims, ref: "refs/heads/feature" }), /claim/);
        await assert.rejects(login({ ...claims, repository: "someone/fork" }), /claim/);
      });

    if (shape.vault?.oidc)
      it("operators: OIDC sign-in only to the allowed redirects; break-glass short-lived, without the default policy", async () => {
        const roles = (await server.root.request<{ data: { keys: string[] } }>("LIST", "auth/oidc/role")).data
          .keys;
        assert.deepEqual(roles.sort(), ["break-glass", "operator"]);
        const operator = (
          await server.root.read<{ allowed_redirect_uris: string[] }>("auth/oidc/role/operator")
        ).data;
        const { data } = await server.root.write<{ auth_url: string }>("auth/oidc/oidc/auth_url", {
          role: "operator",
          redirect_uri: operator.allowed_redirect_uris[0],
        });
        assert.match(data!.auth_url, /\/authorize\?/);
        // Vault answers a redirect outside allowed_redirect_uris with no URL to sign in at.
        const refused = await server.root.write<{ auth_url: string }>("auth/oidc/oidc/auth_url", {
          role: "operator",
          redirect_uri: "https://attacker.example/callback",
        });
        assert.equal(refused.data!.auth_url, "");
        const breakGlass = (
          await server.root.read<{ token_ttl: number; token_no_default_policy: boolean; max_age: number }>(
            "auth/oidc/role/break-glass",
          )
        ).data;
        assert.equal(breakGlass.token_ttl, profile.vault.breakGlassTokenTtlSeconds);
        assert.equal(breakGlass.token_no_default_policy, true);
      });

    if (shape.vault?.appRoles.length)
      it("AppRole: a secret ID logs in only from the bound CIDR, and only once", async () => {
        const appRole = catalog.vault!.appRoles[0];
        const { data: roleId } = await server.root.read<{ role_id: string }>(
          `auth/approle/role/${appRole.name}/role-id`,
        );
        const { data: secret } = await server.root.write<{ secret_id: string }>(
          `auth/approle/role/${appRole.name}/secret-id`,
        );
        issued.push(secret!.secret_id);
        // This test connects from 127.0.0.1, outside the catalog's CIDRs.
        assert.ok(!appRole.boundCidrs.some((cidr) => cidr.startsWith("127.")));
        await assert.rejects(
          server.root.write("auth/approle/login", { role_id: roleId.role_id, secret_id: secret!.secret_id }),
          /source address|unauthorized|invalid/i,
        );
        const stored = (
          await server.root.read<{ secret_id_num_uses: number; token_bound_cidrs: string[] }>(
            `auth/approle/role/${appRole.name}`,
          )
        ).data;
        assert.equal(stored.secret_id_num_uses, 1);
        assert.deepEqual(stored.token_bound_cidrs, appRole.boundCidrs);
      });

    /** What ESO does for a Vault store or generator: log in as the referenced service account. */
    interface VaultProviderSpec {
      path?: string;
      auth: {
        kubernetes: {
          mountPath: string;
          role: string;
          serviceAccountRef: { name: string; audiences: string[] };
        };
      };
    }
    async function loginAsEso(
      provider: VaultProviderSpec,
      namespace: string,
      cluster: string,
    ): Promise<VaultClient> {
      const { mountPath, role, serviceAccountRef } = provider.auth.kubernetes;
      const jwt = serviceAccountToken(
        { namespace, serviceAccount: serviceAccountRef.name, cluster },
        { aud: serviceAccountRef.audiences },
      );
      const { auth } = await server.root.write(`auth/${mountPath}/login`, { role, jwt });
      return server.root.withToken(auth!.client_token);
    }

    it("ESO's stores and generators log in as their service accounts and read exactly what each ExternalSecret asks for", async () => {
      const eso = await recordResources(() => esoPlatform(catalog), catalog, env);
      const spec = (r: RecordedResource): unknown => r.inputs.spec;
      const meta = (r: RecordedResource) => r.inputs.metadata as { name: string; namespace: string };
      const ofKind = (kind: string) => eso.filter((r) => r.type.endsWith(`:${kind}`));
      const clusterOfNamespace = (namespace: string) =>
        catalog.workloads.find((w) => w.namespace === namespace)!.cluster;
      let kvReads = 0;
      let generatorReads = 0;
      for (const external of ofKind("ExternalSecret")) {
        const { namespace } = meta(external);
        const cluster = clusterOfNamespace(namespace);
        const es = spec(external) as {
          secretStoreRef?: { kind: string; name: string };
          dataFrom: Array<{ extract?: { key: string }; sourceRef?: { generatorRef: { name: string } } }>;
        };
        for (const from of es.dataFrom ?? []) {
          if (from.sourceRef) {
            const generator = ofKind("VaultDynamicSecret").find(
              (g) => meta(g).namespace === namespace && meta(g).name === from.sourceRef!.generatorRef.name,
            )!;
            const g = spec(generator) as { path: string; method: string; provider: VaultProviderSpec };
            assert.equal(g.method, "GET");
            const client = await loginAsEso(g.provider, namespace, cluster);
            const lease = await client.read<DatabaseCredential>(g.path);
            issued.push(lease.data.password);
            assert.ok(lease.data.username && lease.data.password, `${meta(generator).name} issued a login`);
            // Static credentials carry no lease; dynamic ones are revoked so no login is left behind.
            if (lease.lease_id)
              await server.root.write("sys/leases/revoke", { lease_id: lease.lease_id, sync: true });
            generatorReads++;
            continue;
          }
          const store = ofKind("SecretStore").find(
            (x) => meta(x).namespace === namespace && meta(x).name === es.secretStoreRef!.name,
          )!;
          const provider = (spec(store) as { provider: { vault?: VaultProviderSpec } }).provider.vault;
          if (!provider || !from.extract) continue; // a cloud store: not Vault's to prove
          const secretPath = `${provider.path}/data/${from.extract.key}`;
          const value = `eso-${Math.random().toString(36).slice(2)}`;
          issued.push(value);
          const current = await server.root
            .read<{ metadata: { version: number } }>(secretPath)
            .catch(() => undefined);
          await server.root.write(secretPath, {
            options: { cas: current?.data.metadata.version ?? 0 },
            data: { value },
          });
          const client = await loginAsEso(provider, namespace, cluster);
          assert.equal((await client.read<{ data: { value: string } }>(secretPath)).data.data.value, value);
          kvReads++;
        }
      }
      const expectedKv = catalog.workloads.flatMap((w) =>
        w.secrets.filter((x) => x.source === "vault-kv"),
      ).length;
      const expectedDb = catalog.workloads.flatMap((w) =>
        w.secrets.filter((x) => x.source === "vault-database"),
      ).length;
      assert.deepEqual({ kvReads, generatorReads }, { kvReads: expectedKv, generatorReads: expectedDb });
    });

    if (shape.eso?.clusterSecretStores.length)
      it("a ClusterSecretStore logs in only from its namespaces and reads only below its KV prefix", async () => {
        const eso = await recordResources(() => esoPlatform(catalog), catalog, env);
        for (const settings of catalog.eso!.clusterSecretStores) {
          const store = eso.find(
            (r) =>
              r.type.endsWith(":ClusterSecretStore") &&
              (r.inputs.metadata as { name: string }).name === settings.name,
          )!;
          const provider = (store.inputs.spec as { provider: { vault: VaultProviderSpec } }).provider.vault;
          const inside = `${provider.path}/data/${settings.kvPathPrefix}/flag`;
          const outside = `${provider.path}/data/payments/webhook-signing`;
          for (const namespace of settings.namespaces) {
            const client = await loginAsEso(provider, namespace, settings.cluster);
            const caps = await capabilities(client, [inside, outside]);
            assert.deepEqual([caps[inside], caps[outside]], [["read"], ["deny"]], namespace);
          }
          await assert.rejects(loginAsEso(provider, "not-listed", settings.cluster), VaultError);
        }
      });

    it("the file audit device records every request, with no credential or secret value in clear", async () => {
      const log = fs.readFileSync(auditFile, "utf8");
      const entries = log
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { request?: { path?: string } });
      assert.ok(
        entries.some((e) => e.request?.path?.includes("/creds/")),
        "credential reads are audited",
      );
      assert.ok(issued.length >= 3);
      for (const value of issued)
        assert.ok(!log.includes(value), "an issued secret appears in the audit log");
    });
  });
}
