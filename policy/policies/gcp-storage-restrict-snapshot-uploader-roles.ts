import { AccessGraph } from "../lib/access/graph";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { SERVICE_ACCOUNT_GRANT_TYPES, grantsOf, iamTokens } from "../lib/gcp-iam";
import type { PlatformStackPolicy } from "../lib/policy";
import { snapshotServiceAccounts } from "../lib/snapshot-uploaders";

/** Create objects; not read, list, overwrite or delete them. */
const OBJECT_CREATOR = "roles/storage.objectCreator";
const BUCKET_GRANT_TYPES = [
  "gcp:storage/bucketIAMMember:BucketIAMMember",
  "gcp:storage/bucketIAMBinding:BucketIAMBinding",
  "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
];
/** Grants above a bucket: every bucket below becomes reachable. */
const HIERARCHY_GRANT_TYPES = ["projects", "folder", "organizations"].flatMap((m) =>
  Object.values(iamTokens(m)),
);
/** GKE's principal of a Kubernetes service account. */
const KUBERNETES_MEMBER = /^serviceAccount:[^.[\]]+\.svc\.id\.goog\[([^/\]]+)\/([^\]]+)\]$/;

type Props = Record<string, unknown>;

export const gcpStorageRestrictSnapshotUploaderRoles: PlatformStackPolicy = {
  name: "gcp-storage-restrict-snapshot-uploader-roles",
  description:
    "A Google service account that a Vault raft-snapshot job impersonates (a Kubernetes service account whose pods run `raft snapshot save`, bound to it with `roles/iam.workloadIdentityUser`) may hold `roles/storage.objectCreator` on a bucket and no other role on any bucket, project, folder or organisation, through a member, a binding or a whole IAM policy. " +
    "A snapshot holds every secret of the cluster: an uploader that can read, list or delete objects (`objectViewer`, `objectUser`, `objectAdmin`, `admin`, the legacy roles) lets whoever runs in the job's pod read every snapshot, or erase the backups. " +
    "Out of scope: grants to other principals (the operators who restore), and the IAM condition on the grant (the platform limits it to the prefix; this rule does not require one).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "soc2:A1.2"),
  remediationSteps:
    "Grant the snapshot job's Google service account `roles/storage.objectCreator` on the snapshots' bucket only (`gcp.storage.BucketIAMMember`, with a condition on the prefix); give people who restore `roles/storage.objectViewer` through their own identities.",
  validateStack: (args, report) => {
    const g = new AccessGraph(args.resources);
    const jobs = snapshotServiceAccounts(g);
    const uploaders = new Map<string, string>(); // `serviceAccount:<email>` → `<ns>/<ksa>`
    if (jobs.size > 0)
      for (const type of SERVICE_ACCOUNT_GRANT_TYPES)
        for (const r of g.ofType(type)) {
          const target = g.text(r, "serviceAccountId");
          if (!target) continue;
          for (const { role, members } of grantsOf(type, props(g, r), report)) {
            if (role !== "roles/iam.workloadIdentityUser") continue;
            for (const m of members) {
              const [, ns, ksa] = KUBERNETES_MEMBER.exec(m) ?? [];
              if (ns && jobs.has(`${ns}/${ksa}`))
                uploaders.set(`serviceAccount:${target.slice(target.lastIndexOf("/") + 1)}`, `${ns}/${ksa}`);
            }
          }
        }
    for (const type of [...BUCKET_GRANT_TYPES, ...HIERARCHY_GRANT_TYPES])
      for (const r of g.ofType(type)) {
        const onBucket = BUCKET_GRANT_TYPES.includes(type);
        for (const { role, members } of grantsOf(type, props(g, r), report))
          for (const m of members) {
            const job = uploaders.get(m);
            if (!job || (onBucket && role === OBJECT_CREATOR)) continue;
            const where = onBucket
              ? `bucket ${String(g.text(r, "bucket"))}`
              : `a whole ${type.split(/[:/]/)[1]}`;
            report(
              `${m}, which the raft-snapshot job ${job} impersonates, holds ${role} on ${where}: a snapshot uploader may only create objects in its bucket (${OBJECT_CREATOR}).`,
              r.urn,
            );
          }
      }
    if (g.unknown) throw g.unknown;
  },
};

function props(g: AccessGraph, r: Parameters<AccessGraph["read"]>[0]): Props {
  return Object.fromEntries(
    ["role", "member", "members", "policyData"]
      .map((k) => [k, g.read(r, k)])
      .filter(([, v]) => v !== undefined),
  );
}
