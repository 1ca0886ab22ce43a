// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var gcp_storage_restrict_snapshot_uploader_roles_exports = {};
__export(gcp_storage_restrict_snapshot_uploader_roles_exports, {
  gcpStorageRestrictSnapshotUploaderRoles: () => gcpStorageRestrictSnapshotUploaderRoles
});
module.exports = __toCommonJS(gcp_storage_restrict_snapshot_uploader_roles_exports);
var import_graph = require("../lib/access/graph");
var import_frameworks = require("../lib/frameworks");
var import_gcp_iam = require("../lib/gcp-iam");
var import_snapshot_uploaders = require("../lib/snapshot-uploaders");
const OBJECT_CREATOR = "roles/storage.objectCreator";
const BUCKET_GRANT_TYPES = [
  "gcp:storage/bucketIAMMember:BucketIAMMember",
  "gcp:storage/bucketIAMBinding:BucketIAMBinding",
  "gcp:storage/bucketIAMPolicy:BucketIAMPolicy"
];
const HIERARCHY_GRANT_TYPES = ["projects", "folder", "organizations"].flatMap(
  (m) => Object.values((0, import_gcp_iam.iamTokens)(m))
);
const KUBERNETES_MEMBER = /^serviceAccount:[^.[\]]+\.svc\.id\.goog\[([^/\]]+)\/([^\]]+)\]$/;
const gcpStorageRestrictSnapshotUploaderRoles = {
  name: "gcp-storage-restrict-snapshot-uploader-roles",
  description: "A Google service account that a Vault raft-snapshot job impersonates (a Kubernetes service account whose pods run `raft snapshot save`, bound to it with `roles/iam.workloadIdentityUser`) may hold `roles/storage.objectCreator` on a bucket and no other role on any bucket, project, folder or organisation, through a member, a binding or a whole IAM policy. A snapshot holds every secret of the cluster: an uploader that can read, list or delete objects (`objectViewer`, `objectUser`, `objectAdmin`, `admin`, the legacy roles) lets whoever runs in the job's pod read every snapshot, or erase the backups. Out of scope: grants to other principals (the operators who restore), and the IAM condition on the grant (the platform limits it to the prefix; this rule does not require one).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "soc2:A1.2"),
  remediationSteps: "Grant the snapshot job's Google service account `roles/storage.objectCreator` on the snapshots' bucket only (`gcp.storage.BucketIAMMember`, with a condition on the prefix); give people who restore `roles/storage.objectViewer` through their own identities.",
  validateStack: (args, report) => {
    const g = new import_graph.AccessGraph(args.resources);
    const jobs = (0, import_snapshot_uploaders.snapshotServiceAccounts)(g);
    const uploaders = /* @__PURE__ */ new Map();
    if (jobs.size > 0)
      for (const type of import_gcp_iam.SERVICE_ACCOUNT_GRANT_TYPES)
        for (const r of g.ofType(type)) {
          const target = g.text(r, "serviceAccountId");
          if (!target) continue;
          for (const { role, members } of (0, import_gcp_iam.grantsOf)(type, props(g, r), report)) {
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
        for (const { role, members } of (0, import_gcp_iam.grantsOf)(type, props(g, r), report))
          for (const m of members) {
            const job = uploaders.get(m);
            if (!job || onBucket && role === OBJECT_CREATOR) continue;
            const where = onBucket ? `bucket ${String(g.text(r, "bucket"))}` : `a whole ${type.split(/[:/]/)[1]}`;
            report(
              `${m}, which the raft-snapshot job ${job} impersonates, holds ${role} on ${where}: a snapshot uploader may only create objects in its bucket (${OBJECT_CREATOR}).`,
              r.urn
            );
          }
      }
    if (g.unknown) throw g.unknown;
  }
};
function props(g, r) {
  return Object.fromEntries(
    ["role", "member", "members", "policyData"].map((k) => [k, g.read(r, k)]).filter(([, v]) => v !== void 0)
  );
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  gcpStorageRestrictSnapshotUploaderRoles
});
