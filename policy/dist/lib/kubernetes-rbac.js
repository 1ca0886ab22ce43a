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
var kubernetes_rbac_exports = {};
__export(kubernetes_rbac_exports, {
  EXTERNAL_SECRET_TYPES: () => EXTERNAL_SECRET_TYPES,
  RBAC_TYPES: () => RBAC_TYPES,
  deliveredSecrets: () => deliveredSecrets,
  escalations: () => escalations,
  rbacInventory: () => rbacInventory,
  secretReads: () => secretReads
});
module.exports = __toCommonJS(kubernetes_rbac_exports);
var import_vault_helm = require("./vault-helm");
var import_values = require("./values");
const GROUP = "rbac.authorization.k8s.io";
const KINDS = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];
const RBAC_TYPES = ["v1", "v1beta1", "v1alpha1"].flatMap(
  (v) => KINDS.flatMap((k) => ["", "Patch", "List"].map((s) => `kubernetes:${GROUP}/${v}:${k}${s}`))
);
const EXTERNAL_SECRET_TYPES = ["v1", "v1beta1", "v1alpha1"].map(
  (v) => `kubernetes:external-secrets.io/${v}:ExternalSecret`
);
const strings = (value) => (0, import_values.asArray)(value).map(String);
function rulesOf(raw) {
  return (0, import_values.asArray)(raw.rules).flatMap(
    (r) => (0, import_values.isRecord)(r) ? [
      {
        apiGroups: strings(r.apiGroups),
        resources: strings(r.resources),
        verbs: strings(r.verbs).map((v) => v.toLowerCase()),
        resourceNames: strings(r.resourceNames)
      }
    ] : []
  );
}
function objectsOf(g, resource) {
  const kindWithSuffix = resource.type.split(":")[2] ?? "";
  const list = kindWithSuffix.endsWith("List");
  const kind = kindWithSuffix.replace(/(Patch|List)$/, "");
  const raws = list ? (0, import_values.asArray)(g.read(resource, "items")) : [
    {
      metadata: g.read(resource, "metadata"),
      ...pick(g, resource, ["rules", "aggregationRule", "roleRef", "subjects"])
    }
  ];
  return raws.filter(import_values.isRecord).map((raw) => {
    const name = (0, import_values.atPath)(raw, "metadata.name");
    const namespace = (0, import_values.atPath)(raw, "metadata.namespace");
    const labels = (0, import_values.atPath)(raw, "metadata.labels");
    return {
      kind,
      // An autonamed object's name is its logical name plus a suffix the engine adds at `up`.
      name: typeof name === "string" ? name : resource.name,
      namespace: typeof namespace === "string" ? namespace : "default",
      labels: (0, import_values.isRecord)(labels) ? labels : {},
      resource,
      raw
    };
  });
}
function pick(g, resource, keys) {
  const out = {};
  for (const key of keys) {
    const value = g.read(resource, key);
    if (value !== void 0) out[key] = value;
  }
  return out;
}
function selects(selector, labels) {
  if (!(0, import_values.isRecord)(selector)) return false;
  const match = (0, import_values.isRecord)(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = (0, import_values.asArray)(selector.matchExpressions).filter(import_values.isRecord);
  if (Object.keys(match).length === 0 && expressions.length === 0) return true;
  const ok = Object.entries(match).every(([k, v]) => labels[k] === v);
  return ok && expressions.every((e) => {
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
  });
}
const BUILT_IN = {
  "cluster-admin": [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"], resourceNames: [] }],
  admin: [
    { apiGroups: [""], resources: ["secrets", "pods", "serviceaccounts"], verbs: ["*"], resourceNames: [] },
    { apiGroups: ["apps", "batch"], resources: ["*"], verbs: ["*"], resourceNames: [] },
    { apiGroups: [GROUP], resources: ["roles", "rolebindings"], verbs: ["*"], resourceNames: [] }
  ],
  edit: [
    { apiGroups: [""], resources: ["secrets", "pods"], verbs: ["*"], resourceNames: [] },
    { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"], resourceNames: [] },
    { apiGroups: ["apps", "batch"], resources: ["*"], verbs: ["*"], resourceNames: [] }
  ],
  view: [],
  // Token and access reviews only: what delegated authentication needs.
  "system:auth-delegator": []
};
function covers(rule, group, resource) {
  if (!rule.apiGroups.includes("*") && !rule.apiGroups.includes(group)) return false;
  const [main, sub] = resource.split("/");
  return rule.resources.some(
    (r) => r === "*" || r === resource || sub !== void 0 && (r === `${main}/*` || r === `*/${sub}`)
  );
}
const allows = (rule, verbs) => rule.verbs.some((v) => v === "*" || verbs.includes(v));
const POD_OWNERS = [
  ...new Map(
    import_vault_helm.WORKLOAD_TYPES.map((type) => {
      const module2 = type.split(":")[1].split("/")[0];
      const resource = `${(0, import_vault_helm.workloadKind)(type).kind.toLowerCase()}s`;
      const group = module2 === "core" ? "" : module2;
      return [`${group}/${resource}`, [group, resource]];
    })
  ).values(),
  ["", "podtemplates"]
].filter(([group, resource]) => !(group === "" && resource === "pods"));
const IMPERSONATION_TARGETS = ["users", "groups", "serviceaccounts", "uids", "userextras/*"];
const ROLE_RESOURCES = ["roles", "clusterroles", "rolebindings", "clusterrolebindings"];
function escalations(rule) {
  const found = [];
  const named = rule.verbs.filter((v) => ["escalate", "bind", "impersonate"].includes(v));
  if (named.length > 0) found.push(`${named.join(", ")} on ${rule.resources.join(", ") || "(no resources)"}`);
  else if (rule.verbs.includes("*") && (ROLE_RESOURCES.some((r) => covers(rule, GROUP, r)) || IMPERSONATION_TARGETS.some((r) => covers(rule, "", r) || covers(rule, "authentication.k8s.io", r))))
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
  const owners = POD_OWNERS.filter(([group, resource]) => covers(rule, group, resource)).filter(
    () => allows(rule, ["create", "update", "patch"])
  );
  if (owners.length > 0)
    found.push(
      `create/update on ${owners.map(([g, r]) => g ? `${g}/${r}` : r).join(", ")} (their pods can mount any Secret of the namespace)`
    );
  return found;
}
const SECRET_READS = ["get", "list", "watch"];
function secretReads(rule) {
  if (!covers(rule, "", "secrets") || !allows(rule, SECRET_READS)) return { kind: "none" };
  const verbs = rule.verbs.filter((v) => v === "*" || SECRET_READS.includes(v));
  if (verbs.every((v) => v === "get") && rule.resourceNames.length > 0)
    return { kind: "named", names: rule.resourceNames };
  return { kind: "any", verbs };
}
const SERVICE_ACCOUNT_GROUP = /^system:(serviceaccounts(:[^:]+)?|authenticated|unauthenticated)$/;
const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;
function reachOf(subject, bindingNamespace) {
  if (!(0, import_values.isRecord)(subject)) return void 0;
  const name = String(subject.name ?? "");
  if (subject.kind === "ServiceAccount") {
    const ns = typeof subject.namespace === "string" && subject.namespace !== "" ? subject.namespace : bindingNamespace;
    return { kind: "account", account: `${ns}/${name}` };
  }
  if (subject.kind === "User") {
    const m = SERVICE_ACCOUNT_USER.exec(name);
    return m ? { kind: "account", account: `${m[1]}/${m[2]}` } : void 0;
  }
  if (subject.kind === "Group" && SERVICE_ACCOUNT_GROUP.test(name)) return { kind: "group", group: name };
  return void 0;
}
const AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view";
function rbacInventory(g) {
  const objects = RBAC_TYPES.flatMap((t) => g.ofType(t)).flatMap((r) => objectsOf(g, r));
  const clusterRoles = objects.filter((o) => o.kind === "ClusterRole");
  const rolesOf = (o) => {
    const own = rulesOf(o.raw);
    const selectors = (0, import_values.asArray)((0, import_values.atPath)(o.raw, "aggregationRule.clusterRoleSelectors"));
    if (o.kind !== "ClusterRole" || selectors.length === 0) return own;
    const aggregated = clusterRoles.filter((c) => c !== o && selectors.some((s) => selects(s, c.labels)));
    return [...own, ...aggregated.flatMap((c) => rulesOf(c.raw))];
  };
  const bindings = [];
  for (const o of objects) {
    if (o.kind !== "RoleBinding" && o.kind !== "ClusterRoleBinding") continue;
    const ref = (0, import_values.isRecord)(o.raw.roleRef) ? o.raw.roleRef : {};
    const refKind = ref.kind === "Role" ? "Role" : "ClusterRole";
    const refName = String(ref.name ?? "");
    const namespace = o.kind === "RoleBinding" ? o.namespace : void 0;
    const defined = objects.filter(
      (r) => r.kind === refKind && r.name === refName && (refKind === "ClusterRole" || r.namespace === namespace)
    );
    const rules = defined.length > 0 ? defined.flatMap(rolesOf) : refKind === "ClusterRole" && Object.hasOwn(BUILT_IN, refName) ? BUILT_IN[refName] : void 0;
    bindings.push({
      label: `${o.kind} ${JSON.stringify(namespace ? `${namespace}/${o.name}` : o.name)}`,
      urn: o.resource.urn,
      namespace,
      role: `${refKind} ${JSON.stringify(refName)}`,
      rules,
      reaches: (0, import_values.asArray)(o.raw.subjects).flatMap((s) => reachOf(s, o.namespace) ?? [])
    });
  }
  const toView = clusterRoles.filter((c) => String(c.labels[AGGREGATE_TO_VIEW]) === "true").map((c) => ({
    label: `ClusterRole ${JSON.stringify(c.name)}`,
    urn: c.resource.urn,
    rules: rulesOf(c.raw)
  }));
  return { bindings, toView };
}
function deliveredSecrets(g) {
  let index;
  return (account) => (index ??= indexDelivered(g))(account);
}
function indexDelivered(g) {
  const byAccount = /* @__PURE__ */ new Map();
  const referenced = /* @__PURE__ */ new Set();
  for (const type of import_vault_helm.WORKLOAD_TYPES)
    for (const w of g.ofType(type)) {
      const props = { metadata: g.read(w, "metadata"), spec: g.read(w, "spec") };
      const pod = (0, import_vault_helm.podSpecOf)(type, props);
      if (!(0, import_values.isRecord)(pod)) continue;
      const ns = String((0, import_values.atPath)(props, "metadata.namespace") ?? "default");
      const account = `${ns}/${String(pod.serviceAccountName ?? pod.serviceAccount ?? "default")}`;
      for (const name of secretsOfPod(pod)) {
        referenced.add(`${ns}/${name}`);
        const set = byAccount.get(account) ?? /* @__PURE__ */ new Set();
        set.add(name);
        byAccount.set(account, set);
      }
    }
  const unclaimed = /* @__PURE__ */ new Map();
  const deliver = (ns, name) => {
    if (typeof name !== "string" || referenced.has(`${ns}/${name}`)) return;
    const set = unclaimed.get(ns) ?? /* @__PURE__ */ new Set();
    set.add(name);
    unclaimed.set(ns, set);
  };
  for (const type of EXTERNAL_SECRET_TYPES)
    for (const e of g.ofType(type)) {
      const ns = String((0, import_values.atPath)(g.read(e, "metadata"), "namespace") ?? "default");
      deliver(ns, (0, import_values.atPath)(g.read(e, "spec"), "target.name") ?? (0, import_values.atPath)(g.read(e, "metadata"), "name"));
    }
  for (const s of g.ofType("kubernetes:core/v1:Secret")) {
    if (g.text(s, "type") === "kubernetes.io/service-account-token") continue;
    const meta = g.read(s, "metadata");
    deliver(String((0, import_values.atPath)(meta, "namespace") ?? "default"), (0, import_values.atPath)(meta, "name"));
  }
  return (account) => {
    const ns = account.split("/")[0];
    return /* @__PURE__ */ new Set([...byAccount.get(account) ?? [], ...unclaimed.get(ns) ?? []]);
  };
}
function secretsOfPod(pod) {
  const names = [];
  for (const v of (0, import_values.asArray)(pod.volumes).filter(import_values.isRecord)) {
    names.push((0, import_values.atPath)(v, "secret.secretName"));
    for (const s of (0, import_values.asArray)((0, import_values.atPath)(v, "projected.sources")))
      names.push((0, import_values.atPath)(s, "secret.name"));
  }
  const containers = ["containers", "initContainers", "ephemeralContainers"].flatMap(
    (k) => (0, import_values.asArray)(pod[k]).filter(import_values.isRecord)
  );
  for (const c of containers) {
    for (const e of (0, import_values.asArray)(c.env)) names.push((0, import_values.atPath)(e, "valueFrom.secretKeyRef.name"));
    for (const e of (0, import_values.asArray)(c.envFrom)) names.push((0, import_values.atPath)(e, "secretRef.name"));
  }
  return names.filter((n) => typeof n === "string");
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  EXTERNAL_SECRET_TYPES,
  RBAC_TYPES,
  deliveredSecrets,
  escalations,
  rbacInventory,
  secretReads
});
