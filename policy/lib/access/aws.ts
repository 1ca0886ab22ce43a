/**
 * AWS: the IAM roles of the stack allowed `secretsmanager:GetSecretValue` on each Secrets
 * Manager secret (inline `RolePolicy`, role `inlinePolicies`, customer-managed `Policy` via
 * `RolePolicyAttachment` or `managedPolicyArns`), and what each role is from its trust policy.
 */
import type { PolicyResource } from "@pulumi/policy";
import { statements, type Statement } from "../iam";
import { AccessGraph, addAll, globMatch, hasWildcard } from "./graph";
import { serviceAccountOfSubject, type Grant, type Identity, type Reader, type SecretRef } from "./readers";

const T = {
  secret: "aws:secretsmanager/secret:Secret",
  rotation: "aws:secretsmanager/secretRotation:SecretRotation",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  lambda: "aws:lambda/function:Function",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
} as const;

const READ = "secretsmanager:GetSecretValue";

function allowsRead(s: Statement): boolean {
  if (s.effect !== "Allow") return false;
  const listed = s.actions.some((a) => globMatch(a, READ, true));
  return s.notAction ? !listed : listed;
}

/** Secrets by exact ARN, plus the list for wildcard resources (few: operator and CI roles). */
class SecretIndex {
  readonly byArn = new Map<string, SecretRef>();
  readonly all: SecretRef[] = [];

  matching(resource: string): readonly SecretRef[] {
    if (!hasWildcard(resource)) return this.byArn.has(resource) ? [this.byArn.get(resource)!] : [];
    return this.all.filter((s) => globMatch(resource, s.key));
  }
}

function indexSecrets(g: AccessGraph): SecretIndex {
  const index = new SecretIndex();
  for (const secret of g.ofType(T.secret)) {
    const arn = g.text(secret, "arn");
    if (!arn) continue;
    const name = g.text(secret, "name");
    const ref: SecretRef = {
      key: arn,
      names: name ? [arn, name] : [arn],
      label: `Secrets Manager secret ${name ?? secret.name}`,
    };
    index.byArn.set(arn, ref);
    index.all.push(ref);
  }
  return index;
}

/** Roles whose function a SecretRotation invokes → ARNs of the secrets it rotates. */
function rotationRoles(g: AccessGraph): Map<string, Set<string>> {
  const rotatedBy = new Map<string, Set<string>>();
  for (const rotation of g.ofType(T.rotation)) {
    const fn = g.text(rotation, "rotationLambdaArn");
    const secret = g.text(rotation, "secretId");
    if (!fn || !secret) continue;
    addAll(rotatedBy, fn, secret);
  }
  const byRole = new Map<string, Set<string>>();
  for (const fn of g.ofType(T.lambda)) {
    const arn = g.text(fn, "arn");
    const role = g.text(fn, "role");
    const rotated = arn && (rotatedBy.get(arn) ?? rotatedBy.get(g.text(fn, "name") ?? ""));
    if (!role || !rotated) continue;
    addAll(byRole, role, ...rotated);
  }
  return byRole;
}

/** Pod Identity associations: role ARN → the service accounts associated with it. */
function podIdentityAccounts(g: AccessGraph): Map<string, Set<string>> {
  const byRole = new Map<string, Set<string>>();
  for (const a of g.ofType(T.podIdentity)) {
    const role = g.text(a, "roleArn");
    const ns = g.text(a, "namespace");
    const sa = g.text(a, "serviceAccount");
    if (!role || !ns || !sa) continue;
    addAll(byRole, role, `${ns}/${sa}`);
  }
  return byRole;
}

/** The one exact StringEquals value of `<issuer>:<claim>`, or undefined. */
function exactClaim(s: Statement, claim: string): string | undefined {
  const entries = Object.entries(s.conditions["StringEquals"] ?? {}).filter(([k]) => k.endsWith(`:${claim}`));
  if (entries.length !== 1 || entries[0][1].length !== 1) return undefined;
  const value = entries[0][1][0];
  return hasWildcard(value) ? undefined : value;
}

function trustIdentity(
  trust: readonly Statement[],
  rotationKnown: boolean,
  rotates: ReadonlySet<string> | undefined,
  pods: ReadonlySet<string> | undefined,
): Identity {
  const allows = trust.filter((s) => s.effect === "Allow");
  if (allows.length === 0) return { kind: "other", reason: "its trust policy allows no one" };
  const accounts = new Set<string>();
  for (const s of allows) {
    const p = s.principal;
    const federated = p !== undefined && p !== "*" ? (p.Federated ?? []) : [];
    const services = p !== undefined && p !== "*" ? (p.Service ?? []) : [];
    // NotPrincipal admits every principal but the listed ones.
    const others =
      s.notPrincipal || p === "*" || (p && Object.keys(p).some((k) => k !== "Federated" && k !== "Service"));
    if (others)
      return rotates ? { kind: "rotation", rotates } : notWorkload("its trust admits AWS principals");
    if (federated.length === 1 && services.length === 0) {
      const sa = serviceAccountOfSubject(exactClaim(s, "sub") ?? "");
      if (!sa || !exactClaim(s, "aud"))
        return notWorkload(
          "its web-identity trust does not pin one `system:serviceaccount:<ns>:<sa>` sub and aud",
        );
      accounts.add(sa);
    } else if (services.length === 1 && services[0] === "pods.eks.amazonaws.com" && federated.length === 0) {
      if (!pods || pods.size !== 1)
        return notWorkload(
          `it is an EKS Pod Identity role associated with ${pods?.size ?? 0} service accounts, not one`,
        );
      accounts.add([...pods][0]);
    } else if (rotates) {
      return { kind: "rotation", rotates };
    } else if (!rotationKnown) {
      // A service role may be a rotation function whose link to its SecretRotation is unknown yet.
      return { kind: "unknown" };
    } else {
      return notWorkload(
        `its trust admits ${[...federated, ...services].join(", ") || "no named principal"}`,
      );
    }
  }
  if (accounts.size !== 1) return notWorkload(`its trust admits ${accounts.size} service accounts`);
  return { kind: "workload", serviceAccount: [...accounts][0] };
}

const notWorkload = (reason: string): Identity => ({ kind: "other", reason });

export function awsGrants(g: AccessGraph): Grant[] {
  const secrets = indexSecrets(g);
  if (secrets.all.length === 0) return [];
  const rotation = rotationRoles(g);
  const rotationKnown = g.unknown === undefined;
  const pods = podIdentityAccounts(g);
  const managed = new Map<string, unknown>();
  for (const p of g.ofType(T.policy)) {
    const arn = g.text(p, "arn");
    if (arn) managed.set(arn, g.read(p, "policy"));
  }
  // Documents attached to each role (by role name), with the resource that attached them.
  const documents = new Map<string, { doc: unknown; urn: string }[]>();
  const attach = (role: string | undefined, doc: unknown, urn: string) => {
    if (!role || doc === undefined) return;
    const list = documents.get(role) ?? [];
    list.push({ doc, urn });
    documents.set(role, list);
  };
  for (const rp of g.ofType(T.rolePolicy)) attach(g.text(rp, "role"), g.read(rp, "policy"), rp.urn);
  for (const a of g.ofType(T.attachment)) {
    const arn = g.text(a, "policyArn");
    attach(g.text(a, "role"), arn && managed.get(arn), a.urn);
  }

  const grants: Grant[] = [];
  for (const role of g.ofType(T.role)) {
    const name = g.text(role, "name");
    const arn = g.text(role, "arn");
    if (!name || !arn) continue;
    const docs = [...(documents.get(name) ?? [])];
    for (const inline of asList(g.read(role, "inlinePolicies")))
      docs.push({ doc: (inline as { policy?: unknown }).policy, urn: role.urn });
    for (const m of asList(g.read(role, "managedPolicyArns")))
      docs.push({ doc: managed.get(String(m)), urn: role.urn });
    const readable = readableSecrets(docs, secrets);
    if (readable.length === 0) continue;
    const reader = roleReader(g, role, name, arn, rotationKnown, rotation.get(arn), pods.get(arn));
    for (const { secret, urn } of readable) grants.push({ secret, reader, urn });
  }
  return grants;
}

function readableSecrets(docs: readonly { doc: unknown; urn: string }[], secrets: SecretIndex) {
  const found: { secret: SecretRef; urn: string }[] = [];
  for (const { doc, urn } of docs) {
    if (doc === undefined) continue;
    let parsed: Statement[];
    try {
      parsed = statements(doc);
    } catch {
      continue; // an unreadable document is aws-iam-*'s to report; it grants nothing we can see
    }
    for (const s of parsed.filter(allowsRead)) {
      const listed = s.resources.flatMap((resource) => secrets.matching(resource));
      // NotResource: every secret of the stack but the listed ones.
      const granted = s.notResource ? secrets.all.filter((secret) => !listed.includes(secret)) : listed;
      for (const secret of granted) found.push({ secret, urn });
    }
  }
  return found;
}

function roleReader(
  g: AccessGraph,
  role: PolicyResource,
  name: string,
  arn: string,
  rotationKnown: boolean,
  rotates: ReadonlySet<string> | undefined,
  pods: ReadonlySet<string> | undefined,
): Reader {
  const trustDoc = g.read(role, "assumeRolePolicy");
  let identity: Identity;
  if (trustDoc === undefined) identity = { kind: "unknown" };
  else {
    try {
      identity = trustIdentity(statements(trustDoc), rotationKnown, rotates, pods);
    } catch (e) {
      identity = notWorkload(`its trust policy cannot be read: ${(e as Error).message}`);
    }
  }
  return { label: `IAM role ${arn}`, ids: [arn, name], identity };
}

const asList = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
