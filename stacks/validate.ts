/**
 * Catalog validation: the zod schema for shape, then the cross-field rules that need the
 * whole catalog in view. Every problem is reported with its key path
 * (`workloads[3].secrets[0].source`) and what is allowed, before any resource exists.
 */
import { z } from "zod";
import { profileFor, profileOrderingViolations } from "./profiles";
import {
  type Catalog,
  type Cloud,
  catalogSchema,
  type DeployedVaultSettings,
  type VaultSettings,
} from "./schema";

export interface CatalogIssue {
  /** Key path in the catalog, e.g. `workloads[3].secrets[0].source`. */
  readonly path: string;
  readonly message: string;
}

export class CatalogError extends Error {
  constructor(
    readonly issues: readonly CatalogIssue[],
    readonly origin = "catalog",
  ) {
    super(
      `invalid ${origin}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`,
    );
    this.name = "CatalogError";
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    "",
  );
}

function zodIssueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_union":
      if ("options" in issue && Array.isArray(issue.options)) {
        return `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}`;
      }
      return issue.message;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (check the spelling against the catalog reference, docs/catalog.md)`;
    case "invalid_type":
      return issue.message.replace(/^Invalid input: /, "");
    default:
      return issue.message;
  }
}

/** Parses and cross-checks a catalog; throws `CatalogError` listing every problem found. */
export function validateCatalog(raw: unknown, origin = "catalog"): Catalog {
  const ordering = profileOrderingViolations();
  if (ordering.length > 0) {
    throw new CatalogError(
      ordering.map((message) => ({ path: "stacks/profiles.ts", message })),
      origin,
    );
  }
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CatalogError(
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: zodIssueMessage(issue) })),
      origin,
    );
  }
  const issues = crossFieldIssues(parsed.data);
  if (issues.length > 0) throw new CatalogError(issues, origin);
  return parsed.data;
}

function duplicates<T>(
  items: readonly T[],
  key: (t: T) => string,
  path: (i: number) => string,
  what: string,
): CatalogIssue[] {
  const seen = new Map<string, number>();
  const issues: CatalogIssue[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else
      issues.push({
        path: path(i),
        message: `duplicate ${what} ${JSON.stringify(k)} (first at index ${first})`,
      });
  });
  return issues;
}

export function crossFieldIssues(c: Catalog): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const clusters = new Map(c.kubernetes.clusters.map((k) => [k.name, k]));
  const databases = new Map(c.databases.map((d) => [d.name, d]));
  const enabled: Record<Cloud | "vault", boolean> = {
    aws: !!c.aws,
    gcp: !!c.gcp,
    azure: !!c.azure,
    vault: !!c.vault,
  };
  const clusterNames = [...clusters.keys()].map((n) => JSON.stringify(n)).join(", ");
  const needCluster = (name: string, path: string) => {
    if (!clusters.has(name))
      issues.push({
        path,
        message: `unknown cluster ${JSON.stringify(name)}; declared clusters: ${clusterNames}`,
      });
  };
  const needBackend = (backend: Cloud | "vault", path: string, why: string) => {
    if (!enabled[backend])
      issues.push({
        path,
        message: `${why} needs the ${backend} backend, which this stack does not enable (add a top-level "${backend}" section)`,
      });
  };

  issues.push(
    ...duplicates(
      c.kubernetes.clusters,
      (k) => k.name,
      (i) => `kubernetes.clusters[${i}].name`,
      "cluster name",
    ),
  );
  issues.push(
    ...duplicates(
      c.databases,
      (d) => d.name,
      (i) => `databases[${i}].name`,
      "database name",
    ),
  );
  issues.push(
    ...duplicates(
      c.workloads,
      (w) => w.name,
      (i) => `workloads[${i}].name`,
      "workload name",
    ),
  );
  // Two workloads behind one service account would share an identity, so neither is least-privilege.
  issues.push(
    ...duplicates(
      c.workloads,
      (w) => `${w.cluster}/${w.namespace}/${w.serviceAccount}`,
      (i) => `workloads[${i}].serviceAccount`,
      "cluster/namespace/service account",
    ),
  );

  if (c.vault?.transitUnseal && !(c.vault.deploy && c.vault.unseal === "transit"))
    issues.push({
      path: "vault.transitUnseal",
      message:
        "only read when the platform deploys Vault with unseal: transit; remove it or set vault.unseal",
    });
  if (c.vault?.replicas !== undefined && !c.vault.deploy)
    issues.push({
      path: "vault.replicas",
      message: "only read when the platform deploys Vault (vault.deploy: true); remove it",
    });
  if (c.vault?.deploy) {
    const v = c.vault;
    for (const key of ["cluster", "unseal", "tls", "operators"] as const) {
      if (v[key] === undefined)
        issues.push({
          path: `vault.${key}`,
          message:
            "required when the platform deploys Vault (set vault.deploy: false to configure an existing Vault)",
        });
    }
    const profileReplicas = profileFor(c.environment).vault.replicas;
    if (v.replicas !== undefined && v.replicas < profileReplicas)
      issues.push({
        path: "vault.replicas",
        message: `${v.replicas} is below the ${c.environment} profile's ${profileReplicas} servers; it may only raise the count (remove it to take the profile's)`,
      });
    if (v.cluster) needCluster(v.cluster, "vault.cluster");
    if (v.cluster && clusters.get(v.cluster)?.runsPods === false)
      issues.push({
        path: "vault.cluster",
        message: `cluster ${JSON.stringify(v.cluster)} runs no pods (runsPods: false); deploy Vault to a cluster with nodes, or configure an existing Vault (vault.deploy: false)`,
      });
    if (v.unseal && v.unseal !== "transit")
      needBackend(v.unseal, "vault.unseal", `auto-unseal with ${v.unseal} KMS`);
    // The job's identity is bound to its Kubernetes service account by its cloud's federation,
    // which works only for a cluster of that cloud.
    for (const d of [
      {
        key: "s3",
        cloud: "aws",
        on: "an aws cluster",
        why: "snapshots to S3",
        binding: "the snapshot job's S3 role is bound to its service account through IRSA",
      },
      {
        key: "gcs",
        cloud: "gcp",
        on: "a gcp cluster",
        why: "snapshots to Cloud Storage",
        binding:
          "the snapshot job's Google service account is bound to its Kubernetes service account through GKE Workload Identity",
      },
    ] as const) {
      if (!v.snapshots?.[d.key]) continue;
      needBackend(d.cloud, `vault.snapshots.${d.key}`, d.why);
      const cloud = v.cluster ? clusters.get(v.cluster)?.cloud : undefined;
      if (v.cluster && cloud !== d.cloud)
        issues.push({
          path: `vault.snapshots.${d.key}`,
          message: `${d.binding}, which needs Vault on ${d.on}; vault.cluster ${JSON.stringify(v.cluster)} runs on ${cloud ?? "no cloud"}`,
        });
    }
    if (v.snapshots?.azureBlob) {
      needBackend("azure", "vault.snapshots.azureBlob", "snapshots to Blob Storage");
      const index = c.kubernetes.clusters.findIndex((k) => k.name === v.cluster);
      const cluster = c.kubernetes.clusters[index];
      // Entra ID trusts the federated credential's issuer over https only.
      if (cluster && !cluster.oidcIssuerUrl.startsWith("https://"))
        issues.push({
          path: "vault.snapshots.azureBlob",
          message: `the snapshot job's managed identity trusts its cluster's token issuer, which must be https; vault.cluster ${JSON.stringify(v.cluster)} issues from ${cluster.oidcIssuerUrl}`,
        });
      // The Azure CLI's image is published only on Microsoft's own registry: no default to pin.
      if (cluster && !cluster.images?.snapshotUploader)
        issues.push({
          path: `kubernetes.clusters[${index}].images.snapshotUploader`,
          message:
            "required with vault.snapshots.azureBlob: an Azure CLI (2.x) image your cluster pulls (the job runs `az login` with its federated token and `az storage blob upload`); the program pins none for Blob Storage",
        });
    }
    if (v.unseal === "transit" && !v.transitUnseal)
      issues.push({
        path: "vault.transitUnseal",
        message: "required with unseal: transit (the unsealing Vault's address, mount, key and token)",
      });
    // Clients trust this file; the program never reads the TLS Secret, whose private key
    // would otherwise land in state (components/vault/tls.ts).
    if (!v.caCertFile)
      issues.push({
        path: "vault.caCertFile",
        message:
          "required when the platform deploys Vault: commit the CA that signs its server certificate (the cert-manager issuer's CA, or the one of the Secret you provide) and name the file here (docs/runbooks/vault-init.md)",
      });
  } else if (c.vault) {
    if (!c.vault.configure)
      issues.push({
        path: "vault.configure",
        message:
          "an existing Vault (vault.deploy: false) is only configured by the platform; set configure: true",
      });
    if (c.vault.cluster) needCluster(c.vault.cluster, "vault.cluster");
  }
  c.kubernetes.clusters.forEach((k, i) => {
    // EKS, GKE and AKS issue from https; their identity federation (IAM OIDC providers,
    // Workload Identity, federated credentials) trusts nothing else.
    if (k.cloud && !k.oidcIssuerUrl.startsWith("https://"))
      issues.push({
        path: `kubernetes.clusters[${i}].oidcIssuerUrl`,
        message: `must be an https:// URL for a cluster on ${k.cloud} (plain http:// only for a local cluster without cloud)`,
      });
    if (k.apiServer && c.vault?.deploy && c.vault.cluster === k.name)
      issues.push({
        path: `kubernetes.clusters[${i}].apiServer`,
        message: `Vault runs in ${JSON.stringify(k.name)} and reviews tokens through the in-cluster API; remove apiServer`,
      });
  });
  if (c.eso) {
    c.eso.clusters.forEach((name, i) => needCluster(name, `eso.clusters[${i}]`));
    const profileBound = profileFor(c.environment).eso.maxRefreshSeconds;
    if (c.eso.maxRefreshSeconds !== undefined && c.eso.maxRefreshSeconds > profileBound)
      issues.push({
        path: "eso.maxRefreshSeconds",
        message: `may only tighten the ${c.environment} profile's bound of ${profileBound} s, not loosen it`,
      });
    issues.push(
      ...duplicates(
        c.eso.clusterSecretStores,
        (s) => `${s.cluster}/${s.name}`,
        (i) => `eso.clusterSecretStores[${i}].name`,
        "cluster secret store",
      ),
    );
    c.eso.clusterSecretStores.forEach((s, i) => {
      needCluster(s.cluster, `eso.clusterSecretStores[${i}].cluster`);
      needBackend("vault", `eso.clusterSecretStores[${i}]`, "a cluster secret store");
    });
  }
  if (c.aws?.workloadIdentity === "pod-identity") {
    c.workloads.forEach((w, i) => {
      if (
        clusters.get(w.cluster) &&
        clusters.get(w.cluster)?.cloud !== "aws" &&
        w.secrets.some((s) => s.source === "aws")
      ) {
        issues.push({
          path: `workloads[${i}].cluster`,
          message: `EKS Pod Identity needs an EKS cluster; ${JSON.stringify(w.cluster)} runs on ${clusters.get(w.cluster)?.cloud ?? "no cloud"} (use aws.workloadIdentity "irsa")`,
        });
      }
    });
  }

  c.workloads.forEach((w, wi) => {
    const at = `workloads[${wi}]`;
    needCluster(w.cluster, `${at}.cluster`);
    if (c.eso && clusters.has(w.cluster) && !c.eso.clusters.includes(w.cluster)) {
      issues.push({
        path: `${at}.cluster`,
        message: `cluster ${JSON.stringify(w.cluster)} has no External Secrets Operator; add it to eso.clusters`,
      });
    }
    issues.push(
      ...duplicates(
        w.secrets,
        (s) => s.name,
        (i) => `${at}.secrets[${i}].name`,
        "secret name",
      ),
    );
    w.secrets.forEach((s, si) => {
      const sp = `${at}.secrets[${si}]`;
      const backend = s.source === "vault-kv" || s.source === "vault-database" ? "vault" : s.source;
      needBackend(backend, `${sp}.source`, `source ${JSON.stringify(s.source)}`);
      if (s.source === "vault-database") {
        const db = databases.get(s.database);
        if (!db) {
          issues.push({
            path: `${sp}.database`,
            message: `unknown database ${JSON.stringify(s.database)}; declared databases: ${[...databases.keys()].map((n) => JSON.stringify(n)).join(", ") || "none"}`,
          });
        }
        if (s.credential === "static" && !s.username) {
          issues.push({
            path: `${sp}.username`,
            message: "static credentials need the existing database user whose password Vault rotates",
          });
        }
        if (s.credential === "dynamic" && s.username) {
          issues.push({
            path: `${sp}.username`,
            message: "dynamic credentials create their own users; remove username or set credential: static",
          });
        }
      }
      if (s.source === "gcp" && clusters.get(w.cluster) && clusters.get(w.cluster)?.cloud !== "gcp") {
        issues.push({
          path: `${sp}.source`,
          message: `GKE Workload Identity needs a GKE cluster; ${JSON.stringify(w.cluster)} runs on ${clusters.get(w.cluster)?.cloud ?? "no cloud"}`,
        });
      }
      if (
        (s.source === "aws" || s.source === "gcp" || s.source === "azure") &&
        s.rotation &&
        !databases.has(s.rotation.database)
      ) {
        issues.push({
          path: `${sp}.rotation.database`,
          message: `unknown database ${JSON.stringify(s.rotation.database)}`,
        });
      }
      if (
        (s.source === "aws" || s.source === "gcp" || s.source === "azure") &&
        s.rotation &&
        s.issuerRotation
      ) {
        issues.push({
          path: `${sp}.issuerRotation`,
          message:
            "a secret is rotated either by the platform (rotation.database) or by its issuer, not both",
        });
      }
    });
  });
  issues.push(...vaultAdminIssues(c));
  return issues;
}

/**
 * Vault rotates the password of its connection's admin (rotate-root), after which only Vault
 * knows it: a cloud rotation function reading the same login from stack config would break.
 */
function vaultAdminIssues(c: Catalog): CatalogIssue[] {
  const secrets = c.workloads.flatMap((w) => w.secrets);
  const readThroughVault = new Set(
    secrets.flatMap((s) => (s.source === "vault-database" ? [s.database] : [])),
  );
  const cloudRotated = new Set(
    secrets.flatMap((s) => ("rotation" in s && s.rotation ? [s.rotation.database] : [])),
  );
  return c.databases.flatMap((d, i): CatalogIssue[] => {
    const at = `databases[${i}].vaultAdmin`;
    if (!d.vaultAdmin) {
      if (!readThroughVault.has(d.name) || !cloudRotated.has(d.name)) return [];
      return [
        {
          path: at,
          message: `${d.name} is read through Vault and rotated by a cloud rotation function; Vault rotates its admin's password, so give Vault a login of its own (vaultAdmin: { username, passwordConfigKey })`,
        },
      ];
    }
    const issues: CatalogIssue[] = [];
    if (d.vaultAdmin.username === d.adminUsername)
      issues.push({
        path: `${at}.username`,
        message: "must differ from adminUsername (Vault rotates its password)",
      });
    if (d.vaultAdmin.passwordConfigKey === d.adminPasswordConfigKey)
      issues.push({ path: `${at}.passwordConfigKey`, message: "must differ from adminPasswordConfigKey" });
    return issues;
  });
}

/** The settings of the Vault the platform deploys, once `validateCatalog` has passed. */
export function deployedVault(v: VaultSettings): DeployedVaultSettings {
  if (!v.deploy || !v.cluster || !v.unseal || !v.tls || !v.operators)
    throw new Error(
      "vault: the catalog does not deploy Vault (vault.deploy: false) or lacks cluster/unseal/tls/operators",
    );
  return v as DeployedVaultSettings;
}
