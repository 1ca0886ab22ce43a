/**
 * The access map: which workload reads which secret, from which backend. Every component
 * grants exactly these pairs and nothing more; the policy pack and the preview report
 * read the same list.
 */
import type { Catalog, Workload, WorkloadSecret } from "./schema";

export type Backend = "vault" | "aws" | "gcp" | "azure";

export interface SecretGrant {
  readonly workload: Workload;
  readonly secret: WorkloadSecret;
  readonly backend: Backend;
  /** `<workload>/<secret>`: unique in the stack. */
  readonly id: string;
}

export function backendOf(secret: WorkloadSecret): Backend {
  return secret.source === "vault-kv" || secret.source === "vault-database" ? "vault" : secret.source;
}

export function accessGrants(catalog: Catalog): SecretGrant[] {
  return catalog.workloads.flatMap((workload) =>
    workload.secrets.map((secret) => ({
      workload,
      secret,
      backend: backendOf(secret),
      id: `${workload.name}/${secret.name}`,
    })),
  );
}

export function grantsFor(catalog: Catalog, backend: Backend): SecretGrant[] {
  return accessGrants(catalog).filter((g) => g.backend === backend);
}
