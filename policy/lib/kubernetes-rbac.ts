/**
 * Kubernetes RBAC as a stack writes it, whatever the objects are called: Roles, ClusterRoles
 * (with their aggregation), RoleBindings and ClusterRoleBindings in every API version the
 * kubernetes SDK (4.25) has, as objects, `…Patch`es (server-side apply) and `…List`s
 * (`test/policy/sdk-resource-types.test.ts` derives the list from the SDK), and what each
 * binding gives each service account it reaches.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { AccessGraph } from "./access/graph";
import { WORKLOAD_TYPES, podSpecOf, workloadKind } from "./vault-helm";
import { asArray, atPath, isRecord } from "./values";

const GROUP = "rbac.authorization.k8s.io";
const KINDS = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"] as const;
type Kind = (typeof KINDS)[number];

/** Every RBAC type token of the SDK: each kind in v1, v1beta1 and v1alpha1, plain, Patch and List. */
export const RBAC_TYPES: readonly string[] = ["v1", "v1beta1", "v1alpha1"].flatMap((v) =>
  KINDS.flatMap((k) => ["", "Patch", "List"].map((s) => `kubernetes:${GROUP}/${v}:${k}${s}`)),
);

/** ExternalSecret in every API version ESO has served: the Secrets it delivers into its namespace. */
export const EXTERNAL_SECRET_TYPES: readonly string[] = ["v1", "v1beta1", "v1alpha1"].map(
  (v) => `kubernetes:external-secrets.io/${v}:ExternalSecret`,
);

export interface Rule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
}

interface RbacObject {
  readonly kind: Kind;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, unknown>>;
  readonly resource: PolicyResource;
  readonly raw: Record<string, unknown>;
}

const strings = (value: unknown): string[] => asArray(value as unknown[]).map(String);

function rulesOf(raw: Record<string, unknown>): Rule[] {
  return asArray(raw.rules as unknown[]).flatMap((r) =>
    isRecord(r)
      ? [
          {
            apiGroups: strings(r.apiGroups),
            resources: strings(r.resources),
            verbs: strings(r.verbs).map((v) => v.toLowerCase()),
            resourceNames: strings(r.resourceNames),
          },
        ]
      : [],
  );
}

/** The RBAC objects of one resource: itself, or each item of a `…List`. */
function objectsOf(g: AccessGraph, resource: PolicyResource): RbacObject[] {
  const kindWithSuffix = resource.type.split(":")[2] ?? "";
  const list = kindWithSuffix.endsWith("List");
  const kind = kindWithSuffix.replace(/(Patch|List)$/, "") as Kind;
  const raws = list
    ? asArray(g.read(resource, "items") as unknown[])
    : [
        {
          metadata: g.read(resource, "metadata"),
          ...pick(g, resource, ["rules", "aggregationRule", "roleRef", "subjects"]),
        },
      ];
  return raws.filter(isRecord).map((raw) => {
    const name = atPath(raw, "metadata.name");
    const namespace = atPath(raw, "metadata.namespace");
    const labels = atPath(raw, "metadata.labels");
    return {
      kind,
      // An autonamed object's name is its logical name plus a suffix the engine adds at `up`.
      name: typeof name === "string" ? name : resource.name,
      namespace: typeof namespace === "string" ? namespace : "default",
      labels: isRecord(labels) ? labels : {},
      resource,
      raw,
    };
  });
}

function pick(g: AccessGraph, resource: PolicyResource, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = g.read(resource, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Whether a label selector (`matchLabels`, `matchExpressions`) selects these labels. */
function selects(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
  if (!isRecord(selector)) return false;
  const match = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = asArray(selector.matchExpressions as unknown[]).filter(isRecord);
  if (Object.keys(match).length === 0 && expressions.length === 0) return true;
  const ok = Object.entries(match).every(([k, v]) => labels[k] === v);
  return (
    ok &&
    expressions.every((e) => {
      const key = String(e.key);
      const values = strings(e.values);
      const has = Object.hasOwn(labels, key);
      switch (e.operator) {
        case "In":
          return has && values.includes(String(labels[key]));
        case "NotIn":
          return !has || !values.includes(String(labels[key]));
        case "Exists":
          return has;
        case "DoesNotExist":
          return !has;
        default:
          return false;
      }
    })
  );
}

/**
 * Built-in ClusterRoles a binding may name without defining them, with what the Kubernetes
 * documentation ("Using RBAC Authorization", user-facing roles) says they allow: cluster-admin
 * everything; admin and edit read Secrets and create pods and workloads (edit also impersonates
 * service accounts); view nothing on Secrets; system:auth-delegator only creates token and
 * access reviews.
 */
const BUILT_IN: Readonly<Record<string, readonly Rule[]>> = {
  "cluster-admin": [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"], resourceNames: [] }],
  admin: [
    { apiGroups: [""], resources: ["secrets", "pods", "serviceaccounts"], verbs: ["*"], resourceNames: [] },
    { apiGroups: ["apps", "batch"], resources: ["*"], verbs: ["*"], resourceNames: [] },
    { apiGroups: [GROUP], resources: ["roles", "rolebindings"], verbs: ["*"], resourceNames: [] },
  ],
  edit: [
    { apiGroups: [""], resources: ["secrets", "pods"], verbs: ["*"], resourceNames: [] },
    { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"], resourceNames: [] },
    { apiGroups: ["apps", "batch"], resources: ["*"], verbs: ["*"], resourceNames: [] },
  ],
  view: [],
  // Token and access reviews only: what delegated authentication needs.
  "system:auth-delegator": [],
};

/** Whether a rule covers `resource` (`pods`, `pods/exec`) of `group`, as the authorizer matches. */
function covers(rule: Rule, group: string, resource: string): boolean {
  if (!rule.apiGroups.includes("*") && !rule.apiGroups.includes(group)) return false;
  const [main, sub] = resource.split("/");
  return rule.resources.some(
    (r) => r === "*" || r === resource || (sub !== undefined && (r === `${main}/*` || r === `*/${sub}`)),
  );
}

const allows = (rule: Rule, verbs: readonly string[]) =>
  rule.verbs.some((v) => v === "*" || verbs.includes(v));

/** `apps/deployments`, `batch/cronjobs`, `/pods`: what creates pods, derived from WORKLOAD_TYPES. */
const POD_OWNERS: ReadonlyArray<readonly [group: string, resource: string]> = [
  ...new Map(
    WORKLOAD_TYPES.map((type) => {
      const module = type.split(":")[1].split("/")[0];
      const resource = `${workloadKind(type).kind.toLowerCase()}s`;
      const group = module === "core" ? "" : module;
      return [`${group}/${resource}`, [group, resource] as const];
    }),
  ).values(),
  ["", "podtemplates"] as const,
].filter(([group, resource]) => !(group === "" && resource === "pods")); // pods: create only, below

/** Where a rule lets its holder act as someone else: the verbs, and what they apply to. */
const IMPERSONATION_TARGETS = ["users", "groups", "serviceaccounts", "uids", "userextras/*"];
const ROLE_RESOURCES = ["roles", "clusterroles", "rolebindings", "clusterrolebindings"];

/** What a rule grants that this module's rule refuses, apart from Secret reads. */
export function escalations(rule: Rule): string[] {
  const found: string[] = [];
  const named = rule.verbs.filter((v) => ["escalate", "bind", "impersonate"].includes(v));
  if (named.length > 0) found.push(`${named.join(", ")} on ${rule.resources.join(", ") || "(no resources)"}`);
  else if (
    rule.verbs.includes("*") &&
    (ROLE_RESOURCES.some((r) => covers(rule, GROUP, r)) ||
      IMPERSONATION_TARGETS.some((r) => covers(rule, "", r) || covers(rule, "authentication.k8s.io", r)))
  )
    found.push(`* (escalate, bind, impersonate) on ${rule.resources.join(", ")}`);
  if (covers(rule, "", "serviceaccounts/token") && allows(rule, ["create"]))
    found.push("create on serviceaccounts/token (tokens of every service account of the namespace)");
  if (covers(rule, "", "pods") && allows(rule, ["create"]))
    found.push("create on pods (a pod can mount any Secret of its namespace)");
  for (const sub of ["pods/exec", "pods/attach"])
    if (covers(rule, "", sub) && allows(rule, ["create"]))
      found.push(`create on ${sub} (reads the Secrets other pods mount)`);
  if (covers(rule, "", "nodes/proxy") && allows(rule, ["get", "create"]))
    found.push("get/create on nodes/proxy (the kubelet's API: exec into any pod of the node)");
  for (const r of ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"])
    if (covers(rule, "admissionregistration.k8s.io", r) && allows(rule, ["create", "update", "patch"]))
      found.push(`create/update on ${r} (sees or rewrites every object admitted, Secrets and pods included)`);
  if (covers(rule, "", "pods/ephemeralcontainers") && allows(rule, ["update", "patch"]))
    found.push("update on pods/ephemeralcontainers (runs code beside other pods' Secrets)");
  const owners = POD_OWNERS.filter(([group, resource]) => covers(rule, group, resource)).filter(() =>
    allows(rule, ["create", "update", "patch"]),
  );
  if (owners.length > 0)
    found.push(
      `create/update on ${owners.map(([g, r]) => (g ? `${g}/${r}` : r)).join(", ")} (their pods can mount any Secret of the namespace)`,
    );
  return found;
}

const SECRET_READS = ["get", "list", "watch"];

/** How a rule reads Secrets: not at all, only by name with `get`, or any Secret. */
export function secretReads(
  rule: Rule,
): { kind: "none" } | { kind: "named"; names: readonly string[] } | { kind: "any"; verbs: string[] } {
  if (!covers(rule, "", "secrets") || !allows(rule, SECRET_READS)) return { kind: "none" };
  const verbs = rule.verbs.filter((v) => v === "*" || SECRET_READS.includes(v));
  if (verbs.every((v) => v === "get") && rule.resourceNames.length > 0)
    return { kind: "named", names: rule.resourceNames };
  return { kind: "any", verbs };
}

/** A subject a binding reaches: one service account, or a whole group of them. */
export type Reach =
  { readonly kind: "account"; readonly account: string } | { readonly kind: "group"; readonly group: string };

/** Groups that hold every service account (of the cluster, or of one namespace). */
const SERVICE_ACCOUNT_GROUP = /^system:(serviceaccounts(:[^:]+)?|authenticated|unauthenticated)$/;
const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

function reachOf(subject: unknown, bindingNamespace: string): Reach | undefined {
  if (!isRecord(subject)) return undefined;
  const name = String(subject.name ?? "");
  if (subject.kind === "ServiceAccount") {
    const ns =
      typeof subject.namespace === "string" && subject.namespace !== ""
        ? subject.namespace
        : bindingNamespace;
    return { kind: "account", account: `${ns}/${name}` };
  }
  if (subject.kind === "User") {
    const m = SERVICE_ACCOUNT_USER.exec(name);
    return m ? { kind: "account", account: `${m[1]}/${m[2]}` } : undefined;
  }
  if (subject.kind === "Group" && SERVICE_ACCOUNT_GROUP.test(name)) return { kind: "group", group: name };
  return undefined; // a person or a group of people
}

export interface Binding {
  readonly label: string;
  readonly urn: string;
  /** The binding's namespace; undefined for a ClusterRoleBinding (every namespace). */
  readonly namespace?: string;
  readonly role: string;
  /** The rules of the role it names (aggregated), or undefined when they are not in the stack. */
  readonly rules?: readonly Rule[];
  readonly reaches: readonly Reach[];
}

export interface RbacInventory {
  readonly bindings: readonly Binding[];
  /** ClusterRoles whose rules Kubernetes adds to the built-in `view` role (bound widely). */
  readonly toView: ReadonlyArray<{
    readonly label: string;
    readonly urn: string;
    readonly rules: readonly Rule[];
  }>;
}

const AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view";

export function rbacInventory(g: AccessGraph): RbacInventory {
  const objects = RBAC_TYPES.flatMap((t) => g.ofType(t)).flatMap((r) => objectsOf(g, r));
  const clusterRoles = objects.filter((o) => o.kind === "ClusterRole");
  const rolesOf = (o: RbacObject): Rule[] => {
    const own = rulesOf(o.raw);
    const selectors = asArray(atPath(o.raw, "aggregationRule.clusterRoleSelectors") as unknown[]);
    if (o.kind !== "ClusterRole" || selectors.length === 0) return own;
    const aggregated = clusterRoles.filter((c) => c !== o && selectors.some((s) => selects(s, c.labels)));
    return [...own, ...aggregated.flatMap((c) => rulesOf(c.raw))];
  };
  const bindings: Binding[] = [];
  for (const o of objects) {
    if (o.kind !== "RoleBinding" && o.kind !== "ClusterRoleBinding") continue;
    const ref = isRecord(o.raw.roleRef) ? o.raw.roleRef : {};
    const refKind = ref.kind === "Role" ? "Role" : "ClusterRole";
    const refName = String(ref.name ?? "");
    const namespace = o.kind === "RoleBinding" ? o.namespace : undefined;
    const defined = objects.filter(
      (r) =>
        r.kind === refKind && r.name === refName && (refKind === "ClusterRole" || r.namespace === namespace),
    );
    const rules =
      defined.length > 0
        ? defined.flatMap(rolesOf)
        : refKind === "ClusterRole" && Object.hasOwn(BUILT_IN, refName)
          ? BUILT_IN[refName]
          : undefined;
    bindings.push({
      label: `${o.kind} ${JSON.stringify(namespace ? `${namespace}/${o.name}` : o.name)}`,
      urn: o.resource.urn,
      namespace,
      role: `${refKind} ${JSON.stringify(refName)}`,
      rules,
      reaches: asArray(o.raw.subjects as unknown[]).flatMap((s) => reachOf(s, o.namespace) ?? []),
    });
  }
  const toView = clusterRoles
    .filter((c) => String(c.labels[AGGREGATE_TO_VIEW]) === "true")
    .map((c) => ({
      label: `ClusterRole ${JSON.stringify(c.name)}`,
      urn: c.resource.urn,
      rules: rulesOf(c.raw),
    }));
  return { bindings, toView };
}

/**
 * The Secrets the stack delivers to each service account, `<namespace>/<name>` → Secret
 * names: those its pods (any workload type of the SDK, running as that account) mount or read
 * into their environment. A Secret no pod of the stack references, delivered into a namespace by
 * an ExternalSecret or written there by the stack (not a service-account token), belongs to
 * every account of that namespace.
 */
export function deliveredSecrets(g: AccessGraph): (account: string) => ReadonlySet<string> {
  // Read only when a named `get` needs it: a value unknown during preview then defers the
  // verdict to `pulumi up` only in stacks that have such a grant.
  let index: ((account: string) => ReadonlySet<string>) | undefined;
  return (account) => (index ??= indexDelivered(g))(account);
}

function indexDelivered(g: AccessGraph): (account: string) => ReadonlySet<string> {
  const byAccount = new Map<string, Set<string>>();
  const referenced = new Set<string>(); // `<ns>/<secret>` some pod references
  for (const type of WORKLOAD_TYPES)
    for (const w of g.ofType(type)) {
      const props = { metadata: g.read(w, "metadata"), spec: g.read(w, "spec") };
      const pod = podSpecOf(type, props);
      if (!isRecord(pod)) continue;
      const ns = String(atPath(props, "metadata.namespace") ?? "default");
      const account = `${ns}/${String(pod.serviceAccountName ?? pod.serviceAccount ?? "default")}`;
      for (const name of secretsOfPod(pod)) {
        referenced.add(`${ns}/${name}`);
        const set = byAccount.get(account) ?? new Set<string>();
        set.add(name);
        byAccount.set(account, set);
      }
    }
  const unclaimed = new Map<string, Set<string>>(); // namespace → Secrets no pod references
  const deliver = (ns: string, name: unknown) => {
    if (typeof name !== "string" || referenced.has(`${ns}/${name}`)) return;
    const set = unclaimed.get(ns) ?? new Set<string>();
    set.add(name);
    unclaimed.set(ns, set);
  };
  for (const type of EXTERNAL_SECRET_TYPES)
    for (const e of g.ofType(type)) {
      const ns = String(atPath(g.read(e, "metadata"), "namespace") ?? "default");
      deliver(ns, atPath(g.read(e, "spec"), "target.name") ?? atPath(g.read(e, "metadata"), "name"));
    }
  for (const s of g.ofType("kubernetes:core/v1:Secret")) {
    // A service account's token is a credential of that account, delivered to no workload.
    if (g.text(s, "type") === "kubernetes.io/service-account-token") continue;
    const meta = g.read(s, "metadata");
    deliver(String(atPath(meta, "namespace") ?? "default"), atPath(meta, "name"));
  }
  return (account) => {
    const ns = account.split("/")[0];
    return new Set([...(byAccount.get(account) ?? []), ...(unclaimed.get(ns) ?? [])]);
  };
}

/** Secret names a pod spec mounts (volumes, projected volumes) or reads into its environment. */
function secretsOfPod(pod: Record<string, unknown>): string[] {
  const names: unknown[] = [];
  for (const v of asArray(pod.volumes as unknown[]).filter(isRecord)) {
    names.push(atPath(v, "secret.secretName"));
    for (const s of asArray(atPath(v, "projected.sources") as unknown[]))
      names.push(atPath(s, "secret.name"));
  }
  const containers = ["containers", "initContainers", "ephemeralContainers"].flatMap((k) =>
    asArray(pod[k] as unknown[]).filter(isRecord),
  );
  for (const c of containers) {
    for (const e of asArray(c.env as unknown[])) names.push(atPath(e, "valueFrom.secretKeyRef.name"));
    for (const e of asArray(c.envFrom as unknown[])) names.push(atPath(e, "secretRef.name"));
  }
  return names.filter((n): n is string => typeof n === "string");
}
