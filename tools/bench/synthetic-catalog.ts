/**
 * Synthetic catalogs for the benchmark: n workloads over three clusters (EKS, GKE, AKS),
 * n/5 namespaces, four databases, about three secrets each spread over every backend the
 * cluster can read from. The result passes the same validation as a shipped stack.
 */
import type { CatalogInput } from "../../stacks/schema";
import { shippedCatalogInput } from "../offline/shipped-stacks";

type SecretInput = CatalogInput["workloads"][number]["secrets"][number];

const DATABASES = ["orders-pg", "ledger-mysql", "billing-pg", "audit-mysql"] as const;

function secretsFor(index: number, cloud: "aws" | "gcp" | "azure"): SecretInput[] {
  const database = DATABASES[index % DATABASES.length];
  return [
    {
      name: "app-db",
      source: "vault-database",
      database,
      access: index % 2 === 0 ? "read-write" : "read-only",
    },
    { name: "api-key", source: cloud },
    { name: "settings", source: "vault-kv", path: `bench/w${index}/settings` },
  ];
}

export function syntheticCatalog(workloads: number): CatalogInput {
  const base = shippedCatalogInput("prod");
  const clusters = [
    { name: "eks-prod", cloud: "aws" as const },
    { name: "gke-prod", cloud: "gcp" as const },
    { name: "aks-prod", cloud: "azure" as const },
  ];
  const namespaces = Math.max(3, Math.floor(workloads / 5));
  const passwordKeys: Record<string, string> = {
    "orders-pg": "ordersDbAdminPassword",
    "ledger-mysql": "ledgerDbAdminPassword",
    "billing-pg": "ordersDbAdminPassword",
    "audit-mysql": "ledgerDbAdminPassword",
  };
  return {
    ...base,
    eso: { ...base.eso!, clusterSecretStores: [] },
    vault: { ...base.vault!, appRoles: [] },
    databases: DATABASES.map((name, i) => ({
      name,
      engine: name.endsWith("-pg") ? ("postgresql" as const) : ("mysql" as const),
      host: `${name}.bench.example.internal`,
      port: name.endsWith("-pg") ? 5432 : 3306,
      database: `bench_${i}`,
      adminUsername: "vault_admin",
      adminPasswordConfigKey: passwordKeys[name],
    })),
    workloads: Array.from({ length: workloads }, (_, i) => {
      const cluster = clusters[i % clusters.length];
      return {
        name: `w${String(i).padStart(4, "0")}`,
        namespace: `team-${i % namespaces}`,
        serviceAccount: `w${String(i).padStart(4, "0")}`,
        cluster: cluster.name,
        secrets: secretsFor(i, cluster.cloud),
      };
    }),
  };
}
