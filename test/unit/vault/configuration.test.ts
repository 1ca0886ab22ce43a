/** The configuration layer under the mock runtime: wiring of each workload, profile TTLs, two layers. */
import * as assert from "node:assert/strict";
import { dialectOf } from "../../../components/vault/sql";
import { requiredSecretKeys, seedSecretKeys } from "../../../stacks/loader";
import { SNAPSHOT_IDENTITY } from "../../../components/vault/serverNames";
import { PROFILES } from "../../../stacks/profiles";
import { ENVIRONMENTS } from "../../../stacks/schema";
import { validateCatalog } from "../../../stacks/validate";
import type { RecordedResource } from "../../../tools/offline/types";
import { ofType, shippedCatalog, shippedCatalogInput } from "../../support/offline";
import { recordVault, single } from "./support";

const K8S_ROLE = "vault:kubernetes/authBackendRole:AuthBackendRole";
const JWT_ROLE = "vault:jwt/authBackendRole:AuthBackendRole";
const CONNECTION = "vault:database/secretBackendConnection:SecretBackendConnection";
const ENDPOINT = "vault:generic/endpoint:Endpoint";

for (const env of ENVIRONMENTS) {
  describe(`VaultConfiguration of the shipped ${env} stack`, () => {
    const catalog = shippedCatalog(env);
    const profile = PROFILES[env];
    let resources: RecordedResource[];
    before(async () => {
      resources = await recordVault(catalog);
    });

    it("every vault-reading workload has one role bound to exactly its namespace, service account and policy", () => {
      const readers = catalog.workloads.filter((w) =>
        w.secrets.some((s) => s.source === "vault-kv" || s.source === "vault-database"),
      );
      const roles = [...ofType(resources, K8S_ROLE), ...ofType(resources, JWT_ROLE)].filter(
        (r) =>
          String(r.inputs.backend).startsWith("kubernetes-") &&
          !String(r.inputs.roleName).startsWith("cluster-store-") &&
          r.inputs.roleName !== SNAPSHOT_IDENTITY, // the snapshot job's (snapshots.test.ts)
      );
      assert.equal(roles.length, readers.length);
      for (const w of readers) {
        const role = single(roles, (r) => r.inputs.roleName === w.name);
        assert.equal(role.inputs.backend, `kubernetes-${w.cluster}`);
        assert.deepEqual(role.inputs.tokenPolicies, [`workload-${w.name}`]);
        assert.equal(role.inputs.tokenTtl, profile.vault.workloadTokenTtlSeconds);
        assert.equal(role.inputs.tokenMaxTtl, profile.vault.workloadTokenTtlSeconds);
        if (role.type === K8S_ROLE) {
          assert.equal(w.cluster, catalog.vault!.cluster);
          assert.deepEqual(role.inputs.boundServiceAccountNames, [w.serviceAccount]);
          assert.deepEqual(role.inputs.boundServiceAccountNamespaces, [w.namespace]);
          assert.equal(role.inputs.audience, "vault");
        } else {
          assert.notEqual(w.cluster, catalog.vault!.cluster);
          assert.equal(role.inputs.boundSubject, `system:serviceaccount:${w.namespace}:${w.serviceAccount}`);
          assert.deepEqual(role.inputs.boundAudiences, ["vault"]);
        }
      }
    });

    it("remote clusters' mounts verify tokens against the cluster's own issuer", () => {
      const mounts = ofType(resources, "vault:jwt/authBackend:AuthBackend").filter((m) =>
        String(m.inputs.path).startsWith("kubernetes-"),
      );
      for (const m of mounts) {
        const cluster = catalog.kubernetes.clusters.find((c) => `kubernetes-${c.name}` === m.inputs.path)!;
        assert.equal(m.inputs.oidcDiscoveryUrl, cluster.oidcIssuerUrl);
        assert.equal(m.inputs.boundIssuer, cluster.oidcIssuerUrl);
      }
    });

    it("KV v2 per environment with the profile's max versions and CAS required", () => {
      const kv = single(resources, (r) => r.type === "vault:index/mount:Mount" && r.inputs.type === "kv");
      assert.equal(kv.inputs.path, `kv-${env}`);
      assert.deepEqual(kv.inputs.options, { version: "2" });
      const config = single(resources, (r) => r.type === "vault:kv/secretBackendV2:SecretBackendV2");
      assert.equal(config.inputs.maxVersions, profile.vault.kvMaxVersions);
      assert.equal(config.inputs.casRequired, true);
    });

    it("one connection per used database, allowed exactly its roles, admin password as a secret", () => {
      const connections = ofType(resources, "vault:database/secretBackendConnection:SecretBackendConnection");
      const dynamic = ofType(resources, "vault:database/secretBackendRole:SecretBackendRole");
      const statics = ofType(resources, "vault:database/secretBackendStaticRole:SecretBackendStaticRole");
      for (const c of connections) {
        const roles = [...dynamic, ...statics]
          .filter((r) => r.inputs.dbName === c.inputs.name)
          .map((r) => r.inputs.name);
        assert.deepEqual([...(c.inputs.allowedRoles as string[])].sort(), roles.sort());
        const engine = catalog.databases.find((d) => d.name === c.inputs.name)!.engine;
        // The secret password makes the whole plugin block secret.
        assert.ok(
          c.secretPaths.some((p) => p === engine || p === `${engine}.password`),
          String(c.inputs.name),
        );
      }
      const expectedRoles = new Set(
        catalog.workloads.flatMap((w) =>
          w.secrets.flatMap((s) =>
            s.source !== "vault-database"
              ? []
              : [
                  s.credential === "static"
                    ? `${s.database}-static-${s.username}`
                    : `${s.database}-${s.access}`,
                ],
          ),
        ),
      );
      assert.deepEqual(new Set([...dynamic, ...statics].map((r) => r.inputs.name)), expectedRoles);
    });

    it("Vault rotates each connection's root right after creating it, with the statement for the bootstrap's account", () => {
      const connections = ofType(resources, CONNECTION);
      const rotations = ofType(resources, ENDPOINT);
      assert.equal(rotations.length, connections.length);
      for (const c of connections) {
        const database = catalog.databases.find((d) => d.name === c.inputs.name)!;
        const rotation = single(
          rotations,
          (r) => r.inputs.path === `database-${env}/rotate-root/${database.name}`,
        );
        assert.ok(rotation.opts.dependsOn.includes(c.urn), "rotates only once the connection exists");
        assert.equal(rotation.inputs.disableRead, true);
        assert.equal(rotation.inputs.disableDelete, true);
        // The seed is in config here: it goes to Vault, and a new value re-seeds.
        assert.deepEqual(c.opts.ignoreChanges, []);
        assert.equal(c.opts.deleteBeforeReplace, true);
        const admin = database.vaultAdmin?.username ?? database.adminUsername;
        const bootstrap = dialectOf(database).bootstrap(database, []).statements.join("\n");
        if (database.engine === "mysql") {
          assert.deepEqual(c.inputs.rootRotationStatements, [
            "ALTER USER '{{username}}'@'%' IDENTIFIED BY '{{password}}'",
          ]);
          assert.match(bootstrap, new RegExp(`TO '${admin}'@'%'`));
        } else {
          assert.deepEqual(c.inputs.rootRotationStatements, [
            `ALTER ROLE "{{username}}" WITH PASSWORD '{{password}}'`,
          ]);
          assert.match(bootstrap, new RegExp(`TO .*"${admin}" WITH ADMIN OPTION`));
        }
        const plugin = c.inputs[database.engine] as Record<string, unknown>;
        assert.equal(plugin.username, admin);
      }
    });

    it("dynamic roles take TTL and max TTL from the profile; static roles its schedule and window", () => {
      for (const r of ofType(resources, "vault:database/secretBackendRole:SecretBackendRole")) {
        assert.equal(r.inputs.defaultTtl, profile.dynamicCredential.ttlSeconds);
        assert.equal(r.inputs.maxTtl, profile.dynamicCredential.maxTtlSeconds);
      }
      for (const r of ofType(resources, "vault:database/secretBackendStaticRole:SecretBackendStaticRole")) {
        assert.equal(r.inputs.rotationSchedule, profile.staticRotation.vaultSchedule);
        assert.equal(r.inputs.rotationWindow, profile.staticRotation.windowSeconds);
      }
    });

    it("a file audit device on the audit volume, plus syslog when the catalog asks", () => {
      const devices = ofType(resources, "vault:index/audit:Audit");
      const file = single(devices, (d) => d.inputs.type === "file");
      assert.deepEqual(file.inputs.options, { file_path: "/vault/audit/vault-audit.log", mode: "0600" });
      assert.equal(
        devices.some((d) => d.inputs.type === "syslog"),
        catalog.vault!.audit.syslog,
      );
    });

    it("the provider has no token of its own: it takes the ambient login's, and acts with it directly", () => {
      const provider = single(resources, (r) => r.type === "pulumi:providers:vault");
      assert.equal(catalog.vault!.tokenConfigKey, undefined);
      assert.ok(!("token" in provider.inputs), "no token in the provider's inputs (nor in state)");
      // No child token: neither the deployer nor the preview policy needs auth/token/create.
      assert.equal(String(provider.inputs.skipChildToken), "true"); // provider inputs are strings
    });

    it("the deployer's own policy is created first and deleted last: everything else depends on it", () => {
      const deployer = single(
        resources,
        (r) => r.type === "vault:index/policy:Policy" && r.inputs.name === "platform-deployer",
      );
      const others = resources.filter((r) => r.custom && r.type.startsWith("vault:") && r !== deployer);
      assert.ok(others.length > 10);
      for (const r of others) assert.ok(r.opts.dependsOn.includes(deployer.urn), r.name);
    });

    it("the audit devices come before every engine and auth method (and go after them): each change is audited, none races a device's setup", () => {
      const audits = resources.filter((r) => r.type === "vault:index/audit:Audit");
      assert.ok(audits.length >= 1);
      const mountsAndAuth = resources.filter((r) =>
        /^vault:(index\/(mount|authBackend):|database\/|kubernetes\/|jwt\/|appRole\/|kv\/)/.test(r.type),
      );
      assert.ok(mountsAndAuth.length > 5, mountsAndAuth.map((r) => r.type).join());
      for (const r of mountsAndAuth)
        for (const audit of audits)
          assert.ok(r.opts.dependsOn.includes(audit.urn), `${r.name} after ${audit.name}`);
    });

    it("the provider trusts the committed CA file by its project path, valid on every machine", () => {
      const provider = single(resources, (r) => r.type === "pulumi:providers:vault");
      assert.equal(provider.inputs.caCertFile, catalog.vault!.caCertFile);
      assert.equal(provider.inputs.caCertFile, `certs/vault-ca-${env}.pem`);
      assert.equal(String(provider.inputs.skipTlsVerify), "false"); // provider inputs are strings
    });
  });
}

describe("VaultConfiguration ClusterSecretStores (prod)", () => {
  it("each store logs in as ESO's per-store account in exactly its namespaces, reading only its prefix", async () => {
    const catalog = shippedCatalog("prod");
    const resources = await recordVault(catalog);
    const store = catalog.eso!.clusterSecretStores[0];
    const role = single(
      resources,
      (r) => r.type === K8S_ROLE && r.inputs.roleName === `cluster-store-${store.name}`,
    );
    assert.equal(role.inputs.backend, `kubernetes-${store.cluster}`);
    assert.deepEqual(role.inputs.boundServiceAccountNames, [`eso-${store.name}`]);
    assert.deepEqual(role.inputs.boundServiceAccountNamespaces, store.namespaces);
    assert.deepEqual(role.inputs.tokenPolicies, [`cluster-store-${store.name}`]);
    const policy = single(
      resources,
      (r) => r.type === "vault:index/policy:Policy" && r.inputs.name === `cluster-store-${store.name}`,
    );
    assert.equal(
      policy.inputs.policy,
      `path "kv-prod/data/${store.kvPathPrefix}/*" {\n  capabilities = ["read"]\n}\n`,
    );
  });

  it("a store on a remote cluster binds each namespace's subject through the cluster's issuer", async () => {
    const input = shippedCatalogInput("prod");
    input.eso!.clusterSecretStores![0].cluster = "gke-prod";
    const resources = await recordVault(validateCatalog(input));
    const role = single(
      resources,
      (r) => r.type === JWT_ROLE && r.inputs.roleName === "cluster-store-shared-feature-flags",
    );
    assert.equal(role.inputs.backend, "kubernetes-gke-prod");
    assert.deepEqual(role.inputs.boundClaims, {
      sub: "system:serviceaccount:payments:eso-shared-feature-flags,system:serviceaccount:orders:eso-shared-feature-flags",
    });
  });
});

describe("VaultConfiguration humans and automation (prod)", () => {
  const catalog = shippedCatalog("prod");
  const profile = PROFILES.prod;
  let resources: RecordedResource[];
  before(async () => {
    resources = await recordVault(catalog);
  });

  it("AppRoles: secret-id TTL and uses from the profile, CIDR-bound secret ids and tokens", () => {
    const role = single(resources, (r) => r.type === "vault:appRole/authBackendRole:AuthBackendRole");
    assert.equal(role.inputs.roleName, "release-bot");
    assert.equal(role.inputs.secretIdTtl, profile.vault.approleSecretIdTtlSeconds);
    assert.equal(role.inputs.secretIdNumUses, profile.vault.approleSecretIdUses);
    assert.deepEqual(role.inputs.secretIdBoundCidrs, ["10.20.0.0/24"]);
    assert.deepEqual(role.inputs.tokenBoundCidrs, ["10.20.0.0/24"]);
    assert.deepEqual(role.inputs.tokenPolicies, ["approle-release-bot"]);
  });

  it("GitHub Actions: one role per kind of job on github.com's issuer, each bound to the repository and the job's own claims", () => {
    const mount = single(
      resources,
      (r) => r.type === "vault:jwt/authBackend:AuthBackend" && r.inputs.path === "jwt-github",
    );
    assert.equal(mount.inputs.oidcDiscoveryUrl, "https://token.actions.githubusercontent.com");
    assert.equal(mount.inputs.boundIssuer, "https://token.actions.githubusercontent.com");
    const roles = ofType(resources, JWT_ROLE).filter((r) => r.inputs.backend === "jwt-github");
    assert.deepEqual(roles.map((r) => r.inputs.roleName).sort(), ["deploy", "drift", "preview"]);
    const role = (name: string) => single(roles, (r) => r.inputs.roleName === name);
    for (const r of roles) {
      assert.equal(r.inputs.roleType, "jwt");
      assert.deepEqual(r.inputs.boundAudiences, ["https://github.com/example-org"]);
      assert.equal(r.inputs.boundClaimsType, "string", `${r.inputs.roleName}: exact values, no globs`);
    }
    // Only the deploy workflow's jobs in the prod environment, on main: not another workflow of
    // main, not another environment's job, not a pull request.
    assert.deepEqual(role("deploy").inputs.boundClaims, {
      repository: "example-org/secrets-platform",
      environment: "prod",
      job_workflow_ref: "example-org/secrets-platform/.github/workflows/deploy-stack.yml@refs/heads/main",
      ref: "refs/heads/main",
    });
    assert.deepEqual(role("deploy").inputs.tokenPolicies, ["platform-deployer"]);
    assert.equal(role("deploy").inputs.tokenTtl, profile.vault.workloadTokenTtlSeconds);
    assert.deepEqual(role("preview").inputs.boundClaims, {
      repository: "example-org/secrets-platform",
      event_name: "pull_request",
      base_ref: "main",
    });
    assert.deepEqual(role("drift").inputs.boundClaims, {
      repository: "example-org/secrets-platform",
      ref: "refs/heads/main",
      job_workflow_ref: "example-org/secrets-platform/.github/workflows/drift.yml@refs/heads/main",
    });
    for (const name of ["preview", "drift"]) {
      const r = role(name);
      assert.deepEqual(r.inputs.tokenPolicies, ["platform-preview"], name);
      assert.equal(r.inputs.tokenNoDefaultPolicy, true, `${name}: exactly the read-only policy`);
      assert.equal(r.inputs.tokenTtl, profile.vault.ciReadTokenTtlSeconds, name);
      assert.equal(r.inputs.tokenMaxTtl, profile.vault.ciReadTokenTtlSeconds, name);
    }
    assert.ok(profile.vault.ciReadTokenTtlSeconds <= 15 * 60);
  });

  it("GitHub Actions: the catalog's branch and workflow files bind every role", async () => {
    const input = shippedCatalogInput("prod");
    Object.assign(input.vault!.jwt!, {
      githubBranch: "release/2026",
      deployWorkflow: ".github/workflows/release.yaml",
      driftWorkflow: ".github/workflows/nightly-drift.yml",
    });
    const roles = ofType(await recordVault(validateCatalog(input)), JWT_ROLE).filter(
      (r) => r.inputs.backend === "jwt-github",
    );
    const claims = (name: string) =>
      single(roles, (r) => r.inputs.roleName === name).inputs.boundClaims as Record<string, string>;
    assert.equal(
      claims("deploy").job_workflow_ref,
      "example-org/secrets-platform/.github/workflows/release.yaml@refs/heads/release/2026",
    );
    assert.equal(claims("deploy").ref, "refs/heads/release/2026");
    assert.equal(claims("preview").base_ref, "release/2026");
    assert.equal(
      claims("drift").job_workflow_ref,
      "example-org/secrets-platform/.github/workflows/nightly-drift.yml@refs/heads/release/2026",
    );
  });

  it("a vault.tokenConfigKey (a machine without CI logins): the provider's token comes from it, a secret", async () => {
    const input = shippedCatalogInput("prod");
    input.vault!.tokenConfigKey = "vaultToken";
    const catalog = validateCatalog(input);
    assert.ok(
      requiredSecretKeys(catalog).some((k) => k.key === "vaultToken" && k.path === "vault.tokenConfigKey"),
    );
    const provider = single(await recordVault(catalog), (r) => r.type === "pulumi:providers:vault");
    assert.ok(provider.secretPaths.includes("token"));
    assert.equal(String(provider.inputs.skipChildToken), "true");
  });

  it("GitHub Enterprise Server: the catalog's issuer and audience replace github.com's", async () => {
    const input = shippedCatalogInput("prod");
    Object.assign(input.vault!.jwt!, {
      issuerUrl: "https://github.example.internal/_services/token",
      audience: "https://github.example.internal/example-org",
    });
    const ghes = await recordVault(validateCatalog(input));
    const mount = single(
      ghes,
      (r) => r.type === "vault:jwt/authBackend:AuthBackend" && r.inputs.path === "jwt-github",
    );
    assert.equal(mount.inputs.oidcDiscoveryUrl, "https://github.example.internal/_services/token");
    assert.equal(mount.inputs.boundIssuer, "https://github.example.internal/_services/token");
    for (const role of ofType(ghes, JWT_ROLE).filter((r) => r.inputs.backend === "jwt-github"))
      assert.deepEqual(role.inputs.boundAudiences, ["https://github.example.internal/example-org"]);
  });

  it("OIDC: operator groups get the operator policy; break-glass is its own role with the profile's short TTL", () => {
    const oidc = single(
      resources,
      (r) => r.type === "vault:jwt/authBackend:AuthBackend" && r.inputs.type === "oidc",
    );
    assert.ok(oidc.secretPaths.includes("oidcClientSecret"));
    const roles = ofType(resources, JWT_ROLE).filter((r) => r.inputs.backend === "oidc");
    const operator = single(roles, (r) => r.inputs.roleName === "operator");
    assert.deepEqual(operator.inputs.tokenPolicies, ["operator"]);
    assert.deepEqual(operator.inputs.boundClaims, { groups: "platform-security-oncall" });
    const breakGlass = single(roles, (r) => r.inputs.roleName === "break-glass");
    assert.deepEqual(breakGlass.inputs.tokenPolicies, ["break-glass"]);
    assert.equal(breakGlass.inputs.tokenTtl, profile.vault.breakGlassTokenTtlSeconds);
    assert.equal(breakGlass.inputs.tokenMaxTtl, profile.vault.breakGlassTokenTtlSeconds);
    // No other role anywhere hands out break-glass.
    const grantors = [...ofType(resources, JWT_ROLE), ...ofType(resources, K8S_ROLE)].filter((r) =>
      (r.inputs.tokenPolicies as string[]).includes("break-glass"),
    );
    assert.deepEqual(
      grantors.map((r) => r.inputs.roleName),
      ["break-glass"],
    );
  });

  it("MySQL logins require TLS when the database does; PostgreSQL verifies the server", () => {
    const mysqlRole = single(
      resources,
      (r) => r.inputs.name === "ledger-mysql-read-only" && r.type.includes("secretBackendRole"),
    );
    assert.match((mysqlRole.inputs.creationStatements as string[])[0], /REQUIRE SSL$/);
    const pg = single(
      resources,
      (r) => r.type.includes("secretBackendConnection") && r.inputs.name === "orders-pg",
    );
    assert.match(
      String((pg.inputs.postgresql as { connectionUrl: string }).connectionUrl),
      /sslmode=verify-full$/,
    );
  });
});

describe("a connection's seed key removed after the first up (dev)", () => {
  const catalog = shippedCatalog("dev");
  const [database] = catalog.databases;
  let resources: RecordedResource[];
  before(async () => {
    // The mock answers the program's read of the connection, as a Vault holding it does.
    resources = await recordVault(catalog, [database.adminPasswordConfigKey]);
  });

  it("the connection is declared without a password, and the engine keeps the one in state", () => {
    const c = single(ofType(resources, CONNECTION), (r) => r.inputs.name === database.name);
    const plugin = c.inputs[database.engine] as Record<string, unknown>;
    assert.ok(!("password" in plugin), "no password input");
    assert.equal(plugin.username, database.adminUsername);
    assert.deepEqual(c.opts.ignoreChanges, [`${database.engine}.password`]);
  });

  it("the loader no longer asks for the key; other secrets stay required", () => {
    assert.deepEqual([...seedSecretKeys(catalog)], [database.adminPasswordConfigKey]);
    const prod = shippedCatalog("prod");
    assert.deepEqual(
      [...seedSecretKeys(prod)].sort(),
      prod.databases.map((d) => d.vaultAdmin!.passwordConfigKey).sort(),
      "the rotation functions' admin keys stay",
    );
  });
});

describe("Vault two-layer deploy and bad input", () => {
  it("configure: false registers the cluster and no Vault-provider resource", async () => {
    const input = shippedCatalogInput("prod");
    input.vault!.configure = false;
    const resources = await recordVault(validateCatalog(input));
    assert.equal(
      resources.filter((r) => r.type.startsWith("vault:") || r.type === "pulumi:providers:vault").length,
      0,
    );
    assert.equal(ofType(resources, "kubernetes:helm.sh/v3:Release").length, 1);
  });

  /** dev's catalog configuring an existing Vault, its first cluster reviewed through an API server. */
  const existingVaultCatalog = (apiServer: { reviewerJwtConfigKey?: string } = {}) => {
    const input = shippedCatalogInput("dev");
    input.vault = {
      deploy: false,
      address: "https://vault.example.internal:8200",
      caCertFile: "certs/vault-ca-dev.pem",
    };
    input.kubernetes.clusters[0].apiServer = {
      url: "https://api.eks-dev.example.internal",
      caCertFile: "certs/vault-ca-dev.pem",
      ...apiServer,
    };
    return validateCatalog(input);
  };

  it("an existing Vault (deploy: false): no cluster, no Kubernetes resource; a cluster's apiServer gets the Kubernetes method", async () => {
    const catalog = existingVaultCatalog();
    const resources = await recordVault(catalog);
    assert.equal(resources.filter((r) => r.type.startsWith("kubernetes:")).length, 0);
    const config = single(
      resources,
      (r) => r.type === "vault:kubernetes/authBackendConfig:AuthBackendConfig",
    );
    assert.equal(config.inputs.kubernetesHost, "https://api.eks-dev.example.internal");
    assert.match(String(config.inputs.kubernetesCaCert), /^-----BEGIN CERTIFICATE-----/);
    assert.equal(config.inputs.disableLocalCaJwt, true);
    assert.equal(config.inputs.tokenReviewerJwt, undefined, "Vault keeps no Kubernetes credential");
    const roles = ofType(resources, K8S_ROLE);
    assert.equal(
      roles.length,
      catalog.workloads.filter((w) => w.secrets.some((x) => x.source.startsWith("vault-"))).length,
    );
  });

  it("an apiServer's reviewerJwtConfigKey: Vault reviews logins with that reviewer token, a secret", async () => {
    const catalog = existingVaultCatalog({ reviewerJwtConfigKey: "eksDevReviewerJwt" });
    assert.ok(
      requiredSecretKeys(catalog).some(
        (k) =>
          k.key === "eksDevReviewerJwt" && k.path === "kubernetes.clusters[0].apiServer.reviewerJwtConfigKey",
      ),
      "the loader requires the key, set with --secret",
    );
    const resources = await recordVault(catalog);
    const config = single(
      resources,
      (r) => r.type === "vault:kubernetes/authBackendConfig:AuthBackendConfig",
    );
    assert.equal(config.inputs.kubernetesHost, "https://api.eks-dev.example.internal");
    assert.equal(config.inputs.disableLocalCaJwt, true);
    assert.equal(config.inputs.tokenReviewerJwt, "test-placeholder-for-eksDevReviewerJwt");
    assert.ok(config.secretPaths.includes("tokenReviewerJwt"), "the reviewer JWT is a Pulumi secret");
  });

  it("a reviewerJwtConfigKey that is not a config key name is refused", () => {
    const input = shippedCatalogInput("dev");
    input.kubernetes.clusters[0].apiServer = {
      url: "https://api.eks-dev.example.internal",
      reviewerJwtConfigKey: "eks-dev/reviewer",
    };
    assert.throws(
      () => validateCatalog(input),
      /kubernetes\.clusters\[0\]\.apiServer\.reviewerJwtConfigKey: must be a config key name/,
    );
  });

  it("refuses a static user requested with two access levels, before registering anything", async () => {
    const input = shippedCatalogInput("prod");
    input.workloads.push({
      name: "audit-export",
      namespace: "orders",
      serviceAccount: "audit-export",
      cluster: "eks-prod",
      secrets: [
        {
          name: "reporting-db",
          source: "vault-database",
          database: "orders-pg",
          access: "read-write",
          credential: "static",
          username: "reporting",
        },
      ],
    });
    await assert.rejects(
      recordVault(validateCatalog(input)),
      /workloads\.audit-export\.secrets\.reporting-db: static user "reporting" of orders-pg is requested as read-write and as read-only/,
    );
  });

  it("dev allows schema changes: read-write logins join the owner group and start as it", async () => {
    const resources = await recordVault(shippedCatalog("dev"));
    const rw = single(
      resources,
      (r) => r.inputs.name === "orders-pg-read-write" && r.type.includes("secretBackendRole"),
    );
    assert.deepEqual(rw.inputs.creationStatements, [
      `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}' IN ROLE "orders_writer", "orders_owner"`,
      `ALTER ROLE "{{name}}" SET role = "orders_owner"`,
    ]);
  });
});
