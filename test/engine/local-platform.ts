/**
 * What every engine suite of the shipped `local` stack needs on this machine: a TLS Vault
 * server with the runbook's deployer policy and token, the real Kubernetes API server
 * (scripts/kube-env.sh) with Vault's reviewer account (bound to `system:auth-delegator` only;
 * the workloads' namespaces and service accounts are the platform's own, from its `eso`
 * section), fresh databases on the local PostgreSQL and MariaDB, and the stack file with only
 * this machine's values changed. `initStack` then does in a checkout what a user does once:
 * commit the CA certificates, the vendored charts and the stack file, `pulumi stack init`, set
 * the secrets (on stdin).
 *
 * The API server is shared by every checkout on the machine, so the workloads' namespaces get a
 * suffix no other run uses (as the databases get fresh names); nothing else about them changes.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as YAML from "yaml";
import { deployerPolicy, renderPolicy } from "../../components/vault/policies";
import { vaultNames } from "../../stacks/naming";
import type { Catalog, CatalogInput, Workload } from "../../stacks/schema";
import { validateCatalog } from "../../stacks/validate";
import { requireEngine } from "../integration/engines";
import { type LocalCatalog, localCatalog } from "../integration/vault/live/local-catalog";
import { issueServerCertificate } from "../integration/vault/live/operator-tools";
import {
  requireVault,
  startVault,
  type VaultClient,
  type VaultServer,
} from "../integration/vault/live/server";
import { PROJECT_DIR } from "../support/offline";
import type { Project } from "./cli";
import { ESO_NAMESPACE } from "../../components/eso/namespace";
import { ESO_CHART, RELOADER_CHART } from "../../stacks/charts";
import { requireCharts } from "../integration/helm/charts";
import {
  createNamespace,
  createReviewer,
  type Kube,
  KubeClient,
  KubeError,
  removeNamespace,
  requestToken,
  requireKube,
  uniqueName,
} from "./kube";
import { type VaultState, vaultState } from "./vault-state";
import { lockClusterWideObjects } from "./cluster-lock";

export const STACK = "local";
export const STACK_FILE = `Pulumi.${STACK}.yaml`;
export const POLICY = [
  "--policy-pack",
  "./policy",
  "--policy-pack-config",
  `Pulumi.${STACK}.policy-config.json`,
];
export const CA_FILE = "certs/local-vault-ca.pem";
/** Where the shipped stack file expects the API server's CA (`apiServer.caCertFile`). */
export const KUBE_CA_FILE = "certs/local-kube-ca.pem";
/** The CA certificates a checkout commits beside the stack file (public, read by the program). */
export const CA_FILES = [CA_FILE, KUBE_CA_FILE] as const;

export interface OfflineDocument {
  readonly steps: ReadonlyArray<{
    readonly urn: string;
    readonly newState: { readonly type: string; readonly inputs?: Record<string, unknown> };
  }>;
}

/** `npm run preview:offline -- --stack local --json` in a checkout: the mock-runtime model. */
export async function offlinePreview(project: Project): Promise<OfflineDocument> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(PROJECT_DIR, "node_modules", "ts-node", "dist", "bin.js"),
      "--transpile-only",
      "tools/preview-offline.ts",
      "--stack",
      STACK,
      "--json",
    ],
    { cwd: project.dir, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as OfflineDocument;
}

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
async function removeEsoInstall(admin: KubeClient): Promise<void> {
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

/** Where a checkout vendors the pinned charts (`kubernetes.chartsDirectory`). */
export const VENDORED_CHARTS = "charts";
/** The pinned charts' sources, checked by scripts/charts-env.sh. */
const CHART_SOURCES = path.join(PROJECT_DIR, ".integration", "charts");
/** `eso.maxRefreshSeconds` of the suites' catalog: a changed value arrives within seconds. */
export const ESO_REFRESH_SECONDS = 10;

/** The files a team commits beside the stack file: the CA certificates and the vendored charts. */
export function copyCommittedFiles(from: Project, to: Project): void {
  for (const file of CA_FILES) to.write(file, from.read(file));
  fs.cpSync(path.join(from.dir, VENDORED_CHARTS), path.join(to.dir, VENDORED_CHARTS), { recursive: true });
}

export interface LocalPlatform {
  readonly server: VaultServer;
  readonly kube: Kube;
  readonly local: LocalCatalog;
  /**
   * The localised catalog as the stack file holds it (Vault address, CA file, audit path, the
   * API server's URL and the workloads' namespaces).
   */
  readonly catalogInput: CatalogInput;
  /** The shipped stack file with `catalogInput`, before `stack init` (no secrets yet). */
  readonly stackFile: string;
  /** The Vault before the platform: the dev server's own objects and the runbook's policy. */
  readonly baseline: VaultState;
  /** The namespace of Vault's reviewer accounts (the operators', not the platform's). */
  readonly reviewerNamespace: string;
  /**
   * Another reviewer account in that namespace, bound to `system:auth-delegator` only, as an
   * operator makes one to rotate the reviewer identity; returns its token (never printed).
   */
  addReviewer(name: string): Promise<string>;
  /** What every `pulumi` run of the stack needs: KUBECONFIG, the API server's admin. */
  readonly env: Readonly<Record<string, string>>;
  /** Config key → the value `initStack` sets as a secret (never printed). */
  readonly configSecrets: ReadonlyMap<string, string>;
  catalog(): Catalog;
  /**
   * In a fresh checkout: writes the CA certificates and the stack file, `pulumi stack init`,
   * sets the Vault token, the reviewer token and the database admin passwords as secrets (on
   * stdin, never in argv). Returns the stack file as the team then commits it (salt or key,
   * and ciphertexts).
   */
  initStack(project: Project, initArgs?: readonly string[]): Promise<string>;
  /**
   * A workload's Vault token, from a login with a TokenRequest token (audience `vault`) of the
   * service account `as` names (by default its own), as its projected volume would hold it.
   */
  tokenOf(w: Workload, as?: Pick<Workload, "namespace" | "serviceAccount">): Promise<VaultClient>;
  /**
   * Stops Vault, drops the databases, removes the namespaces and the reviewer's binding from the
   * API server and the work directory.
   */
  stop(): Promise<void>;
}

/** What of the shipped `local` stack a suite deploys. */
export interface LocalPlatformOptions {
  /**
   * The stack's `eso` section (ESO's release with its CRDs, Reloader, stores and
   * ExternalSecrets); default true. Those are the cluster's objects, so suites deploying them
   * run one at a time (./cluster-lock.ts); a suite about something else leaves them out.
   */
  readonly eso?: boolean;
}

/**
 * Call from a mocha `before` hook (after `requirePulumi`): skips, or fails under CI=true, when
 * Vault, the Kubernetes API server, PostgreSQL or MariaDB is absent.
 */
export async function startLocalPlatform(
  ctx: Mocha.Context,
  { eso = true }: LocalPlatformOptions = {},
): Promise<LocalPlatform> {
  requireVault(ctx);
  requireCharts(ctx);
  const kube = await requireKube(ctx);
  const databases = await requireEngine(ctx, "postgresql");
  await requireEngine(ctx, "mariadb");
  // ESO's CRDs, namespace and release are the cluster's: one platform at a time holds them.
  const releaseCluster = eso ? await lockClusterWideObjects() : undefined;

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-engine-local-"));
  let server: VaultServer | undefined;
  let local: LocalCatalog | undefined;
  const namespaces: string[] = [];
  /** Every reviewer's ClusterRoleBinding (the first, and those `addReviewer` made). */
  const reviewerBindings: string[] = [];
  const stop = async () => {
    await server?.stop();
    await local?.cleanUp();
    for (const binding of reviewerBindings) await kube.admin.delete(binding).catch(() => undefined);
    for (const n of namespaces) await removeNamespace(kube.admin, n).catch(() => undefined);
    if (eso) await removeEsoInstall(kube.admin).catch(() => undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
    await releaseCluster?.();
  };

  try {
    // A run that failed before its destroy leaves ESO's cluster-wide objects; they would make
    // this run's Helm install fail, so they go first.
    if (eso) await removeEsoInstall(kube.admin);
    const certificate = issueServerCertificate(path.join(workDir, "tls"), ["localhost"], ["127.0.0.1"]);
    server = await startVault(workDir, certificate);

    // The shipped stack file, with only this machine's values changed.
    const shipped = fs.readFileSync(path.join(PROJECT_DIR, STACK_FILE), "utf8");
    const shippedCatalog = (YAML.parse(shipped) as { config: Record<string, CatalogInput> }).config[
      "secrets-platform:catalog"
    ];
    local = localCatalog(shippedCatalog, databases);
    await local.prepare();
    const catalogInput = structuredClone(local.input);
    const [cluster] = catalogInput.kubernetes.clusters;
    const reviewerJwtConfigKey = cluster.apiServer?.reviewerJwtConfigKey;
    if (!reviewerJwtConfigKey)
      throw new Error(`${STACK_FILE}: the local cluster's apiServer names no reviewerJwtConfigKey`);
    // This machine's API server: its URL, its issuer and (committed by initStack) its CA.
    Object.assign(cluster, {
      oidcIssuerUrl: kube.settings.issuer,
      apiServer: { url: kube.settings.url, caCertFile: KUBE_CA_FILE, reviewerJwtConfigKey },
    });
    const suffix = uniqueName("run").slice("run-".length);
    for (const w of catalogInput.workloads) w.namespace = `${w.namespace}-${suffix}`;
    for (const store of catalogInput.eso?.clusterSecretStores ?? [])
      store.namespaces = store.namespaces.map((n) => `${n}-${suffix}`);
    // The charts vendored into the checkout (initStack), and refreshes often enough to watch.
    catalogInput.kubernetes.chartsDirectory = VENDORED_CHARTS;
    if (eso) catalogInput.eso = { ...catalogInput.eso!, maxRefreshSeconds: ESO_REFRESH_SECONDS };
    else delete catalogInput.eso;
    Object.assign(catalogInput.vault!, {
      address: server.tlsAddress,
      caCertFile: CA_FILE,
      audit: { filePath: path.join(workDir, "audit.log") },
    });
    const stackFile = withCatalog(shipped, catalogInput);
    const catalog = () => validateCatalog(catalogInput);

    // The cluster's side as its operators set it up before the platform: Vault's reviewer in a
    // namespace of its own, bound to system:auth-delegator. The workloads' namespaces and
    // service accounts are the platform's (ESO's section), removed at the end if a test failed
    // before its destroy.
    const reviewerNamespace = `sp-vault-${suffix}`;
    namespaces.push(...new Set(catalog().workloads.map((w) => w.namespace)), reviewerNamespace);
    await createNamespace(kube.admin, reviewerNamespace);
    const addReviewer = async (name: string) => {
      const reviewer = await createReviewer(kube.admin, reviewerNamespace, name);
      reviewerBindings.push(reviewer.bindingPath);
      return reviewer.token;
    };
    const reviewerToken = await addReviewer("vault-reviewer");

    // As the runbook does: the configuration is applied with a deployer token, never root.
    await server.root.request("PUT", "sys/policies/acl/platform-deployer", {
      policy: renderPolicy(deployerPolicy(catalog())),
    });
    const baseline = await vaultState(server.root);
    const { auth } = await server.root.write("auth/token/create-orphan", {
      policies: ["platform-deployer"],
      ttl: "2h",
    });
    const configSecrets = new Map([
      ["vaultToken", auth!.client_token],
      [reviewerJwtConfigKey, reviewerToken],
      ...local.adminPasswords,
    ]);

    const platform: LocalPlatform = {
      server,
      kube,
      local,
      catalogInput,
      stackFile,
      baseline,
      configSecrets,
      env: { KUBECONFIG: kube.settings.kubeconfig },
      reviewerNamespace,
      addReviewer,
      catalog,
      async initStack(project, initArgs = []) {
        // What the team commits: the CA certificates (public), the vendored charts and the
        // stack file.
        project.write(CA_FILE, fs.readFileSync(certificate.caFile, "utf8"));
        project.write(KUBE_CA_FILE, kube.caPem);
        for (const chart of [ESO_CHART, RELOADER_CHART])
          fs.cpSync(
            path.join(CHART_SOURCES, chart.chart),
            path.join(project.dir, VENDORED_CHARTS, chart.chart),
            {
              recursive: true,
            },
          );
        project.write(STACK_FILE, stackFile);
        await project.run(["stack", "init", STACK, ...initArgs]);
        for (const [key, value] of configSecrets)
          await project.run(["config", "set", "--secret", key], { input: value });
        return project.read(STACK_FILE); // now with its encryption salt and ciphertexts
      },
      async tokenOf(w, as = w) {
        // What the kubelet would put in the workload's projected volume: a token of its own
        // service account for Vault's audience, from the TokenRequest API.
        const jwt = await requestToken(kube.admin, as.namespace, as.serviceAccount, {
          audiences: [vaultNames.kubernetesAuthAudience],
          expirationSeconds: 600,
        });
        const login = await platform.server.root.write(
          `auth/${vaultNames.kubernetesAuthMount(w.cluster)}/login`,
          { role: vaultNames.workloadRole(w), jwt },
        );
        return platform.server.root.withToken(login.auth!.client_token);
      },
      stop,
    };
    return platform;
  } catch (err) {
    await stop();
    throw err;
  }
}
