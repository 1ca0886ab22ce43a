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
  pulumiStackRestrictSecretReaders: () => pulumiStackRestrictSecretReaders
});
module.exports = __toCommonJS(pulumi_stack_restrict_secret_readers_exports);
var import_graph = require("../lib/access/graph");
var import_aws = require("../lib/access/aws");
var import_azure = require("../lib/access/azure");
var import_gcp = require("../lib/access/gcp");
var import_exemptions = require("../lib/exemptions");
var import_frameworks = require("../lib/frameworks");
var import_policy = require("../lib/policy");
const NAME = "pulumi-stack-restrict-secret-readers";
const OPERATOR = { key: "principal", exactName: "an exact reader id", matches: "reader" };
const SHARED = { key: "secret", exactName: "an exact secret name", matches: "shared secret" };
const exemptionFor = (exemptions, ids) => ids.map((id) => exemptions.get(id)).find((e) => e !== void 0);
function judge(grants, config, report) {
  const operators = (0, import_exemptions.readExemptions)(config.operators, OPERATOR, (m) => report(m), "operators");
  const shared = (0, import_exemptions.readExemptions)(config.sharedSecrets, SHARED, (m) => report(m), "sharedSecrets");
  const used = { operators: /* @__PURE__ */ new Set(), shared: /* @__PURE__ */ new Set() };
  const operatorReads = /* @__PURE__ */ new Map();
  const workloadsOf = /* @__PURE__ */ new Map();
  for (const { secret, reader } of grants)
    if (reader.identity.kind === "workload" && !exemptionFor(operators, reader.ids)) {
      const accounts = workloadsOf.get(secret.key) ?? /* @__PURE__ */ new Set();
      accounts.add(reader.identity.serviceAccount);
      workloadsOf.set(secret.key, accounts);
    }
  for (const { secret, reader, urn } of grants) {
    const id = reader.identity;
    const operator = exemptionFor(operators, reader.ids);
    if (operator) {
      const seen = operatorReads.get(operator.name) ?? {
        exemption: operator,
        label: reader.label,
        secrets: /* @__PURE__ */ new Set(),
        urn
      };
      seen.secrets.add(secret.label);
      operatorReads.set(operator.name, seen);
      continue;
    }
    if (id.kind === "unknown") continue;
    if (id.kind === "other") {
      report(`${reader.label} can read ${secret.label} but is not a workload identity: ${id.reason}.`, urn);
    } else if (id.kind === "rotation") {
      if (!id.rotates.has(secret.key) && workloadsOf.has(secret.key))
        report(
          `${reader.label} is a rotation function's identity and can read ${secret.label}, which it does not rotate.`,
          urn
        );
    } else {
      const accounts = workloadsOf.get(secret.key) ?? /* @__PURE__ */ new Set();
      if (accounts.size <= 1) continue;
      const others = [...accounts].filter((a) => a !== id.serviceAccount).sort();
      const what = `${reader.label} (service account ${id.serviceAccount}) can read ${secret.label}, which workload identities of ${others.join(", ")} read too`;
      const exemption = exemptionFor(shared, secret.names);
      if (exemption) {
        used.shared.add(exemption.name);
        (0, import_policy.reportAdvisory)(report, (0, import_exemptions.exemptNote)(exemption, what), urn);
      } else report(`${what}: a secret belongs to one workload; give each its own secret.`, urn);
    }
  }
  for (const { exemption, label, secrets, urn } of operatorReads.values()) {
    used.operators.add(exemption.name);
    (0, import_policy.reportAdvisory)(
      report,
      (0, import_exemptions.exemptNote)(exemption, `${label} can read ${[...secrets].sort().join(", ")} as an operator`),
      urn
    );
  }
  for (const name of operators.keys())
    if (!used.operators.has(name)) (0, import_policy.reportAdvisory)(report, (0, import_exemptions.unusedNote)(name, OPERATOR));
  for (const name of shared.keys())
    if (!used.shared.has(name)) (0, import_policy.reportAdvisory)(report, (0, import_exemptions.unusedNote)(name, SHARED));
}
const pulumiStackRestrictSecretReaders = {
  name: NAME,
  description: "Derives from the stack's resources who can read each AWS, GCP and Azure secret; every reader must be a workload identity (bound to exactly one Kubernetes service account), the rotation function of that secret, or an operator the `operators` setting names exactly with a reason. All workload identities reading one secret must be bound to the same service account (a secret belongs to one workload) unless the `sharedSecrets` setting names the secret exactly with a reason. Names, tags and labels of the resources decide nothing; each exemption applied is reported as an advisory note.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.1", "pci-dss:7.2.2", "pci-dss:8.2.2"),
  remediationSteps: 'Grant read on a secret only to the identity of the workload that needs it: an IAM role whose trust pins `sub` to `system:serviceaccount:<ns>:<sa>` and `aud` (or an EKS Pod Identity role associated with one service account), a GCP service account whose only impersonator is `<project>.svc.id.goog[<ns>/<sa>]`, or an Azure user-assigned identity federated with one service account. Give each workload its own identity and its own secrets. People and pipelines that must read secrets go in this policy\'s `operators` setting: `{ "principal": "<role ARN | member | principal id>", "reason": "<why>" }`.',
  configSchema: {
    properties: {
      operators: (0, import_exemptions.exemptionsSchema)(
        OPERATOR,
        "Readers allowed besides workloads and rotation functions, exactly as the stack names them (IAM role ARN or name, GCP member such as `serviceAccount:ci@p.iam.gserviceaccount.com`, Azure principal id; no globs), each with its reason; each one applied is reported as an advisory note."
      ),
      sharedSecrets: (0, import_exemptions.exemptionsSchema)(
        SHARED,
        "Secrets that workload identities of several service accounts may read, exactly as the stack names them (Secrets Manager ARN or name, Secret Manager secret id, Key Vault secret scope; no globs), each with its reason; each one applied is reported as an advisory note."
      )
    }
  },
  validateStack: (args, report) => {
    const graph = new import_graph.AccessGraph(args.resources);
    const grants = [...(0, import_aws.awsGrants)(graph), ...(0, import_gcp.gcpGrants)(graph), ...(0, import_azure.azureGrants)(graph)];
    judge(grants, args.getConfig(), report);
    if (graph.unknown) throw graph.unknown;
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  pulumiStackRestrictSecretReaders
});
