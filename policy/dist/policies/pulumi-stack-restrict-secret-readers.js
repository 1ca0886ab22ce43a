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
var pulumi_stack_restrict_secret_readers_exports = {};
__export(pulumi_stack_restrict_secret_readers_exports, {
  DEFAULT_OPERATORS: () => DEFAULT_OPERATORS,
  pulumiStackRestrictSecretReaders: () => pulumiStackRestrictSecretReaders
});
module.exports = __toCommonJS(pulumi_stack_restrict_secret_readers_exports);
var import_graph = require("../lib/access/graph");
var import_aws = require("../lib/access/aws");
var import_azure = require("../lib/access/azure");
var import_gcp = require("../lib/access/gcp");
var import_frameworks = require("../lib/frameworks");
const NAME = "pulumi-stack-restrict-secret-readers";
const DEFAULT_OPERATORS = ["arn:aws:iam::*:role/*_github-deploy"];
function judge(grants, operators, report) {
  const isOperator = (ids) => ids.some((id) => operators.some((p) => (0, import_graph.globMatch)(p, id)));
  const workloadRead = new Set(
    grants.filter((x) => x.reader.identity.kind === "workload").map((x) => x.secret.key)
  );
  const workloadsOf = /* @__PURE__ */ new Map();
  for (const { secret, reader, urn } of grants) {
    const id = reader.identity;
    if (id.kind === "unknown" || isOperator(reader.ids)) continue;
    if (id.kind === "other") {
      report(`${reader.label} can read ${secret.label} but is not a workload identity: ${id.reason}.`, urn);
    } else if (id.kind === "rotation") {
      if (!id.rotates.has(secret.key) && workloadRead.has(secret.key))
        report(
          `${reader.label} is a rotation function's identity and can read ${secret.label}, which it does not rotate.`,
          urn
        );
    } else if (secret.workload !== void 0) {
      if (id.workload !== void 0 && id.workload !== secret.workload)
        report(
          `${reader.label} (workload ${id.workload}) can read ${secret.label} of workload ${secret.workload}.`,
          urn
        );
      const seen = workloadsOf.get(reader.label) ?? { workloads: /* @__PURE__ */ new Set(), urn };
      seen.workloads.add(secret.workload);
      workloadsOf.set(reader.label, seen);
    }
  }
  for (const [label, { workloads, urn }] of workloadsOf) {
    if (workloads.size > 1)
      report(
        `${label} can read secrets of ${workloads.size} workloads (${[...workloads].sort().join(", ")}): each workload needs its own identity.`,
        urn
      );
  }
}
const pulumiStackRestrictSecretReaders = {
  name: NAME,
  description: "Derives from the stack's resources who can read each AWS, GCP and Azure secret; every reader must be one workload's identity (bound to exactly one Kubernetes service account), the rotation function of that secret, or a configured operator.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.1", "pci-dss:7.2.2", "pci-dss:8.2.2"),
  remediationSteps: "Grant read on a secret only to the identity of the workload that needs it: an IAM role whose trust pins `sub` to `system:serviceaccount:<ns>:<sa>` and `aud` (or an EKS Pod Identity role associated with one service account), a GCP service account whose only impersonator is `<project>.svc.id.goog[<ns>/<sa>]`, or an Azure user-assigned identity federated with one service account. Give each workload its own identity. People and pipelines that must read secrets go in this policy's `operators` setting.",
  configSchema: {
    properties: {
      operators: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_OPERATORS],
        description: "Readers allowed besides workloads and rotation functions: IAM role ARNs or names, GCP members (`user:…`, `serviceAccount:…`), Azure principal ids; `*` and `?` are wildcards. The default admits this platform's CI deploy role."
      }
    }
  },
  validateStack: (args, report) => {
    const graph = new import_graph.AccessGraph(args.resources);
    const grants = [...(0, import_aws.awsGrants)(graph), ...(0, import_gcp.gcpGrants)(graph), ...(0, import_azure.azureGrants)(graph)];
    judge(grants, args.getConfig().operators ?? DEFAULT_OPERATORS, report);
    if (graph.unknown) throw graph.unknown;
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  DEFAULT_OPERATORS,
  pulumiStackRestrictSecretReaders
});
