/**
 * Vault ACL policies and what attaches them, read from a stack's resources alone (any
 * program, any names): which resources write an ACL policy, which hand policies to a login,
 * and whether that login is a machine's or a person's. The lists follow the vault provider's
 * schema (7.8.0); `test/policy/vault-acl-schema.test.ts` fails when an SDK resource type with
 * a policy field is in none of them, so a new provider version cannot silently add a way around.
 */
import type { PolicyResource } from "@pulumi/policy";
import { UnknownValueError } from "@pulumi/policy";
import { isRecord, isRedacted } from "./values";

/** A value unknown during preview (or withheld as `[secret]` by `pulumi policy analyze`). */
export const UNKNOWN = Symbol("unknown");
export const REDACTED = Symbol("redacted");
export type Unsure = typeof UNKNOWN | typeof REDACTED;
export const isUnsure = (value: unknown): value is Unsure => value === UNKNOWN || value === REDACTED;

/**
 * A prop as plain JSON; `UNKNOWN` where a value is unknown during preview (at any depth: array
 * elements stay where they are), `REDACTED` where it is a secret the analysis cannot read.
 */
export function readProp(resource: PolicyResource, key: string): unknown {
  try {
    // A state whose whole property map is withheld hides every prop.
    if (isRedacted(resource.props)) return REDACTED;
    return plain(resource.props[key]);
  } catch (e) {
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}

function plain(value: unknown): unknown {
  if (isRedacted(value)) return REDACTED;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(guarded(() => value[i]));
    return out;
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = guarded(() => (value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function guarded(get: () => unknown): unknown {
  try {
    return plain(get());
  } catch (e) {
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}

/** Who logs in through an attachment: a person, a machine, or either (cannot be told). */
export type Login = "machine" | "human" | "either";

interface AttacherSpec {
  /** What the resource is, for messages. */
  readonly what: string;
  /** The login, or how to tell it from the resource. */
  readonly login: Login | ((resource: PolicyResource) => Login | Unsure);
  /** Fields listing policy names. */
  readonly names: readonly string[];
  /** Fields listing policy-name globs (every policy they match is attached). */
  readonly globs?: readonly string[];
}

/** A JWT/OIDC role is a person's only with `roleType: "oidc"` (Vault's default when unset): such a role refuses JWT logins. */
function jwtRoleLogin(resource: PolicyResource): Login | Unsure {
  const roleType = readProp(resource, "roleType");
  if (isUnsure(roleType)) return roleType;
  return roleType === undefined || roleType === null || roleType === "oidc" ? "human" : "machine";
}

/**
 * Every resource type of the vault provider that hands Vault ACL policies to a login or token,
 * by type token. Machine: logins of workloads, pipelines and hosts. Human: logins through a
 * person's identity (OIDC roles, SAML, directory users and groups). Either: identity entities
 * and groups, whose members may be any login's entities (a Kubernetes login's included).
 */
export const ATTACHERS: Readonly<Record<string, AttacherSpec>> = {
  "vault:kubernetes/authBackendRole:AuthBackendRole": {
    what: "Kubernetes auth role",
    login: "machine",
    names: ["tokenPolicies"],
  },
  "vault:appRole/authBackendRole:AuthBackendRole": {
    what: "AppRole role",
    login: "machine",
    names: ["tokenPolicies"],
  },
  "vault:jwt/authBackendRole:AuthBackendRole": {
    what: "JWT/OIDC auth role",
    login: jwtRoleLogin,
    names: ["tokenPolicies"],
  },
  "vault:alicloud/authBackendRole:AuthBackendRole": {
    what: "AliCloud auth role",
    login: "machine",
    names: ["tokenPolicies"],
  },
  "vault:aws/authBackendRole:AuthBackendRole": {
    what: "AWS auth role",
    login: "machine",
    names: ["tokenPolicies"],
  },
  "vault:aws/authBackendRoleTag:AuthBackendRoleTag": {
    what: "AWS auth role tag",
    login: "machine",
    names: ["policies"],
  },
  "vault:azure/authBackendRole:AuthBackendRole": {
    what: "Azure auth role",
    login: "machine",
    names: ["tokenPolicies"],
  },
  "vault:gcp/authBackendRole:AuthBackendRole": {
    what: "GCP auth role",
    login: "machine",
    names: ["tokenPolicies"],
  },
  "vault:index/certAuthBackendRole:CertAuthBackendRole": {
    what: "TLS certificate auth role",
    login: "machine",
    names: ["tokenPolicies"],
  },
  "vault:index/ociAuthBackendRole:OciAuthBackendRole": {
    what: "OCI auth role",
    login: "machine",
    names: ["tokenPolicies"],
  },
  "vault:index/scepAuthBackendRole:ScepAuthBackendRole": {
    what: "SCEP auth role",
    login: "machine",
    names: ["tokenPolicies"],
  },
  "vault:tokenauth/authBackendRole:AuthBackendRole": {
    what: "token role",
    login: "machine",
    names: ["tokenPolicies", "allowedPolicies"],
    globs: ["allowedPoliciesGlobs"],
  },
  "vault:index/token:Token": { what: "token", login: "machine", names: ["policies"] },
  "vault:identity/entity:Entity": { what: "identity entity", login: "either", names: ["policies"] },
  "vault:identity/entityPolicies:EntityPolicies": {
    what: "identity entity policies",
    login: "either",
    names: ["policies"],
  },
  "vault:identity/group:Group": { what: "identity group", login: "either", names: ["policies"] },
  "vault:identity/groupPolicies:GroupPolicies": {
    what: "identity group policies",
    login: "either",
    names: ["policies"],
  },
  "vault:saml/authBackendRole:AuthBackendRole": {
    what: "SAML auth role",
    login: "human",
    names: ["tokenPolicies"],
  },
  "vault:github/authBackend:AuthBackend": {
    what: "GitHub auth mount",
    login: "human",
    names: ["tokenPolicies"],
  },
  "vault:github/team:Team": { what: "GitHub team mapping", login: "human", names: ["policies"] },
  "vault:github/user:User": { what: "GitHub user mapping", login: "human", names: ["policies"] },
  "vault:ldap/authBackend:AuthBackend": { what: "LDAP auth mount", login: "human", names: ["tokenPolicies"] },
  "vault:ldap/authBackendGroup:AuthBackendGroup": {
    what: "LDAP group mapping",
    login: "human",
    names: ["policies"],
  },
  "vault:ldap/authBackendUser:AuthBackendUser": {
    what: "LDAP user mapping",
    login: "human",
    names: ["policies"],
  },
  "vault:okta/authBackend:AuthBackend": { what: "Okta auth mount", login: "human", names: ["tokenPolicies"] },
  "vault:okta/authBackendGroup:AuthBackendGroup": {
    what: "Okta group mapping",
    login: "human",
    names: ["policies"],
  },
  "vault:okta/authBackendUser:AuthBackendUser": {
    what: "Okta user mapping",
    login: "human",
    names: ["policies"],
  },
};

/** The resource type that writes an ACL policy by name. */
export const POLICY_TYPE = "vault:index/policy:Policy";

/**
 * Types that write any Vault API path (`path`, `dataJson`): through them a program writes an
 * ACL policy (`sys/policy/<name>`, `sys/policies/acl/<name>`) or a role's policies
 * (`auth/<mount>/role/<name>` with `token_policies`, …) without the dedicated resource.
 */
export const GENERIC_WRITERS: Readonly<Record<string, string>> = {
  "vault:generic/endpoint:Endpoint": "generic endpoint",
  "vault:generic/secret:Secret": "generic secret",
  "vault:kv/secret:Secret": "KV v1 secret",
};

/**
 * Fields named like policies that are not Vault ACL policies handed to a login, and why (the
 * schema test requires every such field of the SDK to be here, in `ATTACHERS`, or a writer's).
 */
export const NOT_ACL_ATTACHMENTS: Readonly<Record<string, string>> = {
  "vault:index/egpPolicy:EgpPolicy policy": "Sentinel endpoint-governing policy (Enterprise): can only deny",
  "vault:index/rgpPolicy:RgpPolicy policy": "Sentinel role-governing policy (Enterprise): can only deny",
  "vault:consul/secretBackendRole:SecretBackendRole consulPolicies":
    "Consul ACL policies of generated tokens",
  "vault:consul/secretBackendRole:SecretBackendRole policies": "Consul ACL policies of generated tokens",
  "vault:index/nomadSecretRole:NomadSecretRole policies": "Nomad ACL policies of generated tokens",
  "vault:aws/secretBackendRole:SecretBackendRole policyArns": "AWS IAM policies of generated credentials",
  "vault:aws/secretBackendRole:SecretBackendRole policyDocument": "AWS IAM policy of generated credentials",
  "vault:ad/secretBackend:SecretBackend passwordPolicy": "password generation policy",
  "vault:database/secretBackendConnection:SecretBackendConnection passwordPolicy":
    "password generation policy",
  "vault:ldap/secretBackend:SecretBackend passwordPolicy": "password generation policy",
  "vault:rabbitMq/secretBackend:SecretBackend passwordPolicy": "password generation policy",
  "vault:pkiSecret/backendConfigAcme:BackendConfigAcme defaultDirectoryPolicy": "PKI ACME issuance policy",
  "vault:pkiSecret/backendConfigAcme:BackendConfigAcme eabPolicy": "PKI ACME account binding policy",
  "vault:pkiSecret/backendConfigCmpv2:BackendConfigCmpv2 defaultPathPolicy": "PKI CMPv2 issuance policy",
  "vault:pkiSecret/backendConfigEst:BackendConfigEst defaultPathPolicy": "PKI EST issuance policy",
  "vault:pkiSecret/backendConfigEst:BackendConfigEst labelToPathPolicy": "PKI EST issuance policy",
  "vault:pkiSecret/backendConfigScep:BackendConfigScep defaultPathPolicy": "PKI SCEP issuance policy",
  "vault:pkiSecret/secretBackendRole:SecretBackendRole policyIdentifier": "X.509 certificate policy OIDs",
  "vault:pkiSecret/secretBackendRole:SecretBackendRole policyIdentifiers": "X.509 certificate policy OIDs",
  "vault:tokenauth/authBackendRole:AuthBackendRole disallowedPolicies": "a restriction, grants nothing",
  "vault:tokenauth/authBackendRole:AuthBackendRole disallowedPoliciesGlobs": "a restriction, grants nothing",
};

/** Vault stores policy names trimmed and lower-cased (`policyutil.SanitizePolicies`). */
export const normalisePolicyName = (name: string) => name.trim().toLowerCase();

/** Vault's policy-name globs (`allowed_policies_glob`): `*` matches any run of characters. */
export function policyGlobMatch(glob: string, name: string): boolean {
  const body = normalisePolicyName(glob)
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`).test(name);
}

/** An ACL policy written by the stack. */
export interface AclSource {
  readonly resource: PolicyResource;
  /** e.g. `Vault policy "workload-x"` or `generic endpoint "x" writing sys/policy/y`. */
  readonly label: string;
  /** The policy name as written (not normalised), or unsure. */
  readonly name: string | Unsure;
  readonly text: string | Unsure;
}

/** A resource handing policies to a login or token. */
export interface Attachment {
  readonly resource: PolicyResource;
  /** e.g. `Kubernetes auth role "payments-api"`. */
  readonly label: string;
  readonly login: Login;
  /** Policy names it hands out, normalised. */
  readonly names: ReadonlySet<string>;
  readonly globs: readonly string[];
  /** Set when some of its policy lists are unknown during preview (`UNKNOWN`) or withheld (`REDACTED`). */
  readonly namesUnsure: Unsure | false;
  /** True when whether it is a machine's login is unknown during preview. */
  readonly loginUnsure: boolean;
}

/** Policy names from a list or a comma-separated string (Vault's API takes both). */
function policyNames(value: unknown): { names: string[]; unsure: Unsure | false } {
  if (value === undefined || value === null) return { names: [], unsure: false };
  if (isUnsure(value)) return { names: [], unsure: value };
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [value];
  let unsure: Unsure | false = false;
  const names: string[] = [];
  for (const item of items) {
    if (isUnsure(item)) unsure = unsure || item;
    else if (typeof item === "string") names.push(...item.split(",").map(normalisePolicyName));
  }
  return { names: names.filter((n) => n !== ""), unsure };
}

/** `sys/policy/<name>`, `sys/policies/acl/<name>`, also below a namespace (`team-a/sys/…`). */
const POLICY_PATH = /(?:^|\/)sys\/(?:policy|policies\/acl)\/([^/]+)$/;
/** Paths where logins, tokens and identities are configured (`auth/<mount>/role/<name>`, `identity/group`, …). */
const LOGIN_PATH = /(?:^|\/)(?:auth|identity)\//;
/** Keys of an API write that hand policies to a login or token. */
const DATA_NAME_KEYS = ["token_policies", "policies", "allowed_policies"];
const DATA_GLOB_KEYS = ["allowed_policies_glob"];

function parseData(value: unknown): Record<string, unknown> | Unsure | undefined {
  if (isUnsure(value)) return value;
  if (typeof value !== "string") return undefined;
  try {
    const data: unknown = JSON.parse(value);
    return isRecord(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

export interface VaultAclInventory {
  readonly sources: readonly AclSource[];
  readonly attachments: readonly Attachment[];
}

const displayName = (r: PolicyResource) => `"${r.name}"`;

/** Every ACL policy the resources write and every attachment of policies to a login. */
export function vaultAclInventory(resources: readonly PolicyResource[]): VaultAclInventory {
  const sources: AclSource[] = [];
  const attachments: Attachment[] = [];
  for (const resource of resources) {
    if (resource.type === POLICY_TYPE) {
      const name = readProp(resource, "name");
      const text = readProp(resource, "policy");
      sources.push({
        resource,
        label: `Vault policy ${typeof name === "string" ? JSON.stringify(name) : displayName(resource)}`,
        name: typeof name === "string" ? name : isUnsure(name) ? name : UNKNOWN,
        text: typeof text === "string" || isUnsure(text) ? text : "",
      });
      continue;
    }
    const spec = ATTACHERS[resource.type];
    if (spec) {
      const login = typeof spec.login === "function" ? spec.login(resource) : spec.login;
      const names = new Set<string>();
      const globs: string[] = [];
      let namesUnsure: Unsure | false = false;
      for (const field of spec.names) {
        const read = policyNames(readProp(resource, field));
        read.names.forEach((n) => names.add(n));
        namesUnsure ||= read.unsure;
      }
      for (const field of spec.globs ?? []) {
        const read = policyNames(readProp(resource, field));
        globs.push(...read.names);
        namesUnsure ||= read.unsure;
      }
      attachments.push({
        resource,
        label: `${spec.what} ${displayName(resource)}`,
        login: isUnsure(login) ? "either" : login,
        names,
        globs,
        namesUnsure,
        loginUnsure: isUnsure(login),
      });
      continue;
    }
    const generic = GENERIC_WRITERS[resource.type];
    if (generic) inspectGenericWrite(resource, generic, sources, attachments);
  }
  return { sources, attachments };
}

function inspectGenericWrite(
  resource: PolicyResource,
  what: string,
  sources: AclSource[],
  attachments: Attachment[],
): void {
  const pathValue = readProp(resource, "path");
  const path = typeof pathValue === "string" ? pathValue.replace(/^\/+/, "") : pathValue;
  const data = parseData(readProp(resource, "dataJson"));
  const label = `${what} ${displayName(resource)}${typeof path === "string" ? ` writing ${path}` : ""}`;
  const policyPath = typeof path === "string" ? POLICY_PATH.exec(path) : null;
  // An ACL policy: at a policy path, or possibly so when the path is not known.
  if (policyPath || isUnsure(path)) {
    const text = isUnsure(data) ? data : (data?.policy ?? data?.rules);
    if (policyPath || isUnsure(data) || text !== undefined)
      sources.push({
        resource,
        label,
        name: policyPath ? decodeURIComponent(policyPath[1]) : UNKNOWN,
        text: typeof text === "string" || isUnsure(text) ? text : "",
      });
  }
  if (policyPath) return;
  // A login or token given policies through the API (a role, user, group or token create).
  const names = new Set<string>();
  const globs: string[] = [];
  // Unreadable data matters where logins are configured, or where the path is not known.
  let namesUnsure: Unsure | false = isUnsure(path)
    ? path
    : isUnsure(data) && typeof path === "string" && LOGIN_PATH.test(path)
      ? data
      : false;
  if (isRecord(data)) {
    for (const key of DATA_NAME_KEYS) {
      const read = policyNames(data[key]);
      read.names.forEach((n) => names.add(n));
      namesUnsure ||= read.unsure;
    }
    for (const key of DATA_GLOB_KEYS) {
      const read = policyNames(data[key]);
      globs.push(...read.names);
      namesUnsure ||= read.unsure;
    }
  }
  if (names.size > 0 || globs.length > 0 || namesUnsure)
    attachments.push({
      resource,
      label,
      // Which auth method serves the path cannot be told from the path: a machine's, maybe.
      login: "either",
      names,
      globs,
      namesUnsure,
      loginUnsure: false,
    });
}

/** How a policy name relates to the stack's logins. */
export interface Scope {
  readonly inScope: boolean;
  /** Why, for messages: `attached to Kubernetes auth role "x"`. */
  readonly reason: string;
}

const listed = (attachments: readonly Attachment[]) => attachments.map((a) => a.label).join(", ");

/**
 * A policy is in scope unless every login that carries it is a person's: attached to a
 * machine login (or one that may be a machine's), attached to nothing in the stack, possibly
 * attached by a list unknown during preview, or named so that it cannot be matched.
 */
export function scopeOf(name: string | Unsure, attachments: readonly Attachment[]): Scope {
  if (isUnsure(name))
    return {
      inScope: true,
      reason:
        name === UNKNOWN
          ? "its name is unknown during preview, so what carries it cannot be told"
          : "its name is withheld, so what carries it cannot be told",
    };
  const normalised = normalisePolicyName(name);
  if (normalised === "default")
    return { inScope: true, reason: "Vault attaches the default policy to every token" };
  const carrying = attachments.filter(
    (a) => a.names.has(normalised) || a.globs.some((g) => policyGlobMatch(g, normalised)),
  );
  const machine = carrying.filter((a) => a.login !== "human");
  if (machine.length > 0) return { inScope: true, reason: `attached to ${listed(machine)}` };
  const maybe = attachments.filter((a) => a.namesUnsure && a.login !== "human");
  if (maybe.length > 0)
    return {
      inScope: true,
      reason: `which policies ${listed(maybe)} attach${maybe.length === 1 ? "es" : ""} is unknown, so it may be attached to a machine login`,
    };
  if (carrying.length === 0) return { inScope: true, reason: "attached to no login in this stack" };
  return { inScope: false, reason: `attached only to people's logins: ${listed(carrying)}` };
}

/**
 * Where a glob may stand in a machine login's policy: below at least `minFixedSegments` fixed
 * segments (the mount counts), the one after the mount being one of `afterMount` (any when
 * empty). The default, `kv/data/<folder>/*` or `database/creds/<prefix>/+`: the mount, `data/`
 * or `creds/`, and at least one fixed segment of the workload's own.
 */
export interface GlobLimits {
  readonly minFixedSegments: number;
  readonly afterMount: readonly string[];
}
export const DEFAULT_GLOB_LIMITS: GlobLimits = { minFixedSegments: 3, afterMount: ["data", "creds"] };

/** Capabilities that change what they name (`read`, `list` only show it). */
const WRITES = ["create", "update", "patch", "delete"];

/**
 * Paths whose writes let a login widen its own access, even spelt out exactly: login-role
 * definitions and the policy mappings of auth methods (`auth/<mount>/role/…`, token roles
 * `auth/token/roles/…`, users, groups, certificates, team maps, the mount's config, tokens minted
 * from a token role: `auth/token/create/<role>`), and the
 * identity store's entities, groups and aliases (which carry policies and group membership).
 * ACL policies themselves live under `sys/` (refused whole).
 */
const SELF_ESCALATION: ReadonlyArray<readonly [RegExp, string]> = [
  [/^auth\/[^/]+\/(role|roles|users|groups|certs|map)(\/|$)/, "writes login roles or their policy mappings"],
  [/^auth\/[^/]+\/config(\/|$)/, "writes an auth method's configuration"],
  [/^auth\/token\/create\/[^/]+/, "mints tokens of a token role, with that role's policies"],
  [
    /^identity\/(entity|entity-alias|group|group-alias|alias|persona)(\/|$)/,
    "writes identity entities, groups or aliases",
  ],
];

/** Where no glob is allowed at any depth: the system backend, auth methods and the identity store. */
const NO_GLOB_PREFIXES = /^(sys|auth|identity)\//;

/** Why a glob path is too wide under `limits`, or undefined when it is confined. */
function wideGlob(path: string, limits: GlobLimits): string | undefined {
  if (!/[*+]/.test(path)) return undefined;
  // Under sys/ the whole path is refused (reported as `sys/`).
  if (NO_GLOB_PREFIXES.test(path))
    return path.startsWith("sys/") ? "glob" : `glob under ${path.split("/")[0]}/`;
  const segments = path.split("/");
  const fixed = segments.findIndex((s) => /[*+]/.test(s));
  if (fixed < limits.minFixedSegments) return "glob";
  if (limits.afterMount.length > 0 && !limits.afterMount.includes(segments[1])) return "glob";
  return undefined;
}

/**
 * What makes a path rule privileged (`sudo`, a glob not confined by `limits`, a `sys/` path, a
 * write that widens the holder's own access), or undefined when it grants nothing privileged:
 * e.g. `path "sys/auth/*" (sudo, glob under sys/, sys/)`.
 */
export function privilegedGrant(
  rule: { path: string; capabilities: readonly string[] },
  limits: GlobLimits = DEFAULT_GLOB_LIMITS,
): string | undefined {
  // `deny` overrides every other capability; an empty list grants nothing.
  if (rule.capabilities.length === 0 || rule.capabilities.includes("deny")) return undefined;
  const path = rule.path.replace(/^\/+/, "");
  const found: string[] = [];
  if (rule.capabilities.includes("sudo")) found.push("sudo");
  const glob = wideGlob(path, limits);
  if (glob) found.push(glob);
  if (/^sys\//.test(path)) found.push("sys/");
  const writes = rule.capabilities.filter((c) => WRITES.includes(c));
  if (writes.length > 0)
    for (const [pattern, what] of SELF_ESCALATION)
      if (pattern.test(path)) found.push(`${writes.join(", ")}: ${what}`);
  return found.length > 0 ? `path "${rule.path}" (${found.join(", ")})` : undefined;
}
