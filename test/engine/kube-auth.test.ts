/**
 * Vault's Kubernetes auth against a real Kubernetes API server (kube-apiserver v1.37.2 and etcd,
 * scripts/kube-env.sh), configured by the real Pulumi engine (CLI, Node language host, the vault
 * provider built from source) on a real Vault.
 *
 * The API server first: it is the version built, enforces RBAC, issues TokenRequest tokens for
 * an audience and reviews them. Then a stack whose cluster names that API server (`apiServer`:
 * its URL, its CA committed into the checkout, and the config key of a reviewer token) is
 * applied: workloads log in with TokenRequest tokens of their own service accounts, and Vault,
 * reviewing each login with a reviewer account bound to `system:auth-delegator` only, refuses
 * another namespace's account, a wrong audience and an expired token.
 *
 * No kubelet runs, so no pod exists: tokens come straight from the TokenRequest API, as the
 * kubelet would fetch them for a projected volume. The TokenRequest API issues nothing shorter
 * than 600 s, so the expired token is a workload token re-signed with the API server's own key
 * and its times moved into the past; the same token re-signed with its times kept still logs in.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { deployerPolicy, renderPolicy } from "../../components/vault/policies";
import { vaultNames } from "../../stacks/naming";
import type { CatalogInput } from "../../stacks/schema";
import { validateCatalog } from "../../stacks/validate";
import {
  requireVault,
  startVault,
  type VaultClient,
  VaultError,
  type VaultServer,
} from "../integration/vault/live/server";
import { type Engine, fileBackend, Project, requirePulumi } from "./cli";
import {
  claimsOf,
  createNamespace,
  createReviewer,
  createServiceAccount,
  type Kube,
  type KubeClient,
  KubeError,
  removeNamespace,
  requestToken,
  requireKube,
  resignedToken,
  reviewToken,
  uniqueName,
} from "./kube";

const AUDIENCE = vaultNames.kubernetesAuthAudience;
const isKubeError = (status: number) => (err: unknown) => err instanceof KubeError && err.status === status;

describe("the Kubernetes API server (scripts/kube-env.sh)", function () {
  this.timeout(300_000);
  let kube: Kube;
  let ns: string;
  let app: KubeClient;
  let appUid: string;
  let reviewer: KubeClient;
  let reviewerBinding: string | undefined;

  before(async function () {
    kube = await requireKube(this);
    ns = uniqueName("sp-rbac");
    await createNamespace(kube.admin, ns);
    appUid = await createServiceAccount(kube.admin, ns, "app");
    app = kube.admin.withToken(await requestToken(kube.admin, ns, "app"));
    const created = await createReviewer(kube.admin, ns, "reviewer");
    reviewer = kube.admin.withToken(created.token);
    reviewerBinding = created.bindingPath;
  });

  after(async () => {
    if (reviewerBinding) await kube.admin.delete(reviewerBinding);
    if (ns) await removeNamespace(kube.admin, ns);
  });

  it("is kube-apiserver v1.37.2 and enforces RBAC: anonymous and unbound identities are refused", async () => {
    const version = await kube.admin.get<{ gitVersion: string }>("/version");
    assert.equal(version.gitVersion, "v1.37.2");
    await assert.rejects(kube.anonymous.get("/api/v1/namespaces"), isKubeError(403));
    await assert.rejects(
      app.get(`/api/v1/namespaces/${ns}/secrets`),
      (err) =>
        isKubeError(403)(err) &&
        (err as KubeError).reason.includes(
          `"system:serviceaccount:${ns}:app" cannot list resource "secrets"`,
        ),
    );
    // A workload account cannot review tokens: only a reviewer can.
    await assert.rejects(
      reviewToken(app, "x", [AUDIENCE]),
      (err) => isKubeError(403)(err) && (err as KubeError).reason.includes("tokenreviews"),
    );
  });

  it("a reviewer bound to system:auth-delegator reviews tokens for an audience and can do nothing else", async () => {
    const token = await requestToken(kube.admin, ns, "app", { audiences: [AUDIENCE] });
    const review = await reviewToken(reviewer, token, [AUDIENCE]);
    assert.equal(review.authenticated, true);
    assert.equal(review.user?.username, `system:serviceaccount:${ns}:app`);
    assert.deepEqual(review.audiences, [AUDIENCE]);
    assert.notEqual((await reviewToken(reviewer, token, ["another-audience"])).authenticated, true);
    // A token for Vault is no credential for the API server itself (its audience is the issuer).
    await assert.rejects(
      kube.admin.withToken(token).get(`/api/v1/namespaces/${ns}/secrets`),
      isKubeError(401),
    );
    for (const apiPath of [`/api/v1/namespaces/${ns}/secrets`, "/api/v1/namespaces", "/api/v1/nodes"])
      await assert.rejects(reviewer.get(apiPath), isKubeError(403), apiPath);
  });

  it("TokenRequest tokens carry the issuer, audience, account and expiry; past their expiry they are refused", async () => {
    const token = await requestToken(kube.admin, ns, "app", {
      audiences: [AUDIENCE],
      expirationSeconds: 600,
    });
    const claims = claimsOf(token) as {
      iss: string;
      aud: string[];
      sub: string;
      iat: number;
      exp: number;
      "kubernetes.io": { namespace: string; serviceaccount: { name: string; uid: string } };
    };
    assert.equal(claims.iss, kube.settings.issuer);
    assert.deepEqual(claims.aud, [AUDIENCE]);
    assert.equal(claims.sub, `system:serviceaccount:${ns}:app`);
    assert.equal(claims.exp - claims.iat, 600);
    assert.deepEqual(claims["kubernetes.io"].serviceaccount, { name: "app", uid: appUid });
    const key = kube.settings.signingKeyFile;
    const same = await reviewToken(reviewer, resignedToken(token, key, 0), [AUDIENCE]);
    assert.equal(same.authenticated, true, "re-signing with the API server's key keeps the token valid");
    const expired = await reviewToken(reviewer, resignedToken(token, key, -7200), [AUDIENCE]);
    assert.notEqual(expired.authenticated, true);
    assert.match(String(expired.error), /expired/i);
  });
});

describe("Vault's Kubernetes auth against the real API server, applied by the real engine", function () {
  this.timeout(900_000);
  const STACK = "kube";
  const STACK_FILE = `Pulumi.${STACK}.yaml`;
  const POLICY = ["--policy-pack", "./policy", "--policy-pack-config", "Pulumi.local.policy-config.json"];
  const CA_FILE = "certs/local-kube-ca.pem";
  const CLUSTER = "local";
  const REVIEWER_KEY = "localReviewerJwt";
  let engine: Engine;
  let kube: Kube;
  let workDir: string;
  let server: VaultServer;
  let backend: ReturnType<typeof fileBackend>;
  let project: Project;
  let catalogInput: CatalogInput;
  let stackFile: string;
  let reviewerToken: string;
  let reviewerBinding: string | undefined;
  const namespaces: string[] = [];
  let applied = false;
  // The workloads' namespaces; ledger also holds an impostor account named like orders'.
  const orders = { namespace: uniqueName("sp-orders"), serviceAccount: "orders-api", role: "orders-api" };
  const ledger = { namespace: uniqueName("sp-ledger"), serviceAccount: "ledger-api", role: "ledger-api" };

  const kv = () => vaultNames.kvMount(validateCatalog(catalogInput));
  const mount = vaultNames.kubernetesAuthMount(CLUSTER);

  /** A TokenRequest token of `namespace`/`serviceAccount` (audience `vault` unless given). */
  const tokenFor = (namespace: string, serviceAccount: string, audiences: readonly string[] = [AUDIENCE]) =>
    requestToken(kube.admin, namespace, serviceAccount, { audiences, expirationSeconds: 600 });

  /** Vault's login with that token for `role`; the Vault client of the token it returns. */
  async function login(role: string, jwt: string): Promise<VaultClient> {
    const { auth } = await server.root.write(`auth/${mount}/login`, { role, jwt });
    return server.root.withToken(auth!.client_token);
  }

  /** Asserts that Vault refuses the login, and returns its error text. */
  async function refused(role: string, jwt: string): Promise<string> {
    let message = "";
    await assert.rejects(login(role, jwt), (err) => {
      message = err instanceof VaultError ? err.errors.join("; ") : String(err);
      return err instanceof VaultError && err.status >= 400 && err.status < 500;
    });
    return message;
  }

  before(async function () {
    engine = requirePulumi(this);
    requireVault(this);
    kube = await requireKube(this);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-engine-kube-"));
    server = await startVault(workDir);

    // The cluster's side, as its operators would set it up: namespaces, service accounts, and
    // Vault's reviewer (its own namespace, bound to system:auth-delegator only).
    const vaultNs = uniqueName("sp-vault");
    namespaces.push(orders.namespace, ledger.namespace, vaultNs);
    for (const n of namespaces) await createNamespace(kube.admin, n);
    await createServiceAccount(kube.admin, orders.namespace, orders.serviceAccount);
    await createServiceAccount(kube.admin, ledger.namespace, ledger.serviceAccount);
    await createServiceAccount(kube.admin, ledger.namespace, orders.serviceAccount);
    const created = await createReviewer(kube.admin, vaultNs, "vault-reviewer");
    reviewerToken = created.token;
    reviewerBinding = created.bindingPath;

    catalogInput = {
      environment: "dev",
      prefix: "kube",
      kubernetes: {
        clusters: [
          {
            name: CLUSTER,
            oidcIssuerUrl: kube.settings.issuer,
            apiServer: { url: kube.settings.url, caCertFile: CA_FILE, reviewerJwtConfigKey: REVIEWER_KEY },
          },
        ],
      },
      vault: {
        deploy: false,
        address: server.root.address,
        tokenConfigKey: "vaultToken",
        audit: { filePath: path.join(workDir, "audit.log") },
      },
      databases: [],
      workloads: [
        {
          name: orders.role,
          namespace: orders.namespace,
          serviceAccount: orders.serviceAccount,
          cluster: CLUSTER,
          secrets: [{ name: "feature-flags", source: "vault-kv", path: "orders/feature-flags" }],
        },
        {
          name: ledger.role,
          namespace: ledger.namespace,
          serviceAccount: ledger.serviceAccount,
          cluster: CLUSTER,
          secrets: [{ name: "signing-key", source: "vault-kv", path: "ledger/signing-key" }],
        },
      ],
    };
    const catalog = validateCatalog(catalogInput);

    // As the runbook does: the configuration is applied with a deployer token, never root.
    await server.root.request("PUT", "sys/policies/acl/platform-deployer", {
      policy: renderPolicy(deployerPolicy(catalog)),
    });
    const { auth } = await server.root.write("auth/token/create-orphan", {
      policies: ["platform-deployer"],
      ttl: "2h",
    });

    backend = fileBackend();
    project = Project.create(engine, backend.url, "kube");
    // What the team commits: the API server's CA certificate (public) and the stack file.
    project.write(CA_FILE, kube.caPem);
    project.write(STACK_FILE, YAML.stringify({ config: { "secrets-platform:catalog": catalogInput } }));
    await project.run(["stack", "init", STACK]);
    // Values go in on stdin, never in argv.
    await project.run(["config", "set", "--secret", "vaultToken"], { input: auth!.client_token });
    await project.run(["config", "set", "--secret", REVIEWER_KEY], { input: reviewerToken });
    stackFile = project.read(STACK_FILE);
    await project.run(["up", "--yes", "--stack", STACK, ...POLICY]);
    applied = true;
  });

  after(async () => {
    if (applied)
      await project.run(["destroy", "--yes", "--stack", STACK]).catch((e) => console.warn(String(e)));
    await server?.stop();
    project?.remove();
    backend?.remove();
    if (reviewerBinding) await kube.admin.delete(reviewerBinding).catch(() => undefined);
    await Promise.all(namespaces.map((n) => removeNamespace(kube.admin, n)));
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("keeps the reviewer token and the Vault token encrypted in the stack file and the state", async () => {
    assert.ok(!stackFile.includes(reviewerToken));
    const config = (YAML.parse(stackFile) as { config: Record<string, unknown> }).config;
    for (const key of ["vaultToken", REVIEWER_KEY])
      assert.ok((config[`secrets-platform:${key}`] as { secure?: string }).secure, key);
    const state = (await project.run(["stack", "export", "--stack", STACK])).stdout;
    assert.ok(!state.includes(reviewerToken), "no plain reviewer token in the state");
  });

  it("Vault's mount names the API server, trusts its CA, and holds the reviewer token", async () => {
    const { data } = await server.root.read<{
      kubernetes_host: string;
      kubernetes_ca_cert: string;
      disable_local_ca_jwt: boolean;
      token_reviewer_jwt_set: boolean;
    }>(`auth/${mount}/config`);
    assert.equal(data.kubernetes_host, kube.settings.url);
    assert.equal(data.kubernetes_ca_cert.trim(), kube.caPem.trim());
    assert.equal(data.disable_local_ca_jwt, true);
    assert.equal(data.token_reviewer_jwt_set, true);
  });

  it("a workload logs in with a TokenRequest token of its own service account and reads only its secret", async () => {
    await server.root.write(`${kv()}/data/orders/feature-flags`, {
      options: { cas: 0 },
      data: { beta: "on" },
    });
    await server.root.write(`${kv()}/data/ledger/signing-key`, { options: { cas: 0 }, data: { key: "k" } });
    const client = await login(orders.role, await tokenFor(orders.namespace, orders.serviceAccount));
    const own = await client.read<{ data: { beta: string } }>(`${kv()}/data/orders/feature-flags`);
    assert.equal(own.data.data.beta, "on");
    await assert.rejects(
      client.read(`${kv()}/data/ledger/signing-key`),
      (err) => err instanceof VaultError && err.status === 403,
    );
    await assert.rejects(client.read("sys/mounts"), (err) => err instanceof VaultError && err.status === 403);
    const ledgerClient = await login(ledger.role, await tokenFor(ledger.namespace, ledger.serviceAccount));
    await ledgerClient.read(`${kv()}/data/ledger/signing-key`);
  });

  it("another namespace's service account, even one of the same name, is refused", async () => {
    const impostor = await tokenFor(ledger.namespace, orders.serviceAccount);
    assert.match(await refused(orders.role, impostor), /namespace not authorized/);
    const other = await tokenFor(ledger.namespace, ledger.serviceAccount);
    assert.match(await refused(orders.role, other), /service account name not authorized/);
  });

  it("a token for another audience is refused", async () => {
    const token = await tokenFor(orders.namespace, orders.serviceAccount, ["not-vault"]);
    assert.match(await refused(orders.role, token), /invalid audience \(aud\) claim/);
    // Nor does the API server's own audience do: the role asks for `vault`.
    const apiToken = await requestToken(kube.admin, orders.namespace, orders.serviceAccount);
    assert.match(await refused(orders.role, apiToken), /invalid audience \(aud\) claim/);
  });

  it("an expired token is refused; the same token re-signed with its times kept logs in", async () => {
    const token = await tokenFor(orders.namespace, orders.serviceAccount);
    const key = kube.settings.signingKeyFile;
    await login(orders.role, resignedToken(token, key, 0));
    const message = await refused(orders.role, resignedToken(token, key, -7200));
    // Vault checks the expiry claim itself; the API server would refuse it too (above).
    assert.match(message, /token is expired/);
  });

  it("a second preview finds no changes (the stored reviewer token causes no drift)", async () => {
    await project.run(["preview", "--expect-no-changes", "--stack", STACK, ...POLICY]);
  });

  it("without a reviewer token the same login fails: a token for Vault cannot review itself", async () => {
    const without = structuredClone(catalogInput);
    delete without.kubernetes.clusters[0].apiServer!.reviewerJwtConfigKey;
    const doc = YAML.parse(project.read(STACK_FILE)) as { config: Record<string, unknown> };
    doc.config["secrets-platform:catalog"] = without;
    project.write(STACK_FILE, YAML.stringify(doc));
    await project.run(["up", "--yes", "--stack", STACK, ...POLICY]);
    const { data } = await server.root.read<{ token_reviewer_jwt_set: boolean }>(`auth/${mount}/config`);
    assert.equal(data.token_reviewer_jwt_set, false);
    // Vault presents the login's own token to the TokenReview API, which refuses it (its
    // audience is Vault, not the API server), and Vault denies the login.
    assert.match(
      await refused(orders.role, await tokenFor(orders.namespace, orders.serviceAccount)),
      /permission denied/,
    );
  });
});
