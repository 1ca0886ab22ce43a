import * as assert from "node:assert/strict";
import { requiredSecretKeys } from "../../../stacks/loader";
import { PROFILES, profileOrderingViolations } from "../../../stacks/profiles";
import type { CatalogInput } from "../../../stacks/schema";
import { CatalogError, validateCatalog } from "../../../stacks/validate";
import { shippedCatalogInput } from "../../support/offline";

type Mutable = Record<string, any>;

/** Valid transit-unseal settings, for the mutations below. */
const TRANSIT = {
  address: "https://unseal.example.internal:8200",
  keyName: "sp-prod-unseal",
  caCertFile: "certs/vault-ca-prod.pem",
  tokenSecretName: "vault-transit-seal",
};

function rejects(mutate: (c: Mutable) => void, path: string, message: RegExp) {
  const catalog = shippedCatalogInput("prod") as Mutable;
  mutate(catalog);
  let error: unknown;
  try {
    validateCatalog(catalog as CatalogInput);
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof CatalogError, "expected a CatalogError");
  const issue = error.issues.find((i) => i.path === path);
  assert.ok(issue, `no issue at ${path}; got: ${error.message}`);
  assert.match(issue.message, message);
  assert.ok(error.message.includes(path), "the one-line message names the key path");
}

describe("catalog schema", () => {
  for (const stack of ["dev", "staging", "prod"] as const) {
    it(`accepts the shipped ${stack} stack`, () => {
      const catalog = validateCatalog(shippedCatalogInput(stack));
      assert.equal(catalog.environment, stack);
    });
  }

  it("prod meets the shipped-stack bar: all backends, ESO, >= 8 workloads in >= 3 namespaces, PostgreSQL and MySQL", () => {
    const c = validateCatalog(shippedCatalogInput("prod"));
    assert.ok(c.vault && c.aws && c.gcp && c.azure && c.eso);
    assert.ok(c.workloads.length >= 8);
    assert.ok(new Set(c.workloads.map((w) => w.namespace)).size >= 3);
    assert.deepEqual(new Set(c.databases.map((d) => d.engine)), new Set(["postgresql", "mysql"]));
  });

  it("fills secure defaults", () => {
    const c = validateCatalog(shippedCatalogInput("dev"));
    assert.equal(c.vault?.configure, true);
    assert.equal(c.databases[0].tls, true);
    assert.equal(c.workloads[0].consumes, "env");
  });

  const malformed: Array<[string, (c: Mutable) => void, string, RegExp]> = [
    [
      "unknown secret source",
      (c) => (c.workloads[3].secrets[0].source = "vault-kvv"),
      "workloads[3].secrets[0].source",
      /must be one of "vault-kv"/,
    ],
    [
      "unknown environment",
      (c) => (c.environment = "production"),
      "environment",
      /must be one of "dev", "staging", "prod"/,
    ],
    [
      "misspelt key",
      (c) => (c.workloads[0].serviceAcount = "x"),
      "workloads[0]",
      /unknown key "serviceAcount"/,
    ],
    [
      "namespace not DNS-1123",
      (c) => (c.workloads[1].namespace = "Payments_NS"),
      "workloads[1].namespace",
      /DNS-1123/,
    ],
    [
      "unknown database",
      (c) => (c.workloads[0].secrets[0].database = "orders-pgsql"),
      "workloads[0].secrets[0].database",
      /unknown database "orders-pgsql"/,
    ],
    [
      "unknown cluster",
      (c) => (c.workloads[2].cluster = "eks-nowhere"),
      "workloads[2].cluster",
      /unknown cluster "eks-nowhere"/,
    ],
    [
      "duplicate workload",
      (c) => (c.workloads[1].name = c.workloads[0].name),
      "workloads[1].name",
      /duplicate workload name/,
    ],
    [
      "duplicate secret in a workload",
      (c) => (c.workloads[0].secrets[1].name = c.workloads[0].secrets[0].name),
      "workloads[0].secrets[1].name",
      /duplicate secret name/,
    ],
    [
      "two workloads share a service account",
      (c) => {
        c.workloads[1].serviceAccount = c.workloads[0].serviceAccount;
        c.workloads[1].namespace = c.workloads[0].namespace;
      },
      "workloads[1].serviceAccount",
      /duplicate cluster\/namespace\/service account/,
    ],
    [
      "source backend not enabled",
      (c) => delete c.azure,
      "workloads[7].secrets[0].source",
      /needs the azure backend/,
    ],
    [
      "static credential without user",
      (c) => delete c.workloads[4].secrets[0].username,
      "workloads[4].secrets[0].username",
      /static credentials need/,
    ],
    [
      "dynamic credential with a user",
      (c) => (c.workloads[0].secrets[0].username = "app"),
      "workloads[0].secrets[0].username",
      /dynamic credentials create their own users/,
    ],
    ["bad AWS account id", (c) => (c.aws.accountId = "1234"), "aws.accountId", /12-digit AWS account id/],
    ["port out of range", (c) => (c.databases[0].port = 70000), "databases[0].port", /<=65535/],
    [
      "vault unseal cloud not enabled",
      (c) => {
        c.vault.unseal = "gcp";
        delete c.gcp;
        c.workloads = c.workloads.filter((w: Mutable) => !w.secrets.some((s: Mutable) => s.source === "gcp"));
      },
      "vault.unseal",
      /needs the gcp backend/,
    ],
    [
      "workload cluster without ESO",
      (c) => (c.eso.clusters = ["eks-prod", "gke-prod"]),
      "workloads[7].cluster",
      /no External Secrets Operator/,
    ],
    [
      "GCP secret from a non-GKE cluster",
      (c) => (c.workloads[0].secrets[1].source = "gcp"),
      "workloads[0].secrets[1].source",
      /GKE Workload Identity needs a GKE cluster/,
    ],
    [
      "rotation of an unknown database",
      (c) => (c.workloads[1].secrets[1].rotation.database = "nope-db"),
      "workloads[1].secrets[1].rotation.database",
      /unknown database "nope-db"/,
    ],
    [
      "platform and issuer rotation at once",
      (c) => (c.workloads[1].secrets[1].issuerRotation = "vendor portal"),
      "workloads[1].secrets[1].issuerRotation",
      /either by the platform .* or by its issuer/,
    ],
    ["no workloads", (c) => (c.workloads = []), "workloads", /at least 1|>=1/],
    [
      "cluster secret store without namespaces",
      (c) => (c.eso.clusterSecretStores[0].namespaces = []),
      "eso.clusterSecretStores[0].namespaces",
      /at least 1|>=1/,
    ],
    [
      "plain http to a Vault off this machine",
      (c) => (c.vault.address = "http://vault.prod.example.internal:8200"),
      "vault.address",
      /https:\/\/ URL \(plain http:\/\/ only on the loopback address\)/,
    ],
    [
      "plain http to a cluster's issuer off this machine",
      (c) => (c.kubernetes.clusters[1].oidcIssuerUrl = "http://issuer.example.internal/gke-prod"),
      "kubernetes.clusters[1].oidcIssuerUrl",
      /https:\/\/ URL \(plain http:\/\/ only on the loopback address\)/,
    ],
    [
      "plain http to a cloud cluster's issuer, even on loopback",
      (c) => (c.kubernetes.clusters[2].oidcIssuerUrl = "http://127.0.0.1:8080/aks"),
      "kubernetes.clusters[2].oidcIssuerUrl",
      /must be an https:\/\/ URL for a cluster on azure/,
    ],
    [
      "plain http to the operators' identity provider off this machine",
      (c) => (c.vault.oidc.discoveryUrl = "http://login.example.com/"),
      "vault.oidc.discoveryUrl",
      /https:\/\/ URL \(plain http:\/\/ only on the loopback address\)/,
    ],
    [
      "plain http to a GitHub Actions issuer off this machine",
      (c) => (c.vault.jwt.issuerUrl = "http://github.example.internal/_services/token"),
      "vault.jwt.issuerUrl",
      /https:\/\/ URL \(plain http:\/\/ only on the loopback address\)/,
    ],
    [
      "an empty GitHub Actions audience",
      (c) => (c.vault.jwt.audience = ""),
      "vault.jwt.audience",
      /at least 1|>=1/,
    ],
    [
      "a deploy branch with a comma (Vault would read the bound claim as two branches)",
      (c) => (c.vault.jwt.githubBranch = "main,feature"),
      "vault.jwt.githubBranch",
      /must be a branch name/,
    ],
    [
      "a deploy workflow outside .github/workflows",
      (c) => (c.vault.jwt.deployWorkflow = "deploy-stack.yml"),
      "vault.jwt.deployWorkflow",
      /must be a file under \.github\/workflows\//,
    ],
    [
      "a drift workflow naming a ref (the role adds the deploy branch's)",
      (c) => (c.vault.jwt.driftWorkflow = ".github/workflows/drift.yml@refs/heads/x"),
      "vault.jwt.driftWorkflow",
      /must be a file under \.github\/workflows\//,
    ],
    [
      "a Vault token key that is not a config key name",
      (c) => (c.vault.tokenConfigKey = "vault-token"),
      "vault.tokenConfigKey",
      /must be a config key name/,
    ],
    [
      "a CA file outside the project",
      (c) => (c.vault.caCertFile = "../elsewhere/ca.pem"),
      "vault.caCertFile",
      /relative to the project directory, without '\.\.'/,
    ],
    [
      "an absolute CA file path (it would name one machine's file in provider state)",
      (c) => (c.vault.caCertFile = "/tmp/vault-ca.pem"),
      "vault.caCertFile",
      /relative to the project directory/,
    ],
    [
      "deploying Vault without its CA file (the TLS Secret is never read: its key would land in state)",
      (c) => {
        c.vault.configure = false;
        delete c.vault.caCertFile;
      },
      "vault.caCertFile",
      /commit the CA that signs its server certificate/,
    ],
    ...(["cluster", "unseal", "tls", "operators"] as const).map(
      (key): [string, (c: Mutable) => void, string, RegExp] => [
        `a deployed Vault without ${key}`,
        (c) => delete c.vault[key],
        `vault.${key}`,
        /required when the platform deploys Vault/,
      ],
    ),
    [
      "transit unseal without its settings",
      (c) => (c.vault.unseal = "transit"),
      "vault.transitUnseal",
      /required with unseal: transit/,
    ],
    [
      "transit settings with a cloud unseal",
      (c) => (c.vault.transitUnseal = TRANSIT),
      "vault.transitUnseal",
      /only read when the platform deploys Vault with unseal: transit/,
    ],
    [
      "an unsealing Vault over plain http",
      (c) =>
        Object.assign(c.vault, {
          unseal: "transit",
          transitUnseal: { ...TRANSIT, address: "http://unseal:8200" },
        }),
      "vault.transitUnseal.address",
      /must be an https:\/\/ URL/,
    ],
    [
      "a misspelt transit setting",
      (c) => Object.assign(c.vault, { unseal: "transit", transitUnseal: { ...TRANSIT, keyname: "k" } }),
      "vault.transitUnseal",
      /unknown key "keyname"/,
    ],
    [
      "a transit token Secret name that Kubernetes would refuse",
      (c) =>
        Object.assign(c.vault, {
          unseal: "transit",
          transitUnseal: { ...TRANSIT, tokenSecretName: "Vault_Transit" },
        }),
      "vault.transitUnseal.tokenSecretName",
      /must be a DNS-1123 label/,
    ],
    [
      "the transit seal's token in config (removed: the operator's Secret holds it)",
      (c) =>
        Object.assign(c.vault, {
          unseal: "transit",
          transitUnseal: { ...TRANSIT, tokenConfigKey: "vaultTransitUnsealToken" },
        }),
      "vault.transitUnseal",
      /unknown key "tokenConfigKey"/,
    ],
    ["an even number of Vault servers", (c) => (c.vault.replicas = 6), "vault.replicas", /must be odd/],
    ["more Vault servers than raft wants", (c) => (c.vault.replicas = 9), "vault.replicas", /<=7/],
    [
      "fewer Vault servers than the profile's",
      (c) => (c.vault.replicas = 3),
      "vault.replicas",
      /3 is below the prod profile's 5 servers; it may only raise the count/,
    ],
    [
      "Vault servers for a Vault the platform does not deploy",
      (c) => Object.assign(c.vault, { deploy: false, replicas: 3 }),
      "vault.replicas",
      /only read when the platform deploys Vault/,
    ],
    [
      "an existing Vault that is not configured",
      (c) => Object.assign(c.vault, { deploy: false, configure: false }),
      "vault.configure",
      /only configured by the platform; set configure: true/,
    ],
    [
      "deploying Vault to a cluster that runs no pods",
      (c) => (c.kubernetes.clusters.find((k: Mutable) => k.name === c.vault.cluster).runsPods = false),
      "vault.cluster",
      /runs no pods \(runsPods: false\)/,
    ],
    [
      "a cluster image without a tag",
      (c) =>
        (c.kubernetes.clusters[0].images = { externalSecrets: "registry.example.com/eso/external-secrets" }),
      "kubernetes.clusters[0].images.externalSecrets",
      /must be an image reference with a registry and a tag/,
    ],
    [
      "a cluster image for a release the platform does not install",
      (c) => (c.kubernetes.clusters[0].images = { certManager: "registry.example.com/cm:1.0.0" }),
      "kubernetes.clusters[0].images",
      /unknown key "certManager"/,
    ],
    [
      "an ESO refresh bound looser than the profile's (prod: 1 h)",
      (c) => (c.eso.maxRefreshSeconds = 7200),
      "eso.maxRefreshSeconds",
      /may only tighten the prod profile's bound of 3600 s/,
    ],
    [
      "a charts directory outside the project",
      (c) => (c.kubernetes.chartsDirectory = "../charts"),
      "kubernetes.chartsDirectory",
      /relative to the project directory, without '\.\.'/,
    ],
    [
      "an API server for the cluster Vault runs in",
      (c) =>
        (c.kubernetes.clusters.find((k: Mutable) => k.name === c.vault.cluster).apiServer = {
          url: "https://10.0.0.1",
        }),
      `kubernetes.clusters[0].apiServer`,
      /reviews tokens through the in-cluster API/,
    ],
    [
      "a database Vault reads and a cloud function rotates, without a Vault login of its own",
      (c) => delete c.databases[1].vaultAdmin,
      "databases[1].vaultAdmin",
      /ledger-mysql is read through Vault and rotated by a cloud rotation function; Vault rotates its admin's password/,
    ],
    [
      "Vault's login the rotation functions' one",
      (c) => (c.databases[0].vaultAdmin.username = c.databases[0].adminUsername),
      "databases[0].vaultAdmin.username",
      /must differ from adminUsername/,
    ],
    [
      "Vault's seed key the rotation functions' one",
      (c) => (c.databases[0].vaultAdmin.passwordConfigKey = c.databases[0].adminPasswordConfigKey),
      "databases[0].vaultAdmin.passwordConfigKey",
      /must differ from adminPasswordConfigKey/,
    ],
  ];
  for (const [what, mutate, path, message] of malformed) {
    it(`rejects: ${what} (at ${path})`, () => rejects(mutate, path, message));
  }

  it("accepts an existing Vault on the loopback address with none of the deployment's settings", () => {
    const c = shippedCatalogInput("dev") as Mutable;
    c.vault = { deploy: false, address: "http://127.0.0.1:8200" };
    const catalog = validateCatalog(c as CatalogInput);
    assert.equal(catalog.vault?.deploy, false);
    assert.equal(catalog.vault?.configure, true);
  });

  it("defaults the GitHub Actions issuer to github.com's and leaves the audience to the program", () => {
    const c = validateCatalog(shippedCatalogInput("prod"));
    assert.equal(c.vault?.jwt?.issuerUrl, "https://token.actions.githubusercontent.com");
    assert.equal(c.vault?.jwt?.audience, undefined);
    assert.equal(c.vault?.jwt?.deployWorkflow, ".github/workflows/deploy-stack.yml");
    assert.equal(c.vault?.jwt?.driftWorkflow, ".github/workflows/drift.yml");
  });

  it("leaves the Vault token to the ambient login unless vault.tokenConfigKey names a key", () => {
    for (const env of ["dev", "staging", "prod"] as const) {
      const c = validateCatalog(shippedCatalogInput(env));
      assert.equal(c.vault?.tokenConfigKey, undefined, env);
      assert.ok(!requiredSecretKeys(c).some((k) => k.path === "vault.tokenConfigKey"), env);
    }
  });

  it("accepts token issuers on the loopback address over plain http (a local cluster, issuer and identity provider)", () => {
    const c = shippedCatalogInput("prod") as Mutable;
    const issuer = (name: string) => `http://127.0.0.1:9000/${name}`;
    for (const cluster of c.kubernetes.clusters) {
      delete cluster.cloud;
      cluster.oidcIssuerUrl = issuer(cluster.name);
    }
    // Without clouds, only the Vault and ESO parts of the catalog stay.
    for (const key of ["aws", "gcp", "azure"]) delete c[key];
    for (const w of c.workloads)
      w.secrets = w.secrets.filter((s: Mutable) => ["vault-kv", "vault-database"].includes(s.source));
    c.workloads = c.workloads.filter((w: Mutable) => w.secrets.length > 0);
    Object.assign(c.vault, { deploy: false, address: "http://localhost:8200" });
    c.vault.jwt.issuerUrl = issuer("github");
    c.vault.oidc.discoveryUrl = issuer("login");
    const catalog = validateCatalog(c as CatalogInput);
    assert.equal(catalog.kubernetes.clusters[0].oidcIssuerUrl, issuer("eks-prod"));
    assert.equal(catalog.vault?.jwt?.issuerUrl, issuer("github"));
    assert.equal(catalog.vault?.oidc?.discoveryUrl, issuer("login"));
  });

  it("reports every problem at once, not just the first", () => {
    const c = shippedCatalogInput("prod") as Mutable;
    c.workloads[0].cluster = "nowhere";
    c.workloads[1].secrets[0].database = "nothing";
    assert.throws(
      () => validateCatalog(c as CatalogInput),
      (err: CatalogError) => err.issues.length === 2,
    );
  });
});

describe("environment profiles", () => {
  it("are ordered: prod at least as strict as staging, staging as dev", () => {
    assert.deepEqual(profileOrderingViolations(), []);
  });

  it("catch a prod profile looser than dev", () => {
    const loose: any = structuredClone(PROFILES);
    loose.prod.dynamicCredential.ttlSeconds = loose.dev.dynamicCredential.ttlSeconds * 2;
    loose.prod.dynamicCredential.maxTtlSeconds = loose.prod.dynamicCredential.ttlSeconds;
    loose.prod.recoveryWindowDays = 7;
    const violations = profileOrderingViolations(loose);
    assert.ok(
      violations.some((v) => v.startsWith("prod.dynamicCredential.ttlSeconds is looser than staging")),
    );
    assert.ok(violations.some((v) => v.startsWith("prod.recoveryWindowDays is looser")));
  });

  it("catch a TTL above its max TTL", () => {
    const bad: any = structuredClone(PROFILES);
    bad.dev.dynamicCredential.ttlSeconds = bad.dev.dynamicCredential.maxTtlSeconds + 1;
    assert.ok(
      profileOrderingViolations(bad).includes("dev: dynamicCredential.ttlSeconds exceeds maxTtlSeconds"),
    );
  });
});
