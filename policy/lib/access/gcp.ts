/**
 * GCP: members granted read on each Secret Manager secret (`SecretIamMember`/`SecretIamBinding`
 * with an accessor role or a custom role holding `secretmanager.versions.access`), and whether
 * each is a service account impersonable by exactly one Kubernetes service account through
 * Workload Identity, or a rotation function's account (it may add versions to the secret).
 */
import type { PolicyResource } from "@pulumi/policy";
import { addAll, type AccessGraph } from "./graph";
import type { Grant, Identity, Reader, SecretRef } from "./readers";
import { SECRET_GRANT_TYPES, SET_IAM_POLICY_ROLES, grantsOf, type IamGrant } from "../gcp-iam";

/** Member, binding and whole-policy grants alike (`policyData` read through the graph). */
function grantsFrom(g: AccessGraph, r: PolicyResource): IamGrant[] {
  const props: Record<string, unknown> = {};
  for (const key of ["role", "member", "members", "policyData"]) {
    const value = g.read(r, key);
    if (value !== undefined) props[key] = value;
  }
  return grantsOf(r.type, props, () => undefined);
}

const T = {
  secret: "gcp:secretmanager/secret:Secret",
  regionalSecret: "gcp:secretmanager/regionalSecret:RegionalSecret",
  customRole: "gcp:projects/iAMCustomRole:IAMCustomRole",
  account: "gcp:serviceaccount/account:Account",
  saMember: "gcp:serviceaccount/iAMMember:IAMMember",
  saBinding: "gcp:serviceaccount/iAMBinding:IAMBinding",
  saKey: "gcp:serviceaccount/key:Key",
} as const;

const ACCESS = "secretmanager.versions.access";
const ADD = "secretmanager.versions.add";
/** Predefined roles by the permissions above that they include. */
const PREDEFINED: Readonly<Record<string, readonly string[]>> = {
  "roles/secretmanager.secretAccessor": [ACCESS],
  "roles/secretmanager.admin": [ACCESS, ADD],
  "roles/secretmanager.secretVersionAdder": [ADD],
  "roles/secretmanager.secretVersionManager": [ADD],
  "roles/owner": [ACCESS, ADD],
  "roles/editor": [ACCESS, ADD],
};
/** Roles on a service account that let a member act as it. */
const IMPERSONATION = new Set([
  "roles/iam.workloadIdentityUser",
  "roles/iam.serviceAccountTokenCreator",
  "roles/iam.serviceAccountUser",
]);
const WORKLOAD_MEMBER =
  /^serviceAccount:[^.[\]]+\.svc\.id\.goog\[([^/\]]+)\/([^\]]+)\]$|^principal:\/\/iam\.googleapis\.com\/projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/subject\/ns\/([^/]+)\/sa\/([^/]+)$/;

/** `projects/<p>/secrets/<id>` or `<id>` → `<id>`; Secret Manager ids are unique per project. */
const secretIdOf = (id: string) => id.slice(id.lastIndexOf("/") + 1);
/** `projects/<p>/serviceAccounts/<email>` or `<email>` → `<email>`. */
const emailOf = (id: string) => id.slice(id.lastIndexOf("/") + 1);

function members(g: AccessGraph, r: PolicyResource): string[] {
  const one = g.text(r, "member");
  if (one) return [one];
  const many = g.read(r, "members");
  return Array.isArray(many) ? many.map(String) : [];
}

export function gcpGrants(g: AccessGraph): Grant[] {
  const grantsOn = SECRET_GRANT_TYPES.flatMap((t) => g.ofType(t));
  if (grantsOn.length === 0) return [];
  const custom = new Map<string, readonly string[]>();
  for (const role of g.ofType(T.customRole)) {
    const permissions = g.read(role, "permissions");
    const name = g.text(role, "name");
    if (name && Array.isArray(permissions)) custom.set(name, permissions.map(String));
  }
  const secrets = new Map<string, SecretRef>();
  for (const s of [...g.ofType(T.secret), ...g.ofType(T.regionalSecret)]) {
    const id = g.text(s, "secretId");
    if (id) secrets.set(id, { key: id, names: [id], label: `Secret Manager secret ${id}` });
  }

  const readsOn: { secret: SecretRef; member: string; urn: string }[] = [];
  const addsOn = new Map<string, Set<string>>(); // member → secret ids it may add versions to
  const admins = new Map<string, string>(); // member → a role of it that rewrites the secret's IAM
  for (const r of grantsOn) {
    const id = g.text(r, "secretId");
    if (!id) continue;
    const secretId = secretIdOf(id);
    for (const { role, members } of grantsFrom(g, r)) {
      const permissions = PREDEFINED[role] ?? custom.get(role) ?? [];
      for (const member of members) {
        if (Object.hasOwn(SET_IAM_POLICY_ROLES, role)) admins.set(member, role);
        if (permissions.includes(ACCESS))
          readsOn.push({
            secret: secrets.get(secretId) ?? {
              key: secretId,
              names: [secretId],
              label: `Secret Manager secret ${secretId}`,
            },
            member,
            urn: r.urn,
          });
        if (permissions.includes(ADD)) addAll(addsOn, member, secretId);
      }
    }
  }

  const impersonators = impersonatorsByEmail(g);
  const keyed = new Set(g.ofType(T.saKey).flatMap((k) => emailOf(g.text(k, "serviceAccountId") ?? "")));
  const accounts = new Set<string>();
  for (const a of g.ofType(T.account)) {
    const email = g.text(a, "email");
    if (email) accounts.add(email);
  }
  const complete = g.unknown === undefined;
  const readers = new Map<string, Reader>();
  const readerOf = (member: string): Reader => {
    let reader = readers.get(member);
    if (!reader) {
      reader = {
        label: `member ${member}`,
        ids: [member],
        identity: admins.has(member)
          ? {
              kind: "other",
              reason: `it holds ${admins.get(member)}, which also changes who may read the secret (setIamPolicy): an administrator, not a rotation function`,
            }
          : identityOf(member, addsOn.get(member), impersonators, keyed, accounts, complete),
      };
      readers.set(member, reader);
    }
    return reader;
  };
  return readsOn.map(({ secret, member, urn }) => ({ secret, reader: readerOf(member), urn }));
}

function impersonatorsByEmail(g: AccessGraph): Map<string, string[]> {
  const byEmail = new Map<string, string[]>();
  for (const r of [...g.ofType(T.saMember), ...g.ofType(T.saBinding)]) {
    const role = g.text(r, "role");
    const account = g.text(r, "serviceAccountId");
    if (!role || !account || !IMPERSONATION.has(role)) continue;
    const email = emailOf(account);
    byEmail.set(email, [...(byEmail.get(email) ?? []), ...members(g, r)]);
  }
  return byEmail;
}

function identityOf(
  member: string,
  adds: ReadonlySet<string> | undefined,
  impersonators: ReadonlyMap<string, readonly string[]>,
  keyed: ReadonlySet<string>,
  accounts: ReadonlySet<string>,
  complete: boolean,
): Identity {
  if (adds) return { kind: "rotation", rotates: adds };
  if (!member.startsWith("serviceAccount:")) return { kind: "other", reason: "it is not a service account" };
  const email = member.slice("serviceAccount:".length);
  if (keyed.has(email)) return { kind: "other", reason: "the service account has a long-lived key" };
  const who = impersonators.get(email) ?? [];
  if (who.length === 0) {
    if (!complete) return { kind: "unknown" };
    return {
      kind: "other",
      reason: accounts.has(email)
        ? "no Kubernetes service account may impersonate it (no roles/iam.workloadIdentityUser binding)"
        : "it is not a service account of this stack, so its Workload Identity cannot be checked",
    };
  }
  const accountsOf = new Set<string>();
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
