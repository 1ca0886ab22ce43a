/**
 * A shipped stack moved onto this machine's integration engines, as both `npm run local:up`
 * (tools/local-stack.ts) and the engine suites (test/engine/local-platform.ts) prepare it: a
 * TLS Vault server with the runbook's deployer policy and a deployer token, Vault's reviewer
 * account on the real Kubernetes API server (scripts/kube-env.sh; bound to
 * `system:auth-delegator` only), fresh databases on the local PostgreSQL and MariaDB, and the
 * stack file with only this machine's values changed. `initStack` then does in a checkout what
 * a user does once: commit the CA certificates and the vendored charts, write the stack file,
 * `pulumi stack init`, set the secrets (on stdin, never in argv).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { deployerPolicy, renderPolicy } from "../../components/vault/policies";
import { ESO_NAMESPACE } from "../../components/eso/namespace";
import { ESO_CHART, RELOADER_CHART } from "../../stacks/charts";
import type { Catalog, CatalogInput } from "../../stacks/schema";
import { validateCatalog } from "../../stacks/validate";
import type { EngineSettings } from "../../test/integration/engines";
import { type LocalCatalog, localCatalog } from "../../test/integration/vault/live/local-catalog";
import { issueServerCertificate } from "../../test/integration/vault/live/operator-tools";
import { startVault, type VaultServer } from "../../test/integration/vault/live/server";
import {
  createNamespace,
  createReviewer,
  type Kube,
  KubeClient,
  KubeError,
  removeNamespace,
} from "../../test/engine/kube";

const PROJECT_DIR = path.join(__dirname, "..", "..");

export const stackFileOf = (stack: string) => `Pulumi.${stack}.yaml`;
/** `pulumi preview/up` arguments: the policy pack with the stack's own configuration. */
export const policyArgs = (stack: string) => [
  "--policy-pack",
  "./policy",
  "--policy-pack-config",
  `Pulumi.${stack}.policy-config.json`,
];
export const CA_FILE = "certs/local-vault-ca.pem";
/** Where the shipped stack file expects the API server's CA (`apiServer.caCertFile`). */
export const KUBE_CA_FILE = "certs/local-kube-ca.pem";
/** The CA certificates a checkout commits beside the stack file (public, read by the program). */
export const CA_FILES = [CA_FILE, KUBE_CA_FILE] as const;
/** Where a checkout vendors the pinned charts (`kubernetes.chartsDirectory`). */
export const VENDORED_CHARTS = "charts";
/** The pinned charts' sources, checked by scripts/charts-env.sh. */
const CHART_SOURCES = path.join(PROJECT_DIR, ".integration", "charts");

/** A stack file with its catalog replaced (everything else, ciphertexts included, kept). */
export function withCatalog(stackFile: string, catalog: CatalogInput): string {
  const doc = YAML.parse(stackFile) as { config: Record<string, unknown> };
  doc.config["secrets-platform:catalog"] = catalog;
  return YAML.stringify(doc);
}

/**
 * What an ESO install leaves cluster-wide when its stack was never destroyed (a failed run): the
 * operator's namespace (with Helm's record of the releases), its CRDs and its cluster roles.
 */
export async function removeEsoInstall(admin: KubeClient): Promise<void> {
  const ignoreMissing = (err: unknown) => {
    if (!(err instanceof KubeError && err.status === 404)) throw err;
  };
  await removeNamespace(admin, ESO_NAMESPACE);
  type List = { items: Array<{ metadata: { name: string }; spec?: { group?: string } }> };
  const crds = await admin.get<List>("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
  for (const crd of crds.items.filter((c) => c.spec?.group?.endsWith("external-secrets.io")))
    await admin
      .delete(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`)
      .catch(ignoreMissing);
  const releases = `app.kubernetes.io/instance in (${ESO_CHART.chart},${RELOADER_CHART.chart})`;
  for (const kind of ["clusterroles", "clusterrolebindings"]) {
    const base = `/apis/rbac.authorization.k8s.io/v1/${kind}`;
    const found = await admin.get<List>(`${base}?labelSelector=${encodeURIComponent(releases)}`);
    for (const item of found.items) await admin.delete(`${base}/${item.metadata.name}`).catch(ignoreMissing);
  }
}

/**
 * The node scripts/kube-node-env.sh runs beside the API server: with it the stack's cluster runs
 * pods (`runsPods: true`, as every shipped stack's), so ESO's and Reloader's releases run there
 * from the images imported on the node, and Vault listens where pods reach it.
 */
export interface LocalNode {
  /** The node's address on the pods' bridge: where pods reach a server of this machine. */
  readonly ip: string;
  /** The images imported on the node, by name (`SP_IMAGE_<NAME>` of .integration/node.env). */
  readonly images: Readonly<Record<string, string>>;
}

/** The cluster's `images` for the releases the stack installs, from those the node has. */
export function nodeImages(node: LocalNode, eso: boolean): { externalSecrets?: string; reloader?: string } {
  if (!eso) return {};
  const wanted = { externalSecrets: "external-secrets", reloader: "reloader" } as const;
  const missing = Object.values(wanted).filter((name) => !node.images[name]);
  if (missing.length > 0)
    throw new Error(
      `the node has no image of ${missing.join(", ")}: build them (scripts/eso-env.sh for ESO), then run scripts/kube-node-env.sh again`,
    );
  return { externalSecrets: node.images[wanted.externalSecrets], reloader: node.images[wanted.reloader] };
}

export interface LocalStackOptions {
  /** The shipped stack whose file (`Pulumi.<stack>.yaml`) is moved onto this machine. */
  readonly stack: string;
  /** Vault's TLS files, log and audit file. */
  readonly workDir: string;
  readonly databases: EngineSettings;
  readonly kube: Kube;
  /** The stack's `eso` section (ESO's and Reloader's releases, stores, ExternalSecrets). */
  readonly eso: boolean;
  /**
   * Appended to the workloads' namespaces (a suite: the API server is shared by every run on
   * the machine); the reviewer's namespace is `sp-vault-<suffix or stack>`.
   */
  readonly namespaceSuffix?: string;
  /** `eso.maxRefreshSeconds`, when a changed value must be seen within seconds. */
  readonly esoRefreshSeconds?: number;
  /**
   * The node, when pods run on this machine: the cluster then runs pods and Vault's TLS listener
   * is on the node's address (the pods' gateway), which this machine reaches too. Without it the
   * cluster is an API server alone (`runsPods: false`, ESO's controller outside it).
   */
  readonly node?: LocalNode;
  /** The server outlives this process (a person's `local:up`), stopped by its pid. */
  readonly detachedVault?: boolean;
  /** Lifetime of the deployer token and the reviewer's token (seconds). */
  readonly credentialSeconds: number;
}

export interface LocalStack {
  readonly server: VaultServer;
  readonly local: LocalCatalog;
  /** The localised catalog as the stack file holds it. */
  readonly catalogInput: CatalogInput;
  /** The shipped stack file with `catalogInput`, before `stack init` (no secrets yet). */
  readonly stackFile: string;
  /** PEM of the CA of Vault's TLS listener (public: a checkout commits it). */
  readonly vaultCaPem: string;
  /** The namespace of Vault's reviewer accounts (the operators', not the platform's). */
  readonly reviewerNamespace: string;
  /** Every reviewer's ClusterRoleBinding API path (to delete at the end). */
  readonly reviewerBindings: string[];
  /** Another reviewer account bound to `system:auth-delegator` only; returns its token. */
  addReviewer(name: string): Promise<string>;
  /** Config key → the value `initStack` sets as a secret (never printed). */
  readonly configSecrets: ReadonlyMap<string, string>;
  catalog(): Catalog;
}

/**
 * Starts Vault and prepares the databases and the reviewer. On a failure, what was made so far
 * is handed to `cleanUp` (which the caller also runs when done): the Vault server, the
 * databases and the namespaces.
 */
export async function prepareLocalStack(
  options: LocalStackOptions,
  made: { server?: VaultServer; local?: LocalCatalog; namespaces: string[]; reviewerBindings: string[] },
): Promise<LocalStack> {
  const { stack, workDir, kube, eso, namespaceSuffix } = options;
  const stackFileName = stackFileOf(stack);
  // A run that failed before its destroy leaves ESO's cluster-wide objects; they would make
  // this run's Helm install fail, so they go first.
  if (eso) await removeEsoInstall(kube.admin);
  const { node } = options;
  const certificate = issueServerCertificate(
    path.join(workDir, "tls"),
    ["localhost"],
    ["127.0.0.1", ...(node ? [node.ip] : [])],
  );
  const server = await startVault(workDir, certificate, {
    detached: options.detachedVault,
    tlsHost: node?.ip,
  });
  made.server = server;

  // The shipped stack file, with only this machine's values changed.
  const shipped = fs.readFileSync(path.join(PROJECT_DIR, stackFileName), "utf8");
  const shippedCatalog = (YAML.parse(shipped) as { config: Record<string, CatalogInput> }).config[
    "secrets-platform:catalog"
  ];
  const local = localCatalog(shippedCatalog, options.databases);
  made.local = local;
  await local.prepare();
  const catalogInput = structuredClone(local.input);
  const [cluster] = catalogInput.kubernetes.clusters;
  const reviewerJwtConfigKey = cluster.apiServer?.reviewerJwtConfigKey;
  if (!reviewerJwtConfigKey)
    throw new Error(
      `${stackFileName}: the cluster ${cluster.name}'s apiServer names no reviewerJwtConfigKey`,
    );
  // This machine's API server: its URL, its issuer and (committed by initStack) its CA.
  Object.assign(cluster, {
    oidcIssuerUrl: kube.settings.issuer,
    apiServer: { url: kube.settings.url, caCertFile: KUBE_CA_FILE, reviewerJwtConfigKey },
    runsPods: node !== undefined,
    ...(node ? { images: nodeImages(node, eso) } : {}),
  });
  if (namespaceSuffix) {
    for (const w of catalogInput.workloads) w.namespace = `${w.namespace}-${namespaceSuffix}`;
    for (const store of catalogInput.eso?.clusterSecretStores ?? [])
      store.namespaces = store.namespaces.map((n) => `${n}-${namespaceSuffix}`);
  }
  // The charts vendored into the checkout (initStack): no chart repository is reachable here.
  catalogInput.kubernetes.chartsDirectory = VENDORED_CHARTS;
  if (!eso) delete catalogInput.eso;
  else if (options.esoRefreshSeconds)
    catalogInput.eso = { ...catalogInput.eso!, maxRefreshSeconds: options.esoRefreshSeconds };
  Object.assign(catalogInput.vault!, {
    address: server.tlsAddress,
    caCertFile: CA_FILE,
    audit: { filePath: path.join(workDir, "audit.log") },
  });
  const stackFile = withCatalog(shipped, catalogInput);
  const catalog = () => validateCatalog(catalogInput);

  // The cluster's side as its operators set it up before the platform: Vault's reviewer in a
  // namespace of its own, bound to system:auth-delegator. The workloads' namespaces and
  // service accounts are the platform's (ESO's section).
  const reviewerNamespace = `sp-vault-${namespaceSuffix || stack}`;
  made.namespaces.push(...new Set(catalog().workloads.map((w) => w.namespace)), reviewerNamespace);
  await createNamespace(kube.admin, reviewerNamespace);
  const addReviewer = async (name: string) => {
    const reviewer = await createReviewer(kube.admin, reviewerNamespace, name, options.credentialSeconds);
    made.reviewerBindings.push(reviewer.bindingPath);
    return reviewer.token;
  };
  const reviewerToken = await addReviewer("vault-reviewer");

  // As the runbook does: the configuration is applied with a deployer token, never root.
  await server.root.request("PUT", "sys/policies/acl/platform-deployer", {
    policy: renderPolicy(deployerPolicy(catalog())),
  });
  const { auth } = await server.root.write("auth/token/create-orphan", {
    policies: ["platform-deployer"],
    ttl: `${options.credentialSeconds}s`,
  });
  const configSecrets = new Map([
    ["vaultToken", auth!.client_token],
    [reviewerJwtConfigKey, reviewerToken],
    ...local.adminPasswords,
  ]);
  return {
    server,
    local,
    catalogInput,
    stackFile,
    vaultCaPem: fs.readFileSync(certificate.caFile, "utf8"),
    reviewerNamespace,
    reviewerBindings: made.reviewerBindings,
    addReviewer,
    configSecrets,
    catalog,
  };
}

/** A checkout `initStack` writes into and runs `pulumi` in. */
export interface Checkout {
  readonly dir: string;
  write(file: string, text: string): void;
  read(file: string): string;
  run(args: readonly string[], options?: { input?: string }): Promise<unknown>;
}

/**
 * In a checkout: writes the CA certificates, the vendored charts and the stack file, `pulumi
 * stack init`, sets the Vault token, the reviewer token and the database admin passwords as
 * secrets (on stdin, never in argv). Returns the stack file as the team then commits it
 * (salt or key, and ciphertexts).
 */
export async function initStack(
  checkout: Checkout,
  stack: string,
  prepared: Pick<LocalStack, "vaultCaPem" | "stackFile" | "configSecrets">,
  kube: Kube,
  initArgs: readonly string[] = [],
): Promise<string> {
  checkout.write(CA_FILE, prepared.vaultCaPem);
  checkout.write(KUBE_CA_FILE, kube.caPem);
  for (const chart of [ESO_CHART, RELOADER_CHART])
    fs.cpSync(path.join(CHART_SOURCES, chart.chart), path.join(checkout.dir, VENDORED_CHARTS, chart.chart), {
      recursive: true,
    });
  checkout.write(stackFileOf(stack), prepared.stackFile);
  await checkout.run(["stack", "init", stack, ...initArgs]);
  for (const [key, value] of prepared.configSecrets)
    await checkout.run(["config", "set", "--secret", key], { input: value });
  return checkout.read(stackFileOf(stack)); // now with its encryption salt and ciphertexts
}
