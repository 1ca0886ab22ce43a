/**
 * What every engine suite of the shipped `local` stack needs on this machine: a TLS Vault
 * server with the runbook's deployer policy and token, the stand-in service-account issuer and
 * TokenReview API, fresh databases on the local PostgreSQL and MariaDB, and the stack file with
 * only this machine's values changed. `initStack` then does in a checkout what a user does once:
 * commit the CA certificate and the stack file, `pulumi stack init`, set the secrets (on stdin).
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
import { type FakeIssuers, startIssuers } from "../integration/vault/live/issuer";
import { type LocalCatalog, localCatalog } from "../integration/vault/live/local-catalog";
import { issueServerCertificate } from "../integration/vault/live/operator-tools";
import {
  requireVault,
  startVault,
  type VaultClient,
  type VaultServer,
} from "../integration/vault/live/server";
import { type FakeTokenReview, startTokenReview } from "../integration/vault/live/token-review";
import { PROJECT_DIR } from "../support/offline";
import type { Project } from "./cli";
import { type VaultState, vaultState } from "./vault-state";

export const STACK = "local";
export const STACK_FILE = `Pulumi.${STACK}.yaml`;
export const POLICY = [
  "--policy-pack",
  "./policy",
  "--policy-pack-config",
  `Pulumi.${STACK}.policy-config.json`,
];
export const CA_FILE = "certs/local-vault-ca.pem";

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

export interface LocalPlatform {
  readonly server: VaultServer;
  readonly issuers: FakeIssuers;
  readonly local: LocalCatalog;
  /** The localised catalog as the stack file holds it (Vault address, CA file, audit path). */
  readonly catalogInput: CatalogInput;
  /** The shipped stack file with `catalogInput`, before `stack init` (no secrets yet). */
  readonly stackFile: string;
  /** The Vault before the platform: the dev server's own objects and the runbook's policy. */
  readonly baseline: VaultState;
  /** Config key → the value `initStack` sets as a secret (never printed). */
  readonly configSecrets: ReadonlyMap<string, string>;
  catalog(): Catalog;
  /**
   * In a fresh checkout: writes the CA certificate and the stack file, `pulumi stack init`,
   * sets the Vault token and the database admin passwords as secrets (on stdin, never in
   * argv). Returns the stack file as the team then commits it (salt or key, and ciphertexts).
   */
  initStack(project: Project, initArgs?: readonly string[]): Promise<string>;
  /** A workload's Vault token, from a login with its own service-account token. */
  tokenOf(w: Workload, as?: Pick<Workload, "namespace" | "serviceAccount">): Promise<VaultClient>;
  /** Stops the servers, drops the databases, removes the work directory. */
  stop(): Promise<void>;
}

/**
 * Call from a mocha `before` hook (after `requirePulumi`): skips, or fails under CI=true, when
 * Vault, PostgreSQL or MariaDB is absent.
 */
export async function startLocalPlatform(ctx: Mocha.Context): Promise<LocalPlatform> {
  requireVault(ctx);
  const databases = await requireEngine(ctx, "postgresql");
  await requireEngine(ctx, "mariadb");

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-engine-local-"));
  let server: VaultServer | undefined;
  let issuers: FakeIssuers | undefined;
  let tokenReview: FakeTokenReview | undefined;
  let local: LocalCatalog | undefined;
  const stop = async () => {
    await server?.stop();
    await issuers?.close();
    await tokenReview?.close();
    await local?.cleanUp();
    fs.rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const certificate = issueServerCertificate(path.join(workDir, "tls"), ["localhost"], ["127.0.0.1"]);
    server = await startVault(workDir, certificate);
    issuers = await startIssuers();

    // The shipped stack file, with only this machine's values changed.
    const shipped = fs.readFileSync(path.join(PROJECT_DIR, STACK_FILE), "utf8");
    const shippedCatalog = (YAML.parse(shipped) as { config: Record<string, CatalogInput> }).config[
      "secrets-platform:catalog"
    ];
    local = localCatalog(shippedCatalog, databases);
    await local.prepare();
    const cluster = local.input.kubernetes.clusters[0];
    tokenReview = await startTokenReview(issuers, issuers.urlFor(cluster.oidcIssuerUrl));
    const catalogInput = structuredClone(local.input);
    catalogInput.kubernetes.clusters[0].apiServer = { url: tokenReview.url };
    Object.assign(catalogInput.vault!, {
      address: server.tlsAddress,
      caCertFile: CA_FILE,
      audit: { filePath: path.join(workDir, "audit.log") },
    });
    const stackFile = withCatalog(shipped, catalogInput);
    const catalog = () => validateCatalog(catalogInput);

    // As the runbook does: the configuration is applied with a deployer token, never root.
    await server.root.request("PUT", "sys/policies/acl/platform-deployer", {
      policy: renderPolicy(deployerPolicy(catalog())),
    });
    const baseline = await vaultState(server.root);
    const { auth } = await server.root.write("auth/token/create-orphan", {
      policies: ["platform-deployer"],
      ttl: "2h",
    });
    const configSecrets = new Map([["vaultToken", auth!.client_token], ...local.adminPasswords]);

    const platform: LocalPlatform = {
      server,
      issuers,
      local,
      catalogInput,
      stackFile,
      baseline,
      configSecrets,
      catalog,
      async initStack(project, initArgs = []) {
        // What the team commits: the CA certificate (public) and the stack file.
        project.write(CA_FILE, fs.readFileSync(certificate.caFile, "utf8"));
        project.write(STACK_FILE, stackFile);
        await project.run(["stack", "init", STACK, ...initArgs]);
        for (const [key, value] of configSecrets)
          await project.run(["config", "set", "--secret", key], { input: value });
        return project.read(STACK_FILE); // now with its encryption salt and ciphertexts
      },
      async tokenOf(w, as = w) {
        const c = catalog().kubernetes.clusters.find((k) => k.name === w.cluster)!;
        // Shaped like a projected service-account token: Vault reads the account from the
        // `kubernetes.io` claims before it asks the API server to review the token.
        const jwt = platform.issuers.sign(c.oidcIssuerUrl, {
          sub: `system:serviceaccount:${as.namespace}:${as.serviceAccount}`,
          aud: [vaultNames.kubernetesAuthAudience],
          "kubernetes.io": {
            namespace: as.namespace,
            serviceaccount: { name: as.serviceAccount, uid: `uid-${as.namespace}-${as.serviceAccount}` },
          },
        });
        const login = await platform.server.root.write(
          `auth/${vaultNames.kubernetesAuthMount(w.cluster)}/login`,
          {
            role: vaultNames.workloadRole(w),
            jwt,
          },
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
