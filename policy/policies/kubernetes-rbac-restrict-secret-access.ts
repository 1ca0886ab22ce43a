import { AccessGraph } from "../lib/access/graph";
import {
  exemptNote,
  exemptionsSchema,
  readExemptions,
  unusedNote,
  type ExemptionKind,
} from "../lib/exemptions";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import {
  deliveredSecrets,
  escalations,
  rbacInventory,
  secretReads,
  type Binding,
} from "../lib/kubernetes-rbac";
import { reportAdvisory, type PlatformStackPolicy } from "../lib/policy";

const NAME = "kubernetes-rbac-restrict-secret-access";
const SETTING = "serviceAccounts";
const KIND: ExemptionKind = {
  key: "serviceAccount",
  exactName: "an exact service account as `<namespace>/<name>`",
  matches: "RBAC grant",
};

type Report = (message: string, urn?: string) => void;

/** What a binding's rules give one service account that the rule refuses. */
function findings(
  binding: Binding,
  account: string,
  delivered: (account: string) => ReadonlySet<string>,
  unsure: () => boolean,
) {
  const found: string[] = [];
  for (const rule of binding.rules ?? []) {
    found.push(...escalations(rule));
    const reads = secretReads(rule);
    if (reads.kind === "any")
      found.push(
        `${reads.verbs.join(", ")} on every Secret ${binding.namespace ? `of namespace ${binding.namespace}` : "of every namespace"}`,
      );
    else if (reads.kind === "named") {
      const ns = account.split("/")[0];
      if (binding.namespace === undefined)
        found.push(`get on Secrets ${reads.names.join(", ")} in every namespace (a ClusterRoleBinding)`);
      else if (binding.namespace !== ns)
        found.push(`get on Secrets ${reads.names.join(", ")} of namespace ${binding.namespace}, not its own`);
      else {
        const mine = delivered(account);
        const others = reads.names.filter((n) => !mine.has(n));
        // What the stack delivers depends on a value unknown during preview: judged at `up`.
        if (others.length > 0 && !unsure())
          found.push(`get on Secrets ${others.join(", ")}, which the stack does not deliver to its workload`);
      }
    }
  }
  return found;
}

export const kubernetesRbacRestrictSecretAccess: PlatformStackPolicy = {
  name: NAME,
  description:
    "Kubernetes RBAC must not let a service account read Secrets or widen its own access: every Role, ClusterRole (with the rules aggregated into it), RoleBinding and ClusterRoleBinding, in every API version, as objects, patches or lists, whatever they are called. " +
    "Refused when a binding reaches a service account (a ServiceAccount subject, or the user `system:serviceaccount:<ns>:<name>`): get, list or watch on `secrets` (or `*`), except `get` restricted by `resourceNames` to Secrets the stack delivers to that account's workload in its own namespace (mounted or read into the environment by its pods, or delivered there by an ExternalSecret and used by no other pod); escalate, bind or impersonate (or `*` on roles, bindings, users, groups, service accounts); creating service-account tokens, pods, `pods/exec`, `pods/attach`, or creating or updating any pod-owning workload (which can mount any Secret of the namespace); `nodes/proxy` (the kubelet's API); writing mutating or validating webhook configurations. " +
    "A binding to a whole group of service accounts (`system:serviceaccounts[:<ns>]`, `system:authenticated`, `system:unauthenticated`) is refused whatever it grants, and so is a binding to a role whose rules are not in the stack (but the built-in `view`; `cluster-admin`, `admin` and `edit` are judged by what they allow), and a ClusterRole aggregated into the built-in `view` that grants any of the above. " +
    "People's users and groups are out of scope. Service accounts the `serviceAccounts` setting names exactly (`<namespace>/<name>`, with a reason: ESO's controller, Reloader) are reported as advisory notes.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "cis-kubernetes:5.1.2", "cis-kubernetes:5.1.4", "cis-kubernetes:5.1.8"),
  remediationSteps:
    'Deliver Secrets to pods through External Secrets Operator and volume mounts; a workload that must call the API for its own Secret gets a Role with `verbs: [get]`, `resources: [secrets]`, `resourceNames: [<its Secrets>]` bound in its namespace. Bind service accounts one by one. Controllers that must read Secrets (ESO, Reloader) go in this policy\'s `serviceAccounts` setting: `{ "serviceAccount": "<namespace>/<name>", "reason": "<why>" }`.',
  configSchema: {
    properties: {
      [SETTING]: exemptionsSchema(
        KIND,
        "Service accounts (`<namespace>/<name>`, exact, no globs) allowed such grants, each with its reason; every exemption applied is reported as an advisory note. A group of service accounts cannot be exempted.",
      ),
    },
  },
  validateStack: (args, report: Report) => {
    const graph = new AccessGraph(args.resources);
    const exempt = readExemptions(
      args.getConfig<{ serviceAccounts?: unknown }>().serviceAccounts,
      KIND,
      (m) => report(m),
      SETTING,
    );
    const used = new Set<string>();
    const { bindings, toView } = rbacInventory(graph);
    const delivered = deliveredSecrets(graph);
    for (const b of bindings) {
      for (const reach of b.reaches) {
        if (reach.kind === "group") {
          report(
            `${b.label} binds ${b.role} to the group ${reach.group}, every service account in it.`,
            b.urn,
          );
          continue;
        }
        const what = `${b.label} gives service account ${reach.account} ${b.role}`;
        const found = b.rules
          ? findings(b, reach.account, delivered, () => graph.unknown !== undefined)
          : ["rules that are not in this stack, so what it grants cannot be verified"];
        if (found.length === 0) continue;
        const text = `${what}: ${found.join("; ")}`;
        const exemption = exempt.get(reach.account);
        if (!exemption) report(`${text}.`, b.urn);
        else {
          used.add(exemption.name);
          reportAdvisory(report, exemptNote(exemption, text), b.urn);
        }
      }
    }
    for (const role of toView) {
      const found = role.rules.flatMap((rule) => [
        ...escalations(rule),
        ...(secretReads(rule).kind === "none" ? [] : ["reads Secrets"]),
      ]);
      if (found.length > 0)
        report(
          `${role.label} is aggregated into the built-in view role, bound to subjects this stack cannot see: ${found.join("; ")}.`,
          role.urn,
        );
    }
    for (const name of exempt.keys()) if (!used.has(name)) reportAdvisory(report, unusedNote(name, KIND));
    if (graph.unknown) throw graph.unknown;
  },
};
