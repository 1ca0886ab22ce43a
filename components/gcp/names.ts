/**
 * GCP-specific spellings of the shared names: Google service account ids (6-30 chars) and
 * labels (lower case, at most 63 chars, a restricted alphabet).
 */
import { createHash } from "node:crypto";
import { workloadIdentityName } from "../../stacks/naming";
import type { Catalog, Workload } from "../../stacks/schema";

const ACCOUNT_ID_MAX = 30;
const DIGEST_CHARS = 6;

/**
 * A Google service account id (6-30 chars) for `full`: itself when it fits, else a prefix of it
 * plus a digest of the whole, so two long names sharing a prefix stay distinct and the id never
 * changes between runs.
 */
export function boundedAccountId(full: string): string {
  if (full.length <= ACCOUNT_ID_MAX) return full;
  const digest = createHash("sha256").update(full).digest("hex").slice(0, DIGEST_CHARS);
  const head = full.slice(0, ACCOUNT_ID_MAX - DIGEST_CHARS - 1).replace(/-+$/, "");
  return `${head}-${digest}`;
}

/** The workload's Google service account id: its shared identity name, bounded. */
export function gcpServiceAccountId(catalog: Catalog, workload: Workload): string {
  return boundedAccountId(workloadIdentityName(catalog, workload));
}

const LABEL_MAX = 63;

function labelPart(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "_")
    .slice(0, LABEL_MAX);
}

/** Catalog tags plus the given labels, rewritten into what GCP accepts as labels. */
export function gcpLabels(catalog: Catalog, extra: Readonly<Record<string, string>>): Record<string, string> {
  const merged = { ...catalog.tags, environment: catalog.environment, "managed-by": "pulumi", ...extra };
  return Object.fromEntries(
    Object.entries(merged).map(([k, v]) => [labelPart(k).replace(/^[^a-z]+/, "") || "tag", labelPart(v)]),
  );
}
