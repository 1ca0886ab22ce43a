/**
 * Reads the stack's catalog from Pulumi config, or from the file config names
 * (stacks/catalog-source.ts), and validates it. Under `pulumi up` a bad catalog becomes a
 * `pulumi.RunError`: one readable line, no stack trace, no resources.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CATALOG_CONFIG_KEY, CATALOG_FILE_CONFIG_KEY, readCatalogSource } from "./catalog-source";
import { chartDirectoryIssues } from "./charts";
import { type EnvironmentProfile, profileFor } from "./profiles";
import { vaultAdminOf, vaultDatabases } from "../components/vault/plan";
import { type Catalog, setSecretHint } from "./schema";
import { CatalogError, type CatalogIssue, validateCatalog } from "./validate";

/**
 * Whether the engine delivered a config key as a secret. `isConfigSecret` is exported by the
 * SDK's JavaScript but marked internal in its typings; it is the only way to tell a value set
 * with `--secret` from plain text without reading it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as {
  isConfigSecret(key: string): boolean;
};

export interface LoadedStack {
  readonly catalog: Catalog;
  readonly profile: EnvironmentProfile;
  /** Secret config values the catalog refers to, by config key. */
  readonly secrets: ReadonlyMap<string, pulumi.Output<string>>;
}

/** Config keys the catalog says must hold secrets, with the catalog path that names each. */
export function requiredSecretKeys(catalog: Catalog): Array<{ key: string; path: string }> {
  const keys: Array<{ key: string; path: string }> = [];
  if (catalog.vault?.configure && catalog.vault.tokenConfigKey)
    keys.push({ key: catalog.vault.tokenConfigKey, path: "vault.tokenConfigKey" });
  if (catalog.vault?.configure && catalog.vault.oidc) {
    keys.push({ key: catalog.vault.oidc.clientSecretConfigKey, path: "vault.oidc.clientSecretConfigKey" });
  }
  catalog.kubernetes.clusters.forEach((c, i) => {
    if (catalog.vault?.configure && c.apiServer?.reviewerJwtConfigKey)
      keys.push({
        key: c.apiServer.reviewerJwtConfigKey,
        path: `kubernetes.clusters[${i}].apiServer.reviewerJwtConfigKey`,
      });
  });
  catalog.databases.forEach((d, i) => {
    keys.push({ key: d.adminPasswordConfigKey, path: `databases[${i}].adminPasswordConfigKey` });
    if (d.vaultAdmin)
      keys.push({
        key: d.vaultAdmin.passwordConfigKey,
        path: `databases[${i}].vaultAdmin.passwordConfigKey`,
      });
  });
  return keys;
}

/**
 * Of those, the keys that only seed a Vault database connection: Vault rotates the password
 * right after (rotate-root), so once the connection exists the key may be removed, and the
 * Vault configuration checks for it only when it creates the connection.
 */
export function seedSecretKeys(catalog: Catalog): Set<string> {
  if (!catalog.vault?.configure) return new Set();
  const seeds = new Set(vaultDatabases(catalog).map((d) => vaultAdminOf(d).passwordConfigKey));
  // The cloud rotation functions read their admin login from config on every run.
  for (const d of catalog.databases) if (d.vaultAdmin) seeds.delete(d.adminPasswordConfigKey);
  return seeds;
}

/** What to do when the Vault token key is missing: set it, or let the provider take the ambient token. */
function tokenHint(key: string): string {
  return `${setSecretHint(key)}, or drop vault.tokenConfigKey so the Vault provider uses the ambient VAULT_TOKEN (a CI job's JWT login, or your \`vault login\`)`;
}

/** The directory holding Pulumi.yaml: catalog file paths are relative to it. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** A catalog file path (relative to the project directory) as this machine reads it. */
export function projectPath(file: string): string {
  return path.join(PROJECT_DIR, file);
}

/** Catalog paths naming CA certificates: each must be a committed PEM certificate. */
export function certificateFileIssues(catalog: Catalog): CatalogIssue[] {
  const files = [
    ...(catalog.vault?.caCertFile ? [{ file: catalog.vault.caCertFile, path: "vault.caCertFile" }] : []),
    ...(catalog.vault?.transitUnseal
      ? [{ file: catalog.vault.transitUnseal.caCertFile, path: "vault.transitUnseal.caCertFile" }]
      : []),
    ...(catalog.vault?.snapshots?.s3Compatible?.caCertFile
      ? [
          {
            file: catalog.vault.snapshots.s3Compatible.caCertFile,
            path: "vault.snapshots.s3Compatible.caCertFile",
          },
        ]
      : []),
    ...catalog.kubernetes.clusters.flatMap((c, i) =>
      c.apiServer?.caCertFile
        ? [{ file: c.apiServer.caCertFile, path: `kubernetes.clusters[${i}].apiServer.caCertFile` }]
        : [],
    ),
  ];
  return files.flatMap(({ file, path: at }) => {
    const full = projectPath(file);
    if (!fs.existsSync(full))
      return [
        { path: at, message: `${file} does not exist in the project directory (commit the CA certificate)` },
      ];
    if (!fs.readFileSync(full, "utf8").includes("-----BEGIN CERTIFICATE-----"))
      return [{ path: at, message: `${file} holds no PEM certificate` }];
    return [];
  });
}

export function loadStack(): LoadedStack {
  const config = new pulumi.Config();
  const project = pulumi.getProject();
  try {
    const { raw, origin } = readCatalogSource(
      { catalog: config.get(CATALOG_CONFIG_KEY), catalogFile: config.get(CATALOG_FILE_CONFIG_KEY) },
      { projectDir: PROJECT_DIR, project, stack: pulumi.getStack() },
    );
    const catalog = validateCatalog(raw, origin);
    const missing: CatalogIssue[] = [
      ...certificateFileIssues(catalog),
      ...chartDirectoryIssues(catalog, PROJECT_DIR),
    ];
    const secrets = new Map<string, pulumi.Output<string>>();
    const seeds = seedSecretKeys(catalog);
    for (const { key, path } of requiredSecretKeys(catalog)) {
      const value = config.getSecret(key);
      if (value === undefined && seeds.has(key)) continue;
      if (value === undefined) {
        missing.push({
          path,
          message: `config key ${project}:${key} is not set; ${path === "vault.tokenConfigKey" ? tokenHint(key) : setSecretHint(key)}`,
        });
      } else if (!isConfigSecret(`${project}:${key}`)) {
        missing.push({
          path,
          message: `config key ${project}:${key} is plain text; set it again with --secret`,
        });
      } else {
        secrets.set(key, value);
      }
    }
    if (missing.length > 0) throw new CatalogError(missing, origin);
    return { catalog, profile: profileFor(catalog.environment), secrets };
  } catch (err) {
    if (err instanceof CatalogError) throw new pulumi.RunError(err.message);
    throw err;
  }
}
