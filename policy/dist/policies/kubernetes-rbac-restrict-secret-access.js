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
var kubernetes_rbac_restrict_secret_access_exports = {};
__export(kubernetes_rbac_restrict_secret_access_exports, {
  kubernetesRbacRestrictSecretAccess: () => kubernetesRbacRestrictSecretAccess
});
module.exports = __toCommonJS(kubernetes_rbac_restrict_secret_access_exports);
var import_graph = require("../lib/access/graph");
var import_exemptions = require("../lib/exemptions");
var import_frameworks = require("../lib/frameworks");
var import_kubernetes_rbac = require("../lib/kubernetes-rbac");
var import_policy = require("../lib/policy");
const NAME = "kubernetes-rbac-restrict-secret-access";
const SETTING = "serviceAccounts";
const KIND = {
  key: "serviceAccount",
  exactName: "an exact service account as `<namespace>/<name>`",
  matches: "RBAC grant"
};
function findings(binding, account, delivered, unsure) {
  const found = [];
  for (const rule of binding.rules ?? []) {
    found.push(...(0, import_kubernetes_rbac.escalations)(rule));
    const reads = (0, import_kubernetes_rbac.secretReads)(rule);
    if (reads.kind === "any")
      found.push(
        `${reads.verbs.join(", ")} on every Secret ${binding.namespace ? `of namespace ${binding.namespace}` : "of every namespace"}`
      );
    else if (reads.kind === "named") {
      const ns = account.split("/")[0];
      if (binding.namespace === void 0)
        found.push(`get on Secrets ${reads.names.join(", ")} in every namespace (a ClusterRoleBinding)`);
      else if (binding.namespace !== ns)
        found.push(`get on Secrets ${reads.names.join(", ")} of namespace ${binding.namespace}, not its own`);
      else {
        const mine = delivered(account);
        const others = reads.names.filter((n) => !mine.has(n));
        if (others.length > 0 && !unsure())
          found.push(`get on Secrets ${others.join(", ")}, which the stack does not deliver to its workload`);
      }
    }
  }
  return found;
}
const kubernetesRbacRestrictSecretAccess = {
  name: NAME,
  description: "Kubernetes RBAC must not let a service account read Secrets or widen its own access: every Role, ClusterRole (with the rules aggregated into it), RoleBinding and ClusterRoleBinding, in every API version, as objects, patches or lists, whatever they are called. Refused when a binding reaches a service account (a ServiceAccount subject, or the user `system:serviceaccount:<ns>:<name>`): get, list or watch on `secrets` (or `*`), except `get` restricted by `resourceNames` to Secrets the stack delivers to that account's workload in its own namespace (mounted or read into the environment by its pods, or delivered there by an ExternalSecret and used by no other pod); escalate, bind or impersonate (or `*` on roles, bindings, users, groups, service accounts); creating service-account tokens, pods, `pods/exec`, `pods/attach`, or creating or updating any pod-owning workload (which can mount any Secret of the namespace); `nodes/proxy` (the kubelet's API); writing mutating or validating webhook configurations. A binding to a whole group of service accounts (`system:serviceaccounts[:<ns>]`, `system:authenticated`, `system:unauthenticated`) is refused whatever it grants, and so is a binding to a role whose rules are not in the stack (but the built-in `view`; `cluster-admin`, `admin` and `edit` are judged by what they allow), and a ClusterRole aggregated into the built-in `view` that grants any of the above. People's users and groups are out of scope. Service accounts the `serviceAccounts` setting names exactly (`<namespace>/<name>`, with a reason: ESO's controller, Reloader) are reported as advisory notes.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2", "cis-kubernetes:5.1.2", "cis-kubernetes:5.1.4", "cis-kubernetes:5.1.8"),
  remediationSteps: 'Deliver Secrets to pods through External Secrets Operator and volume mounts; a workload that must call the API for its own Secret gets a Role with `verbs: [get]`, `resources: [secrets]`, `resourceNames: [<its Secrets>]` bound in its namespace. Bind service accounts one by one. Controllers that must read Secrets (ESO, Reloader) go in this policy\'s `serviceAccounts` setting: `{ "serviceAccount": "<namespace>/<name>", "reason": "<why>" }`.',
  configSchema: {
    properties: {
      [SETTING]: (0, import_exemptions.exemptionsSchema)(
        KIND,
        "Service accounts (`<namespace>/<name>`, exact, no globs) allowed such grants, each with its reason; every exemption applied is reported as an advisory note. A group of service accounts cannot be exempted."
      )
    }
  },
  validateStack: (args, report) => {
    const graph = new import_graph.AccessGraph(args.resources);
    const exempt = (0, import_exemptions.readExemptions)(
      args.getConfig().serviceAccounts,
      KIND,
      (m) => report(m),
      SETTING
    );
    const used = /* @__PURE__ */ new Set();
    const { bindings, toView } = (0, import_kubernetes_rbac.rbacInventory)(graph);
    const delivered = (0, import_kubernetes_rbac.deliveredSecrets)(graph);
    for (const b of bindings) {
      for (const reach of b.reaches) {
        if (reach.kind === "group") {
          report(
            `${b.label} binds ${b.role} to the group ${reach.group}, every service account in it.`,
            b.urn
          );
          continue;
        }
        const what = `${b.label} gives service account ${reach.account} ${b.role}`;
        const found = b.rules ? findings(b, reach.account, delivered, () => graph.unknown !== void 0) : ["rules that are not in this stack, so what it grants cannot be verified"];
        if (found.length === 0) continue;
        const text = `${what}: ${found.join("; ")}`;
        const exemption = exempt.get(reach.account);
        if (!exemption) report(`${text}.`, b.urn);
        else {
          used.add(exemption.name);
          (0, import_policy.reportAdvisory)(report, (0, import_exemptions.exemptNote)(exemption, text), b.urn);
        }
      }
    }
    for (const role of toView) {
      const found = role.rules.flatMap((rule) => [
        ...(0, import_kubernetes_rbac.escalations)(rule),
        ...(0, import_kubernetes_rbac.secretReads)(rule).kind === "none" ? [] : ["reads Secrets"]
      ]);
      if (found.length > 0)
        report(
          `${role.label} is aggregated into the built-in view role, bound to subjects this stack cannot see: ${found.join("; ")}.`,
          role.urn
        );
    }
    for (const name of exempt.keys()) if (!used.has(name)) (0, import_policy.reportAdvisory)(report, (0, import_exemptions.unusedNote)(name, KIND));
    if (graph.unknown) throw graph.unknown;
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  kubernetesRbacRestrictSecretAccess
});
