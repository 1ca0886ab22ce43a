/**
 * Each shipped stack (dev, staging, prod) applied by the real Pulumi engine (the CLI, the Node
 * language host and the vault provider built from source, test/engine/cli.ts) with `pulumi up
 * --policy-pack ./policy` and the runbook's deployer token (not root), to a real Vault server
 * (built from HashiCorp's source by scripts/vault-env.sh), its database engine driving the real
 * PostgreSQL and MariaDB: Vault itself parses our policies, evaluates them for each workload's
 * token, runs our role SQL, revokes leases, rotates static logins, checks JWT bindings and
 * AppRole CIDRs, and writes the audit log.
 *
 * The stack file holds the shipped catalog, changed only where this machine must differ (see
 * `onThisMachine`; a test checks the applied configuration differs from the shipped one by
 * exactly that): database hosts, the token issuers' URLs of the other clusters, GitHub and the
 * operators' identity provider (stand-ins on 127.0.0.1), Vault's address and CA, the audit file
 * path, and the API server of Vault's cluster (Vault runs outside a pod here): the real
 * kube-apiserver of scripts/kube-env.sh, with its CA and a reviewer account bound to
 * `system:auth-delegator` only, where the workloads' namespaces (suffixed per run: the server
 * is shared) and service accounts are created and their tokens come from the TokenRequest API.
 * The syslog audit device is off (no syslog daemon here). The AWS, GCP and Azure providers
 * cannot run here and ESO needs a Kubernetes cluster, so those sections are left out: the stack
 * keeps its Vault part. ESO's objects are still checked against this
 * Vault, from the mock runtime's recording of the shipped catalog; a catalog
 * ClusterSecretStore's Vault role and policy come with the `eso` section, so the test of that
 * store writes them to this Vault as the program declares them.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "@cdktf/hcl2json";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { VaultConfiguration } from "../../../../components/vault/configuration";
import { VAULT_IMAGE } from "../../../../components/vault/helmValues";
import { deployerPolicy, renderPolicy } from "../../../../components/vault/policies";
import { databaseRoles, vaultWorkloads, workloadReadPaths } from "../../../../components/vault/plan";
import { requiredSecretKeys } from "../../../../stacks/loader";
import { SNAPSHOT_IDENTITY } from "../../../../components/vault/serverNames";
import { vaultNames } from "../../../../stacks/naming";
import { PROFILES } from "../../../../stacks/profiles";
import {
  type Catalog,
  type CatalogInput,
  type Database,
  ENVIRONMENTS,
  GITHUB_ACTIONS_ISSUER,
  type Workload,
} from "../../../../stacks/schema";
import { validateCatalog } from "../../../../stacks/validate";
import type { RecordedResource } from "../../../../tools/offline/types";
import { type Engine, fileBackend, Project, requirePulumi } from "../../../engine/cli";
import {
  createNamespace,
  createReviewer,
  createServiceAccount,
  type Kube,
  removeNamespace,
  requestToken,
  requireKube,
  uniqueName,
} from "../../../engine/kube";
import { declaredVaultState, union, type VaultState, vaultState } from "../../../engine/vault-state";
import {
  loadedStackFor,
  PROJECT_DIR,
  recordResources,
  shippedCatalog,
  shippedCatalogInput,
} from "../../../support/offline";
import { esoPlatform } from "../../../unit/eso/fixtures";
import { type EngineSettings, requireEngine } from "../../engines";
import { mysqlSession, pgSession, type SessionTarget } from "../../rotation/databases";
import { type FakeIssuers, startIssuers } from "./issuer";
import { type LocalCatalog, localCatalog } from "./local-catalog";
import { issueServerCertificate, vaultCli } from "./operator-tools";
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

/** What differs on this machine from where the shipped stack runs. */
interface Machine {
  /** The local stand-in for a token issuer or discovery URL. */
  readonly issuerUrl: (real: string) => string;
  /** The local Vault's https address (its CA is written where `vault.caCertFile` points). */
  readonly vaultAddress: string;
  /** The API server of Vault's cluster, for the TokenReviews of its Kubernetes auth. */
  readonly apiServer: {
    readonly url: string;
    /** Its service-account issuer. */
    readonly issuer: string;
    /** Where the checkout holds its CA certificate. */
    readonly caCertFile: string;
    readonly reviewerJwtConfigKey: string;
  };
  /** A namespace of Vault's cluster as this run names it on the (shared) API server. */
  readonly namespace: (shipped: string) => string;
  readonly auditFile: string;
}

const VAULT_SECRET_SOURCES = new Set(["vault-kv", "vault-database"]);

/**
 * The (database-localised) shipped catalog as this machine applies it. Vault is an existing
 * server here (`deploy: false`), outside any pod: its own cluster's workloads log in through
 * that cluster's API server (`apiServer`: the real one, its CA and a reviewer token), as the
 * catalog lets any Vault outside a cluster do; their namespaces get this run's suffix. The other
 * clusters' issuers, GitHub's and the operators' identity provider are stand-ins on 127.0.0.1
 * (a local issuer has no cloud, so `cloud` goes). The clouds' and ESO's sections, and the cloud
 * secrets of workloads, are left out (their providers do not run here); syslog is off.
 */
function onThisMachine(shipped: CatalogInput, machine: Machine): CatalogInput {
  const c = structuredClone(shipped);
  delete c.aws;
  delete c.gcp;
  delete c.azure;
  delete c.eso;
  c.workloads = c.workloads
    .map((w) => ({ ...w, secrets: w.secrets.filter((s) => VAULT_SECRET_SOURCES.has(s.source)) }))
    .filter((w) => w.secrets.length > 0);
  const vault = c.vault!;
  for (const cluster of c.kubernetes.clusters) {
    delete cluster.cloud;
    if (cluster.name === vault.cluster) {
      const { url, issuer, caCertFile, reviewerJwtConfigKey } = machine.apiServer;
      cluster.oidcIssuerUrl = issuer;
      cluster.apiServer = { url, caCertFile, reviewerJwtConfigKey };
    } else cluster.oidcIssuerUrl = machine.issuerUrl(cluster.oidcIssuerUrl);
  }
  for (const w of c.workloads) if (w.cluster === vault.cluster) w.namespace = machine.namespace(w.namespace);
  vault.deploy = false;
  vault.address = machine.vaultAddress;
  vault.audit = { ...vault.audit, syslog: false, filePath: machine.auditFile };
  if (vault.jwt) vault.jwt.issuerUrl = machine.issuerUrl(vault.jwt.issuerUrl ?? GITHUB_ACTIONS_ISSUER);
  if (vault.oidc) vault.oidc.discoveryUrl = machine.issuerUrl(vault.oidc.discoveryUrl);
  return c;
}

/** A value `pulumi stack export` shows encrypted. */
const isSecret = (value: unknown) =>
  typeof value === "object" && value !== null && "4dabf18193072939515e22adb298388d" in value;

interface ExportedResource {
  readonly urn: string;
  readonly type: string;
  readonly custom?: boolean;
  readonly inputs?: Record<string, unknown>;
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** The config key of the reviewer token of Vault's cluster in this machine's stack file. */
const REVIEWER_KEY = "vaultReviewerJwt";

for (const env of ENVIRONMENTS) {
  // What the suite declares depends on the shipped catalog; `catalog` is what this machine applies.
  const shape = shippedCatalog(env);
  // The raft-snapshot job's policy and login role exist only where the platform deploys Vault;
  // here it configures an existing one (vault.deploy: false), so neither, nor their reads.
  const snapshotIdentityLeftOut = shape.vault!.deploy !== false && shape.vault!.snapshots !== undefined;
  const profile = PROFILES[env];
  const cloudOf = (w: Workload) => shape.kubernetes.clusters.find((c) => c.name === w.cluster)!.cloud;
  const stackFile = `Pulumi.${env}.yaml`;

  describe(`the ${env} stack applied by the real Pulumi engine to a real Vault server`, function () {
    this.timeout(900_000);
    let pulumiEngine: Engine;
    let engine: EngineSettings;
    let local: LocalCatalog;
    /** The catalog in the stack file `pulumi up` applies. */
    let catalog: Catalog;
    /** The shipped stack's Vault configuration (databases localised), as the program declares it. */
    let shipped: RecordedResource[];
    /** The Vault resources in the engine's state after `pulumi up`. */
    let applied: ExportedResource[];
    let server: VaultServer;
    let issuers: FakeIssuers;
    let kube: Kube;
    let backend: ReturnType<typeof fileBackend>;
    let project: Project;
    let workDir: string;
    let auditFile: string;
    /** The Vault CLI against this server's TLS listener, as a CI job runs it. */
    let cli: ReturnType<typeof vaultCli>;
    let baseline: VaultState;
    /** Every credential Vault handed out, so the audit test can look for each in the log. */
    const issued: string[] = [];
    /** Vault's cluster: its workloads log in through the real API server. */
    const vaultCluster = shape.vault!.cluster!;
    /** This run's namespace suffix on the API server, which every checkout on the machine shares. */
    const suffix = uniqueName("run").slice("run-".length);
    /** A namespace as this run names it on the API server (a name already suffixed is kept). */
    const onApiServer = (namespace: string) =>
      namespace.endsWith(`-${suffix}`) ? namespace : `${namespace}-${suffix}`;
    /** Namespaces made on the API server (removed after), and accounts made there. */
    const namespaces = new Set<string>();
    const accounts = new Set<string>();
    let reviewerBinding: string | undefined;

    /** The namespace and service account on the API server, as the cluster's operators make them. */
    async function ensureServiceAccount(namespace: string, name: string): Promise<void> {
      if (!namespaces.has(namespace)) {
        namespaces.add(namespace);
        await createNamespace(kube.admin, namespace);
      }
      if (accounts.has(`${namespace}/${name}`)) return;
      await createServiceAccount(kube.admin, namespace, name);
      accounts.add(`${namespace}/${name}`);
    }

    const denied = (status: number) => (err: unknown) => err instanceof VaultError && err.status === status;

    /**
     * A projected service-account token of `w`; `as` changes who it names or where from. In
     * Vault's cluster, a TokenRequest token from the real API server (the account is made there
     * first, in the namespace as this run names it); in another cluster, a token its issuer's
     * stand-in signs (subject and the `kubernetes.io` claims agree, as in real tokens).
     */
    const serviceAccountToken = async (
      w: Pick<Workload, "namespace" | "serviceAccount" | "cluster">,
      as: { namespace?: string; name?: string; aud?: string[]; cluster?: string } = {},
    ): Promise<string> => {
      const name = as.name ?? w.serviceAccount;
      const audiences = as.aud ?? [vaultNames.kubernetesAuthAudience];
      const clusterName = as.cluster ?? w.cluster;
      if (clusterName === vaultCluster) {
        const namespace = onApiServer(as.namespace ?? w.namespace);
        await ensureServiceAccount(namespace, name);
        return requestToken(kube.admin, namespace, name, { audiences, expirationSeconds: 600 });
      }
      const namespace = as.namespace ?? w.namespace;
      // The shipped issuer: `issuers` signs as its local stand-in, the URL the stack file holds.
      const cluster = shape.kubernetes.clusters.find((c) => c.name === clusterName)!;
      return issuers.sign(cluster.oidcIssuerUrl, {
        sub: `system:serviceaccount:${namespace}:${name}`,
        aud: audiences,
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
      const { auth } = await login(w, await serviceAccountToken(w));
      return server.root.withToken(auth!.client_token);
    }

    const capabilities = async (client: VaultClient, paths: string[]) =>
      (await client.write<Record<string, string[]>>("sys/capabilities-self", { paths })).data!;

    before(async function () {
      pulumiEngine = requirePulumi(this);
      requireVault(this);
      kube = await requireKube(this);
      engine = await requireEngine(this, "postgresql");
      await requireEngine(this, "mariadb");
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-vault-"));
      auditFile = path.join(workDir, "audit.log");
      const certificate = issueServerCertificate(path.join(workDir, "tls"), ["localhost"], ["127.0.0.1"]);
      server = await startVault(workDir, certificate);
      cli = vaultCli(server.tlsAddress!, certificate.caFile, "localhost");
      issuers = await startIssuers();
      local = localCatalog(shippedCatalogInput(env), engine);
      await local.prepare();
      // Vault's own cluster is the one its Kubernetes auth (not JWT) serves: the real API server.
      const input = onThisMachine(local.input, {
        issuerUrl: issuers.urlFor,
        vaultAddress: server.tlsAddress!,
        apiServer: {
          url: kube.settings.url,
          issuer: kube.settings.issuer,
          caCertFile: `certs/${vaultCluster}-api-ca.pem`,
          reviewerJwtConfigKey: REVIEWER_KEY,
        },
        namespace: onApiServer,
        auditFile,
      });
      catalog = validateCatalog(input);

      // The cluster's side, as its operators set it up: the workloads' namespaces and service
      // accounts, and Vault's reviewer in a namespace of its own, bound to system:auth-delegator.
      for (const w of catalog.workloads.filter((x) => x.cluster === vaultCluster))
        await ensureServiceAccount(w.namespace, w.serviceAccount);
      const reviewerNamespace = `sp-vault-${suffix}`;
      namespaces.add(reviewerNamespace);
      await createNamespace(kube.admin, reviewerNamespace);
      const reviewer = await createReviewer(kube.admin, reviewerNamespace, "vault-reviewer");
      reviewerBinding = reviewer.bindingPath;
      // It reaches Vault too (the deployer writes it into the mount's config): never in its log.
      issued.push(reviewer.token);

      // The shipped configuration as the program declares it, named as in the stack.
      const stack = loadedStackFor(local.catalog);
      const secrets = new Map(stack.secrets);
      for (const [key, password] of local.adminPasswords) secrets.set(key, pulumi.secret(password));
      shipped = await recordResources(
        () => new VaultConfiguration("platform-vault-config", { stack: { ...stack, secrets } }),
        local.catalog,
        env,
      );

      // As the runbook does: the configuration is applied with the deployer token, never root.
      await server.root.request("PUT", "sys/policies/acl/platform-deployer", {
        policy: renderPolicy(deployerPolicy(catalog)),
      });
      baseline = await vaultState(server.root);
      const { auth } = await server.root.write("auth/token/create-orphan", {
        policies: ["platform-deployer"],
        ttl: "720h",
        explicit_max_ttl: "720h",
      });

      // The shipped stack file with this catalog; its config secrets are set below, with the
      // passphrase provider of the engine's environment instead of prod's cloud KMS.
      const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, stackFile), "utf8")) as {
        secretsprovider?: string;
        config: Record<string, unknown>;
      };
      delete doc.secretsprovider;
      doc.config["secrets-platform:catalog"] = input;
      backend = fileBackend();
      // The shipped stacks keep no Vault token in config: the provider takes the ambient one,
      // as in CI (the job's JWT login) or after `vault login`.
      project = Project.create(pulumiEngine, backend.url, env, { VAULT_TOKEN: auth!.client_token });
      project.write(stackFile, YAML.stringify(doc));
      // What an operator commits after initialising: the CA of this Vault's certificate, and
      // the CA of the API server of Vault's cluster.
      project.write(catalog.vault!.caCertFile!, fs.readFileSync(certificate.caFile, "utf8"));
      project.write(`certs/${vaultCluster}-api-ca.pem`, kube.caPem);
      await project.run(["stack", "init", env]);
      // Values go in on stdin, never in argv.
      assert.equal(catalog.vault!.tokenConfigKey, undefined);
      for (const { key } of requiredSecretKeys(catalog)) {
        const value =
          key === REVIEWER_KEY
            ? reviewer.token
            : (local.adminPasswords.get(key) ?? `client-secret-${Math.random().toString(36).slice(2)}`);
        await project.run(["config", "set", "--secret", key], { input: value });
      }
    });

    after(async () => {
      await server?.stop();
      await issuers?.close();
      await local?.cleanUp();
      if (reviewerBinding) await kube.admin.delete(reviewerBinding).catch(() => undefined);
      await Promise.all([...namespaces].map((n) => removeNamespace(kube.admin, n).catch(() => undefined)));
      project?.remove();
      backend?.remove();
      if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    /** The pack with the stack's policy config, as CI passes it: its exemptions (the deployer's policy, …). */
    const policyPack = [
      "--policy-pack",
      "./policy",
      "--policy-pack-config",
      path.join(PROJECT_DIR, `Pulumi.${env}.policy-config.json`),
    ];

    it("pulumi up with the policy pack and the deployer token (ambient VAULT_TOKEN): Vault then holds exactly the declared mounts, auth methods, audit devices, roles and policies", async () => {
      await project.run(["up", "--yes", "--stack", env, ...policyPack]);
      const exported = JSON.parse((await project.run(["stack", "export", "--stack", env])).stdout) as {
        deployment: { resources: ExportedResource[] };
      };
      applied = exported.deployment.resources.filter((r) => r.custom && r.type.startsWith("vault:"));
      assert.ok(applied.length > 15, `${applied.length} Vault resources`);
      const declared = declaredVaultState(
        applied.map((r) => ({ newState: { type: r.type, inputs: r.inputs } })),
      );
      assert.deepEqual(await vaultState(server.root), union(baseline, declared));
      const health = (await (await fetch(`${server.root.address}/v1/sys/health`)).json()) as {
        version: string;
      };
      assert.equal(health.version, VAULT_IMAGE.tag, "the server under test is the version the chart deploys");
    });

    /** The shipped resource's inputs (secrets as "[secret]") with this machine's values. */
    function onThisMachineInputs(r: RecordedResource): Record<string, unknown> {
      const inputs = structuredClone(r.displayInputs);
      switch (r.type) {
        case "vault:index/policy:Policy":
          // The preview policy reads each declared policy and role back; ESO's cluster-store
          // ones are not applied here (the `eso` section is left out), so neither are their reads.
          if (inputs.name === "platform-preview") {
            const stores = [
              ...(shape.eso?.clusterSecretStores ?? []).flatMap((s) => [
                vaultNames.clusterStorePolicy(s),
                vaultNames.clusterStoreRole(s),
              ]),
              ...(snapshotIdentityLeftOut ? [SNAPSHOT_IDENTITY] : []),
            ];
            inputs.policy = (String(inputs.policy).match(/path "[^"]+" \{\n[^}]*\}\n/g) ?? [])
              .filter((block) => !stores.some((name) => block.includes(`/${name}"`)))
              .join("\n");
          }
          break;
        case "vault:jwt/authBackend:AuthBackend":
          for (const key of ["oidcDiscoveryUrl", "boundIssuer"])
            if (typeof inputs[key] === "string") inputs[key] = issuers.urlFor(inputs[key]);
          break;
        case "vault:kubernetes/authBackendConfig:AuthBackendConfig":
          // In its pod Vault asks the in-cluster API with its mounted CA and token; outside one,
          // the API server the catalog names, with its CA and the reviewer token.
          Object.assign(inputs, {
            kubernetesHost: kube.settings.url,
            kubernetesCaCert: kube.caPem,
            tokenReviewerJwt: "[secret]",
            disableLocalCaJwt: true,
          });
          break;
        case "vault:kubernetes/authBackendRole:AuthBackendRole":
          // The namespaces as this run names them on the API server.
          inputs.boundServiceAccountNamespaces = (inputs.boundServiceAccountNamespaces as string[]).map(
            onApiServer,
          );
          break;
        case "vault:index/audit:Audit":
          if (inputs.type === "file")
            inputs.options = { ...(inputs.options as object), file_path: auditFile };
          break;
        case "vault:jwt/authBackendRole:AuthBackendRole":
          // Operators' sign-in returns to this Vault's address.
          if (Array.isArray(inputs.allowedRedirectUris))
            inputs.allowedRedirectUris = (inputs.allowedRedirectUris as string[]).map((u) =>
              u.replace(shape.vault!.address, server.tlsAddress!),
            );
          break;
      }
      return inputs;
    }

    /**
     * `want` (a shipped input, "[secret]" for secrets) equals what the engine's state holds:
     * secrets still encrypted, and nothing more than the provider's own defaults added.
     */
    function assertSameInput(want: unknown, got: unknown, at: string): void {
      if (want === "[secret]") return assert.ok(isSecret(got), `${at} is a secret in the engine's state`);
      if (typeof want !== "object" || want === null || Array.isArray(want))
        return assert.deepEqual(got, want, at);
      assert.ok(typeof got === "object" && got !== null && !isSecret(got), `${at}: ${JSON.stringify(got)}`);
      const wanted = want as Record<string, unknown>;
      const held = got as Record<string, unknown>;
      for (const [key, value] of Object.entries(wanted)) assertSameInput(value, held[key], `${at}.${key}`);
      const defaults = new Set((held.__defaults as string[] | undefined) ?? []);
      const added = Object.keys(held).filter((k) => k !== "__defaults" && !defaults.has(k) && !(k in wanted));
      assert.deepEqual(added, [], `${at}: inputs the shipped configuration does not declare`);
    }

    it("applies the shipped configuration, changed only where this machine must; without the syslog device, ESO's cluster stores and the snapshot job's identity", () => {
      const vaultResources = shipped.filter((r) => r.custom && r.type.startsWith("vault:"));
      const stores = shape.eso?.clusterSecretStores ?? [];
      const snapshots = snapshotIdentityLeftOut;
      const policiesLeftOut = new Set([
        ...stores.map((s) => vaultNames.clusterStorePolicy(s)),
        ...(snapshots ? [SNAPSHOT_IDENTITY] : []),
      ]);
      const rolesLeftOut = new Set([
        ...stores.map((s) => vaultNames.clusterStoreRole(s)),
        ...(snapshots ? [SNAPSHOT_IDENTITY] : []),
      ]);
      const leftOut = vaultResources.filter(
        (r) =>
          (r.type === "vault:index/audit:Audit" && r.inputs.type === "syslog") ||
          (r.type === "vault:index/policy:Policy" && policiesLeftOut.has(String(r.inputs.name))) ||
          (r.type.endsWith("/authBackendRole:AuthBackendRole") &&
            rolesLeftOut.has(String(r.inputs.roleName))),
      );
      assert.equal(
        leftOut.length,
        (shape.vault!.audit.syslog ? 1 : 0) + 2 * stores.length + (snapshots ? 2 : 0),
      );
      const kept = vaultResources.filter((r) => !leftOut.includes(r));
      assert.deepEqual(
        applied.map((r) => `${r.type} ${nameOf(r.urn)}`).sort(),
        kept.map((r) => `${r.type} ${r.name}`).sort(),
      );
      for (const r of kept) {
        const held = applied.find((a) => a.type === r.type && nameOf(a.urn) === r.name)!;
        assertSameInput(onThisMachineInputs(r), held.inputs ?? {}, r.name);
      }
    });

    it("stores every policy exactly as applied", async () => {
      for (const r of applied.filter((x) => x.type === "vault:index/policy:Policy")) {
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
        const { auth } = await login(w, await serviceAccountToken(w));
        assert.deepEqual((auth as VaultAuth).token_policies, ["default", vaultNames.workloadPolicy(w)]);
        assert.equal((auth as VaultAuth).lease_duration, profile.vault.workloadTokenTtlSeconds);
        const otherClusters = catalog.kubernetes.clusters.filter((c) => c.name !== w.cluster);
        // In Vault's cluster these are real accounts' TokenRequest tokens, reviewed by the API
        // server; a token of another cluster is one the other's issuer signed.
        const refusals = [
          await serviceAccountToken(w, { name: "someone-else" }),
          await serviceAccountToken(w, { namespace: "other-namespace" }),
          await serviceAccountToken(w, { aud: ["kubernetes"] }),
          ...(await Promise.all(otherClusters.map((c) => serviceAccountToken(w, { cluster: c.name })))),
        ];
        for (const jwt of refusals) await assert.rejects(login(w, jwt), VaultError);
      });
    }

    /**
     * What GitHub puts in a job's OIDC token (docs: "About security hardening with OpenID
     * Connect"), for a job of `workflow` on the deploy branch, signed by github.com's stand-in.
     * `claims` override or add (a pull request's, another environment's…).
     */
    const githubToken = (workflow: string, claims: Record<string, unknown> = {}) => {
      const github = catalog.vault!.jwt!;
      const repo = github.githubRepository;
      const ref = `refs/heads/${github.githubBranch}`;
      return issuers.sign(GITHUB_ACTIONS_ISSUER, {
        sub: `repo:${repo}:ref:${ref}`,
        aud: [`https://github.com/${repo.split("/")[0]}`],
        repository: repo,
        repository_owner: repo.split("/")[0],
        ref,
        ref_type: "branch",
        event_name: "push",
        workflow_ref: `${repo}/${workflow}@${ref}`,
        job_workflow_ref: `${repo}/${workflow}@${ref}`,
        actor: "release-engineer",
        ...claims,
      });
    };
    const githubLogin = (role: string, jwt: string) =>
      server.root.write("auth/jwt-github/login", { role, jwt }).then(({ auth }) => auth as VaultAuth);
    /** The deploy job's token: the deploy workflow (called from deploy.yml), in this stack's environment. */
    const deployJobToken = (claims: Record<string, unknown> = {}) => {
      const github = catalog.vault!.jwt!;
      return githubToken(github.deployWorkflow, {
        sub: `repo:${github.githubRepository}:environment:${catalog.environment}`,
        environment: catalog.environment,
        workflow_ref: `${github.githubRepository}/.github/workflows/deploy.yml@refs/heads/${github.githubBranch}`,
        ...claims,
      });
    };
    /** A pull request's preview job: same-repository branch into the deploy branch. */
    const pullRequestToken = (claims: Record<string, unknown> = {}) => {
      const github = catalog.vault!.jwt!;
      const merge = "refs/pull/7/merge";
      return githubToken(".github/workflows/preview.yml", {
        sub: `repo:${github.githubRepository}:pull_request`,
        event_name: "pull_request",
        ref: merge,
        base_ref: github.githubBranch,
        head_ref: "feature/new-workload",
        workflow_ref: `${github.githubRepository}/.github/workflows/preview.yml@${merge}`,
        job_workflow_ref: `${github.githubRepository}/.github/workflows/preview.yml@${merge}`,
        ...claims,
      });
    };
    const driftJobToken = (claims: Record<string, unknown> = {}) =>
      githubToken(catalog.vault!.jwt!.driftWorkflow, { event_name: "schedule", ...claims });

    if (shape.vault?.jwt) {
      it("GitHub Actions deploy role: only the deploy workflow's job in this environment, on the deploy branch", async () => {
        const github = catalog.vault!.jwt!;
        const auth = await githubLogin("deploy", deployJobToken());
        assert.deepEqual(auth.token_policies, ["default", "platform-deployer"]);
        assert.equal(auth.lease_duration, profile.vault.workloadTokenTtlSeconds);
        const otherEnvironment = ENVIRONMENTS.find((e) => e !== catalog.environment)!;
        const repo = github.githubRepository;
        const refusals: Record<string, string> = {
          "another environment's job": deployJobToken({ environment: otherEnvironment }),
          "a job outside any environment": deployJobToken({ environment: undefined }),
          "another workflow on the deploy branch": deployJobToken({
            job_workflow_ref: `${repo}/.github/workflows/ci.yml@refs/heads/${github.githubBranch}`,
          }),
          "the drift workflow": driftJobToken({ environment: catalog.environment }),
          "the deploy workflow of another branch": deployJobToken({
            ref: "refs/heads/feature",
            job_workflow_ref: `${repo}/${github.deployWorkflow}@refs/heads/feature`,
          }),
          "a pull request": pullRequestToken({ environment: catalog.environment }),
          "another repository": deployJobToken({ repository: "someone/fork" }),
        };
        for (const [what, jwt] of Object.entries(refusals))
          await assert.rejects(githubLogin("deploy", jwt), /claim/, what);
      });

      it("GitHub Actions preview and drift roles: read-only, short-lived, only pull requests into the deploy branch and the drift workflow on it", async () => {
        for (const [role, jwt] of [
          ["preview", pullRequestToken()],
          ["drift", driftJobToken()],
        ] as const) {
          const auth = await githubLogin(role, jwt);
          assert.deepEqual(auth.token_policies, ["platform-preview"], `${role}: no default policy`);
          assert.equal(auth.lease_duration, profile.vault.ciReadTokenTtlSeconds, role);
        }
        const github = catalog.vault!.jwt!;
        const refusals: Array<[string, string, string]> = [
          ["preview", "a push to the deploy branch", githubToken(".github/workflows/preview.yml")],
          ["preview", "a pull request into another branch", pullRequestToken({ base_ref: "feature" })],
          ["preview", "pull_request_target", pullRequestToken({ event_name: "pull_request_target" })],
          ["preview", "another repository", pullRequestToken({ repository: "someone/fork" })],
          ["drift", "the deploy job", deployJobToken()],
          ["drift", "a pull request", pullRequestToken()],
          [
            "drift",
            "the drift workflow of another branch",
            driftJobToken({
              ref: "refs/heads/feature",
              job_workflow_ref: `${github.githubRepository}/${github.driftWorkflow}@refs/heads/feature`,
            }),
          ],
        ];
        for (const [role, what, jwt] of refusals)
          await assert.rejects(githubLogin(role, jwt), /claim/, `${role}: ${what}`);
      });
    }

    if (shape.vault?.jwt) {
      it("the deploy job logs in as docs/ci-identities.md shows (its ID token on stdin) and, with that token as VAULT_TOKEN, runs pulumi up --refresh: no change", async () => {
        const token = cli(
          ["write", "-field=token", "auth/jwt-github/login", "role=deploy", "jwt=-"],
          undefined,
          deployJobToken(),
        ).trim();
        await project.run(
          ["up", "--yes", "--refresh", "--expect-no-changes", "--stack", env, ...policyPack],
          {
            env: { VAULT_TOKEN: token },
          },
        );
      });

      it("with only the preview or drift login, pulumi preview --refresh and refresh --preview-only of the applied stack succeed with no change; Vault denies nothing, and every grant of platform-preview is used", async () => {
        const auditedBefore = fs.readFileSync(auditFile, "utf8").length;
        const preview = await githubLogin("preview", pullRequestToken());
        await project.run(["preview", "--refresh", "--expect-no-changes", "--stack", env, ...policyPack], {
          env: { VAULT_TOKEN: preview.client_token },
        });
        const drift = await githubLogin("drift", driftJobToken());
        await project.run(["refresh", "--preview-only", "--expect-no-changes", "--stack", env], {
          env: { VAULT_TOKEN: drift.client_token },
        });
        // Vault's own record of what those two runs asked for.
        const requests = fs
          .readFileSync(auditFile, "utf8")
          .slice(auditedBefore)
          .trim()
          .split("\n")
          .map(
            (line) =>
              JSON.parse(line) as {
                type: string;
                error?: string;
                auth?: { policies?: string[] };
                request?: { path?: string; operation?: string };
              },
          )
          .filter((e) => e.type === "request" && e.auth?.policies?.includes("platform-preview"));
        assert.ok(requests.length > 10, `${requests.length} requests`);
        assert.deepEqual(
          requests
            .filter((e) => e.error)
            .map((e) => `${e.request?.operation} ${e.request?.path}: ${e.error}`),
          [],
        );
        assert.deepEqual([...new Set(requests.map((e) => e.request?.operation))].sort(), ["read"]);
        const { data } = await server.root.read<{ policy: string }>("sys/policies/acl/platform-preview");
        const granted = Object.keys(
          ((await parse("platform-preview.hcl", data.policy)) as { path: object }).path,
        );
        assert.deepEqual([...new Set(requests.map((e) => e.request!.path!))].sort(), granted.sort());
      });

      it("the preview login can change nothing and read no secret", async () => {
        const auth = await githubLogin("preview", pullRequestToken());
        const client = server.root.withToken(auth.client_token);
        const kv = vaultNames.kvMount(catalog);
        const db = vaultNames.databaseMount(catalog);
        const kvPath = catalog.workloads
          .flatMap((w) => w.secrets)
          .find((x): x is Extract<typeof x, { source: "vault-kv" }> => x.source === "vault-kv")!.path;
        const dynamicRole = databaseRoles(catalog).find((r) => r.credential === "dynamic")!.name;
        const attempts: Record<string, () => Promise<unknown>> = {
          "vault policy write": () =>
            client.request("PUT", "sys/policies/acl/platform-preview", {
              policy: 'path "*" { capabilities = ["read", "sudo"] }',
            }),
          "kv put": () => client.write(`${kv}/data/${kvPath}`, { options: { cas: 0 }, data: { value: "x" } }),
          "kv get": () => client.read(`${kv}/data/${kvPath}`),
          "kv metadata": () => client.read(`${kv}/metadata/${kvPath}`),
          "database credentials": () => client.read(`${db}/creds/${dynamicRole}`),
          "database connection change": () =>
            client.write(`${db}/config/${databaseRoles(catalog)[0].database.name}`, {
              verify_connection: false,
            }),
          "a token with the deployer's policy": () =>
            client.write("auth/token/create", { policies: ["platform-deployer"] }),
          "a child token": () => client.write("auth/token/create", {}),
          "role change": () =>
            client.write("auth/jwt-github/role/preview", { token_policies: ["platform-deployer"] }),
          "mount tuning": () => client.write(`sys/mounts/${kv}/tune`, { max_lease_ttl: "87600h" }),
          "disabling the audit device": () => client.request("DELETE", "sys/audit/file"),
          "disabling an auth method": () => client.request("DELETE", "sys/auth/jwt-github"),
        };
        for (const [what, attempt] of Object.entries(attempts))
          await assert.rejects(attempt(), denied(403), what);
      });
    }

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
      const jwt = await serviceAccountToken(
        { namespace, serviceAccount: serviceAccountRef.name, cluster },
        { aud: serviceAccountRef.audiences },
      );
      const { auth } = await server.root.write(`auth/${mountPath}/login`, { role, jwt });
      return server.root.withToken(auth!.client_token);
    }

    it("ESO's stores and generators log in as their service accounts and read exactly what each ExternalSecret asks for", async () => {
      // ESO's objects as the shipped catalog declares them (its `eso` section is not applied here).
      const delivery = local.catalog;
      const eso = await recordResources(() => esoPlatform(delivery), delivery, env);
      const spec = (r: RecordedResource): unknown => r.inputs.spec;
      const meta = (r: RecordedResource) => r.inputs.metadata as { name: string; namespace: string };
      const ofKind = (kind: string) => eso.filter((r) => r.type.endsWith(`:${kind}`));
      const clusterOfNamespace = (namespace: string) =>
        delivery.workloads.find((w) => w.namespace === namespace)!.cluster;
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
      const expectedKv = delivery.workloads.flatMap((w) =>
        w.secrets.filter((x) => x.source === "vault-kv"),
      ).length;
      const expectedDb = delivery.workloads.flatMap((w) =>
        w.secrets.filter((x) => x.source === "vault-database"),
      ).length;
      assert.deepEqual({ kvReads, generatorReads }, { kvReads: expectedKv, generatorReads: expectedDb });
    });

    if (shape.eso?.clusterSecretStores.length)
      it("a ClusterSecretStore logs in only from its namespaces and reads only below its KV prefix", async () => {
        // A store's Vault role and policy come with the catalog's `eso` section, which the stack
        // applied above leaves out (it installs ESO with Helm): here they are written as the
        // program declares them (`shipped`, with this run's namespaces) and removed after.
        const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        const kv = vaultNames.kvMount(catalog);
        for (const store of shape.eso!.clusterSecretStores) {
          const policy = shipped.find(
            (r) =>
              r.type === "vault:index/policy:Policy" &&
              r.inputs.name === vaultNames.clusterStorePolicy(store),
          )!;
          const role = shipped.find(
            (r) =>
              r.type.endsWith("/authBackendRole:AuthBackendRole") &&
              r.inputs.roleName === vaultNames.clusterStoreRole(store),
          )!;
          assert.ok(policy && role, `the program declares ${store.name}'s policy and role`);
          const { backend, roleName, ...fields } = onThisMachineInputs(role) as Record<string, unknown>;
          const rolePath = `auth/${String(backend)}/role/${String(roleName)}`;
          await server.root.request("PUT", `sys/policies/acl/${String(policy.inputs.name)}`, {
            policy: policy.inputs.policy,
          });
          await server.root.write(
            rolePath,
            Object.fromEntries(Object.entries(fields).map(([k, v]) => [snakeCase(k), v])),
          );
          try {
            const inside = `${kv}/data/${store.kvPathPrefix}/probe`;
            const value = `store-${Math.random().toString(36).slice(2)}`;
            issued.push(value);
            await server.root.write(inside, { options: { cas: 0 }, data: { value } });
            const account = vaultNames.clusterStoreServiceAccount(store);
            const loginFrom = async (namespace: string) =>
              server.root.write(`auth/${String(backend)}/login`, {
                role: roleName,
                jwt: await serviceAccountToken({
                  namespace,
                  serviceAccount: account,
                  cluster: store.cluster,
                }),
              });
            for (const namespace of store.namespaces) {
              const { auth } = await loginFrom(namespace);
              const client = server.root.withToken(auth!.client_token);
              assert.equal((await client.read<{ data: { value: string } }>(inside)).data.data.value, value);
              const caps = await capabilities(client, [inside, `${kv}/data/not-${store.kvPathPrefix}/probe`]);
              assert.deepEqual(caps[inside], ["read"], `${store.name} from ${namespace}`);
              assert.deepEqual(caps[`${kv}/data/not-${store.kvPathPrefix}/probe`], ["deny"]);
              await assert.rejects(
                client.write(inside, { options: { cas: 1 }, data: { value: "overwritten" } }),
                denied(403),
              );
            }
            // The same account name in a namespace the store does not list is refused.
            await assert.rejects(loginFrom("sp-not-a-store-namespace"), denied(403));
          } finally {
            await server.root.request("DELETE", rolePath);
            await server.root.request("DELETE", `sys/policies/acl/${String(policy.inputs.name)}`);
          }
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
