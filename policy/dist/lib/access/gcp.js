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
var gcp_exports = {};
__export(gcp_exports, {
  gcpGrants: () => gcpGrants
});
module.exports = __toCommonJS(gcp_exports);
var import_graph = require("./graph");
var import_gcp_iam = require("../gcp-iam");
function grantsFrom(g, r) {
  const props = {};
  for (const key of ["role", "member", "members", "policyData"]) {
    const value = g.read(r, key);
    if (value !== void 0) props[key] = value;
  }
  return (0, import_gcp_iam.grantsOf)(r.type, props, () => void 0);
}
const T = {
  secret: "gcp:secretmanager/secret:Secret",
  regionalSecret: "gcp:secretmanager/regionalSecret:RegionalSecret",
  customRole: "gcp:projects/iAMCustomRole:IAMCustomRole",
  account: "gcp:serviceaccount/account:Account",
  saMember: "gcp:serviceaccount/iAMMember:IAMMember",
  saBinding: "gcp:serviceaccount/iAMBinding:IAMBinding",
  saKey: "gcp:serviceaccount/key:Key"
};
const ACCESS = "secretmanager.versions.access";
const ADD = "secretmanager.versions.add";
const PREDEFINED = {
  "roles/secretmanager.secretAccessor": [ACCESS],
  "roles/secretmanager.admin": [ACCESS, ADD],
  "roles/secretmanager.secretVersionAdder": [ADD],
  "roles/secretmanager.secretVersionManager": [ADD],
  "roles/owner": [ACCESS, ADD],
  "roles/editor": [ACCESS, ADD]
};
const IMPERSONATION = /* @__PURE__ */ new Set([
  "roles/iam.workloadIdentityUser",
  "roles/iam.serviceAccountTokenCreator",
  "roles/iam.serviceAccountUser"
]);
const WORKLOAD_MEMBER = /^serviceAccount:[^.[\]]+\.svc\.id\.goog\[([^/\]]+)\/([^\]]+)\]$|^principal:\/\/iam\.googleapis\.com\/projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/subject\/ns\/([^/]+)\/sa\/([^/]+)$/;
const secretIdOf = (id) => id.slice(id.lastIndexOf("/") + 1);
const emailOf = (id) => id.slice(id.lastIndexOf("/") + 1);
function members(g, r) {
  const one = g.text(r, "member");
  if (one) return [one];
  const many = g.read(r, "members");
  return Array.isArray(many) ? many.map(String) : [];
}
function gcpGrants(g) {
  const grantsOn = import_gcp_iam.SECRET_GRANT_TYPES.flatMap((t) => g.ofType(t));
  if (grantsOn.length === 0) return [];
  const custom = /* @__PURE__ */ new Map();
  for (const role of g.ofType(T.customRole)) {
    const permissions = g.read(role, "permissions");
    const name = g.text(role, "name");
    if (name && Array.isArray(permissions)) custom.set(name, permissions.map(String));
  }
  const secrets = /* @__PURE__ */ new Map();
  for (const s of [...g.ofType(T.secret), ...g.ofType(T.regionalSecret)]) {
    const id = g.text(s, "secretId");
    if (id) secrets.set(id, { key: id, names: [id], label: `Secret Manager secret ${id}` });
  }
  const readsOn = [];
  const addsOn = /* @__PURE__ */ new Map();
  const admins = /* @__PURE__ */ new Map();
  for (const r of grantsOn) {
    const id = g.text(r, "secretId");
    if (!id) continue;
    const secretId = secretIdOf(id);
    for (const { role, members: members2 } of grantsFrom(g, r)) {
      const permissions = PREDEFINED[role] ?? custom.get(role) ?? [];
      for (const member of members2) {
        if (Object.hasOwn(import_gcp_iam.SET_IAM_POLICY_ROLES, role)) admins.set(member, role);
        if (permissions.includes(ACCESS))
          readsOn.push({
            secret: secrets.get(secretId) ?? {
              key: secretId,
              names: [secretId],
              label: `Secret Manager secret ${secretId}`
            },
            member,
            urn: r.urn
          });
        if (permissions.includes(ADD)) (0, import_graph.addAll)(addsOn, member, secretId);
      }
    }
  }
  const impersonators = impersonatorsByEmail(g);
  const keyed = new Set(g.ofType(T.saKey).flatMap((k) => emailOf(g.text(k, "serviceAccountId") ?? "")));
  const accounts = /* @__PURE__ */ new Set();
  for (const a of g.ofType(T.account)) {
    const email = g.text(a, "email");
    if (email) accounts.add(email);
  }
  const complete = g.unknown === void 0;
  const readers = /* @__PURE__ */ new Map();
  const readerOf = (member) => {
    let reader = readers.get(member);
    if (!reader) {
      reader = {
        label: `member ${member}`,
        ids: [member],
        identity: admins.has(member) ? {
          kind: "other",
          reason: `it holds ${admins.get(member)}, which also changes who may read the secret (setIamPolicy): an administrator, not a rotation function`
        } : identityOf(member, addsOn.get(member), impersonators, keyed, accounts, complete)
      };
      readers.set(member, reader);
    }
    return reader;
  };
  return readsOn.map(({ secret, member, urn }) => ({ secret, reader: readerOf(member), urn }));
}
function impersonatorsByEmail(g) {
  const byEmail = /* @__PURE__ */ new Map();
  for (const r of [...g.ofType(T.saMember), ...g.ofType(T.saBinding)]) {
    const role = g.text(r, "role");
    const account = g.text(r, "serviceAccountId");
    if (!role || !account || !IMPERSONATION.has(role)) continue;
    const email = emailOf(account);
    byEmail.set(email, [...byEmail.get(email) ?? [], ...members(g, r)]);
  }
  return byEmail;
}
function identityOf(member, adds, impersonators, keyed, accounts, complete) {
  if (adds) return { kind: "rotation", rotates: adds };
  if (!member.startsWith("serviceAccount:")) return { kind: "other", reason: "it is not a service account" };
  const email = member.slice("serviceAccount:".length);
  if (keyed.has(email)) return { kind: "other", reason: "the service account has a long-lived key" };
  const who = impersonators.get(email) ?? [];
  if (who.length === 0) {
    if (!complete) return { kind: "unknown" };
    return {
      kind: "other",
      reason: accounts.has(email) ? "no Kubernetes service account may impersonate it (no roles/iam.workloadIdentityUser binding)" : "it is not a service account of this stack, so its Workload Identity cannot be checked"
    };
  }
  const accountsOf = /* @__PURE__ */ new Set();
  for (const m of who) {
    const match = WORKLOAD_MEMBER.exec(m);
    if (!match)
      return { kind: "other", reason: `${m} may impersonate it, which is not a Kubernetes service account` };
    accountsOf.add(match[1] ? `${match[1]}/${match[2]}` : `${match[3]}/${match[4]}`);
  }
  if (accountsOf.size !== 1)
    return { kind: "other", reason: `${accountsOf.size} Kubernetes service accounts may impersonate it` };
  return { kind: "workload", serviceAccount: [...accountsOf][0] };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  gcpGrants
});
