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
var aws_exports = {};
__export(aws_exports, {
  awsGrants: () => awsGrants
});
module.exports = __toCommonJS(aws_exports);
var import_iam = require("../iam");
var import_graph = require("./graph");
var import_readers = require("./readers");
const T = {
  secret: "aws:secretsmanager/secret:Secret",
  rotation: "aws:secretsmanager/secretRotation:SecretRotation",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  lambda: "aws:lambda/function:Function",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation"
};
const READ = "secretsmanager:GetSecretValue";
function allowsRead(s) {
  if (s.effect !== "Allow") return false;
  const listed = s.actions.some((a) => (0, import_graph.globMatch)(a, READ, true));
  return s.notAction ? !listed : listed;
}
class SecretIndex {
  byArn = /* @__PURE__ */ new Map();
  all = [];
  matching(resource) {
    if (!(0, import_graph.hasWildcard)(resource)) return this.byArn.has(resource) ? [this.byArn.get(resource)] : [];
    return this.all.filter((s) => (0, import_graph.globMatch)(resource, s.key));
  }
}
function indexSecrets(g) {
  const index = new SecretIndex();
  for (const secret of g.ofType(T.secret)) {
    const arn = g.text(secret, "arn");
    if (!arn) continue;
    const name = g.text(secret, "name");
    const ref = {
      key: arn,
      names: name ? [arn, name] : [arn],
      label: `Secrets Manager secret ${name ?? secret.name}`
    };
    index.byArn.set(arn, ref);
    index.all.push(ref);
  }
  return index;
}
function rotationRoles(g) {
  const rotatedBy = /* @__PURE__ */ new Map();
  for (const rotation of g.ofType(T.rotation)) {
    const fn = g.text(rotation, "rotationLambdaArn");
    const secret = g.text(rotation, "secretId");
    if (!fn || !secret) continue;
    (0, import_graph.addAll)(rotatedBy, fn, secret);
  }
  const byRole = /* @__PURE__ */ new Map();
  for (const fn of g.ofType(T.lambda)) {
    const arn = g.text(fn, "arn");
    const role = g.text(fn, "role");
    const rotated = arn && (rotatedBy.get(arn) ?? rotatedBy.get(g.text(fn, "name") ?? ""));
    if (!role || !rotated) continue;
    (0, import_graph.addAll)(byRole, role, ...rotated);
  }
  return byRole;
}
function podIdentityAccounts(g) {
  const byRole = /* @__PURE__ */ new Map();
  for (const a of g.ofType(T.podIdentity)) {
    const role = g.text(a, "roleArn");
    const ns = g.text(a, "namespace");
    const sa = g.text(a, "serviceAccount");
    if (!role || !ns || !sa) continue;
    (0, import_graph.addAll)(byRole, role, `${ns}/${sa}`);
  }
  return byRole;
}
function exactClaim(s, claim) {
  const entries = Object.entries(s.conditions["StringEquals"] ?? {}).filter(([k]) => k.endsWith(`:${claim}`));
  if (entries.length !== 1 || entries[0][1].length !== 1) return void 0;
  const value = entries[0][1][0];
  return (0, import_graph.hasWildcard)(value) ? void 0 : value;
}
function trustIdentity(trust, rotationKnown, rotates, pods) {
  const allows = trust.filter((s) => s.effect === "Allow");
  if (allows.length === 0) return { kind: "other", reason: "its trust policy allows no one" };
  const accounts = /* @__PURE__ */ new Set();
  for (const s of allows) {
    const p = s.principal;
    const federated = p !== void 0 && p !== "*" ? p.Federated ?? [] : [];
    const services = p !== void 0 && p !== "*" ? p.Service ?? [] : [];
    const others = s.notPrincipal || p === "*" || p && Object.keys(p).some((k) => k !== "Federated" && k !== "Service");
    if (others)
      return rotates ? { kind: "rotation", rotates } : notWorkload("its trust admits AWS principals");
    if (federated.length === 1 && services.length === 0) {
      const sa = (0, import_readers.serviceAccountOfSubject)(exactClaim(s, "sub") ?? "");
      if (!sa || !exactClaim(s, "aud"))
        return notWorkload(
          "its web-identity trust does not pin one `system:serviceaccount:<ns>:<sa>` sub and aud"
        );
      accounts.add(sa);
    } else if (services.length === 1 && services[0] === "pods.eks.amazonaws.com" && federated.length === 0) {
      if (!pods || pods.size !== 1)
        return notWorkload(
          `it is an EKS Pod Identity role associated with ${pods?.size ?? 0} service accounts, not one`
        );
      accounts.add([...pods][0]);
    } else if (rotates) {
      return { kind: "rotation", rotates };
    } else if (!rotationKnown) {
      return { kind: "unknown" };
    } else {
      return notWorkload(
        `its trust admits ${[...federated, ...services].join(", ") || "no named principal"}`
      );
    }
  }
  if (accounts.size !== 1) return notWorkload(`its trust admits ${accounts.size} service accounts`);
  return { kind: "workload", serviceAccount: [...accounts][0] };
}
const notWorkload = (reason) => ({ kind: "other", reason });
function awsGrants(g) {
  const secrets = indexSecrets(g);
  if (secrets.all.length === 0) return [];
  const rotation = rotationRoles(g);
  const rotationKnown = g.unknown === void 0;
  const pods = podIdentityAccounts(g);
  const managed = /* @__PURE__ */ new Map();
  for (const p of g.ofType(T.policy)) {
    const arn = g.text(p, "arn");
    if (arn) managed.set(arn, g.read(p, "policy"));
  }
  const documents = /* @__PURE__ */ new Map();
  const attach = (role, doc, urn) => {
    if (!role || doc === void 0) return;
    const list = documents.get(role) ?? [];
    list.push({ doc, urn });
    documents.set(role, list);
  };
  for (const rp of g.ofType(T.rolePolicy)) attach(g.text(rp, "role"), g.read(rp, "policy"), rp.urn);
  for (const a of g.ofType(T.attachment)) {
    const arn = g.text(a, "policyArn");
    attach(g.text(a, "role"), arn && managed.get(arn), a.urn);
  }
  const grants = [];
  for (const role of g.ofType(T.role)) {
    const name = g.text(role, "name");
    const arn = g.text(role, "arn");
    if (!name || !arn) continue;
    const docs = [...documents.get(name) ?? []];
    for (const inline of asList(g.read(role, "inlinePolicies")))
      docs.push({ doc: inline.policy, urn: role.urn });
    for (const m of asList(g.read(role, "managedPolicyArns")))
      docs.push({ doc: managed.get(String(m)), urn: role.urn });
    const readable = readableSecrets(docs, secrets);
    if (readable.length === 0) continue;
    const reader = roleReader(g, role, name, arn, rotationKnown, rotation.get(arn), pods.get(arn));
    for (const { secret, urn } of readable) grants.push({ secret, reader, urn });
  }
  return grants;
}
function readableSecrets(docs, secrets) {
  const found = [];
  for (const { doc, urn } of docs) {
    if (doc === void 0) continue;
    let parsed;
    try {
      parsed = (0, import_iam.statements)(doc);
    } catch {
      continue;
    }
    for (const s of parsed.filter(allowsRead)) {
      const listed = s.resources.flatMap((resource) => secrets.matching(resource));
      const granted = s.notResource ? secrets.all.filter((secret) => !listed.includes(secret)) : listed;
      for (const secret of granted) found.push({ secret, urn });
    }
  }
  return found;
}
function roleReader(g, role, name, arn, rotationKnown, rotates, pods) {
  const trustDoc = g.read(role, "assumeRolePolicy");
  let identity;
  if (trustDoc === void 0) identity = { kind: "unknown" };
  else {
    try {
      identity = trustIdentity((0, import_iam.statements)(trustDoc), rotationKnown, rotates, pods);
    } catch (e) {
      identity = notWorkload(`its trust policy cannot be read: ${e.message}`);
    }
  }
  return { label: `IAM role ${arn}`, ids: [arn, name], identity };
}
const asList = (value) => Array.isArray(value) ? value : [];
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsGrants
});
