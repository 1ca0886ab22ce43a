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
 * The preparation itself is `npm run local:up`'s (tools/local/platform.ts): the suites add
 * mocha's skips, the cluster lock and what they assert with.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  CA_FILE,
  CA_FILES,
  initStack,
  KUBE_CA_FILE,
  policyArgs,
  prepareLocalStack,
  removeEsoInstall,
  stackFileOf,
  VENDORED_CHARTS,
  withCatalog,
} from "../../tools/local/platform";
import { vaultNames } from "../../stacks/naming";
import type { Catalog, CatalogInput, Workload } from "../../stacks/schema";
import { requireEngine } from "../integration/engines";
import type { LocalCatalog } from "../integration/vault/live/local-catalog";
import { requireVault, type VaultClient, type VaultServer } from "../integration/vault/live/server";
import { PROJECT_DIR } from "../support/offline";
import type { Project } from "./cli";
import { requireCharts } from "../integration/helm/charts";
import { type Kube, removeNamespace, requestToken, requireKube, uniqueName } from "./kube";
import { type VaultState, vaultState } from "./vault-state";
import { lockClusterWideObjects } from "./cluster-lock";
import { type NodeSettings, requireNode } from "./node";

export const STACK = "local";
export const STACK_FILE = stackFileOf(STACK);
export const POLICY = policyArgs(STACK);
export { CA_FILE, CA_FILES, KUBE_CA_FILE, VENDORED_CHARTS, withCatalog };

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
  /** The node, when the suite asked for pods (`pods: true`). */
  readonly node?: NodeSettings;
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
  /**
   * The cluster runs pods (`runsPods: true`, as the shipped stacks): ESO's and Reloader's
   * releases run on the node (scripts/kube-node-env.sh) from the images imported there, awaited
   * and atomic, with ESO's webhook and cert controller; Vault listens on the node's address.
   * Default false: the API server alone, ESO's controller outside it.
   */
  readonly pods?: boolean;
}

/**
 * Call from a mocha `before` hook (after `requirePulumi`): skips, or fails under CI=true, when
 * Vault, the Kubernetes API server, PostgreSQL or MariaDB is absent.
 */
export async function startLocalPlatform(
  ctx: Mocha.Context,
  { eso = true, pods = false }: LocalPlatformOptions = {},
): Promise<LocalPlatform> {
  requireVault(ctx);
  requireCharts(ctx);
  const kube = await requireKube(ctx);
  const node = pods ? (await requireNode(ctx)).node : undefined;
  const databases = await requireEngine(ctx, "postgresql");
  await requireEngine(ctx, "mariadb");
  // ESO's CRDs, namespace and release are the cluster's: one platform at a time holds them.
  const releaseCluster = eso ? await lockClusterWideObjects() : undefined;

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-engine-local-"));
  const made: Parameters<typeof prepareLocalStack>[1] = { namespaces: [], reviewerBindings: [] };
  const stop = async () => {
    await made.server?.stop();
    await made.local?.cleanUp();
    for (const binding of made.reviewerBindings) await kube.admin.delete(binding).catch(() => undefined);
    for (const n of made.namespaces) await removeNamespace(kube.admin, n).catch(() => undefined);
    if (eso) await removeEsoInstall(kube.admin).catch(() => undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
    await releaseCluster?.();
  };

  try {
    const prepared = await prepareLocalStack(
      {
        stack: STACK,
        workDir,
        databases,
        kube,
        eso,
        namespaceSuffix: uniqueName("run").slice("run-".length),
        esoRefreshSeconds: ESO_REFRESH_SECONDS,
        credentialSeconds: 7200,
        node,
      },
      made,
    );
    const { server, local, catalogInput, stackFile, configSecrets, reviewerNamespace, addReviewer, catalog } =
      prepared;
    const baseline = await vaultState(server.root);
    const platform: LocalPlatform = {
      server,
      kube,
      node,
      local,
      catalogInput,
      stackFile,
      baseline,
      configSecrets,
      env: { KUBECONFIG: kube.settings.kubeconfig },
      reviewerNamespace,
      addReviewer,
      catalog,
      initStack: (project, initArgs = []) => initStack(project, STACK, prepared, kube, initArgs),
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
