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
var vault_acl_exports = {};
__export(vault_acl_exports, {
  ATTACHERS: () => ATTACHERS,
  DEFAULT_GLOB_LIMITS: () => DEFAULT_GLOB_LIMITS,
  GENERIC_WRITERS: () => GENERIC_WRITERS,
  NOT_ACL_ATTACHMENTS: () => NOT_ACL_ATTACHMENTS,
  POLICY_TYPE: () => POLICY_TYPE,
  REDACTED: () => REDACTED,
  UNKNOWN: () => UNKNOWN,
  isUnsure: () => isUnsure,
  normalisePolicyName: () => normalisePolicyName,
  policyGlobMatch: () => policyGlobMatch,
  privilegedGrant: () => privilegedGrant,
  readProp: () => readProp,
  scopeOf: () => scopeOf,
  vaultAclInventory: () => vaultAclInventory
});
module.exports = __toCommonJS(vault_acl_exports);
var import_policy = require("@pulumi/policy");
var import_values = require("./values");
const UNKNOWN = /* @__PURE__ */ Symbol("unknown");
const REDACTED = /* @__PURE__ */ Symbol("redacted");
const isUnsure = (value) => value === UNKNOWN || value === REDACTED;
function readProp(resource, key) {
  try {
    if ((0, import_values.isRedacted)(resource.props)) return REDACTED;
    return plain(resource.props[key]);
  } catch (e) {
    if (e instanceof import_policy.UnknownValueError) return UNKNOWN;
    throw e;
  }
}
function plain(value) {
  if ((0, import_values.isRedacted)(value)) return REDACTED;
  if (Array.isArray(value)) {
    const out = [];
    for (let i = 0; i < value.length; i++) out.push(guarded(() => value[i]));
    return out;
  }
  if (typeof value === "object" && value !== null) {
    const out = {};
    for (const key of Object.keys(value)) out[key] = guarded(() => value[key]);
    return out;
  }
  return value;
}
function guarded(get) {
  try {
    return plain(get());
  } catch (e) {
    if (e instanceof import_policy.UnknownValueError) return UNKNOWN;
    throw e;
  }
}
function jwtRoleLogin(resource) {
  const roleType = readProp(resource, "roleType");
  if (isUnsure(roleType)) return roleType;
  return roleType === void 0 || roleType === null || roleType === "oidc" ? "human" : "machine";
}
const ATTACHERS = {
  "vault:kubernetes/authBackendRole:AuthBackendRole": {
    what: "Kubernetes auth role",
    login: "machine",
    names: ["tokenPolicies"]
  },
  "vault:appRole/authBackendRole:AuthBackendRole": {
    what: "AppRole role",
    login: "machine",
    names: ["tokenPolicies"]
  },
  "vault:jwt/authBackendRole:AuthBackendRole": {
    what: "JWT/OIDC auth role",
    login: jwtRoleLogin,
    names: ["tokenPolicies"]
  },
  "vault:alicloud/authBackendRole:AuthBackendRole": {
    what: "AliCloud auth role",
    login: "machine",
    names: ["tokenPolicies"]
  },
  "vault:aws/authBackendRole:AuthBackendRole": {
    what: "AWS auth role",
    login: "machine",
    names: ["tokenPolicies"]
  },
  "vault:aws/authBackendRoleTag:AuthBackendRoleTag": {
    what: "AWS auth role tag",
    login: "machine",
    names: ["policies"]
  },
  "vault:azure/authBackendRole:AuthBackendRole": {
    what: "Azure auth role",
    login: "machine",
    names: ["tokenPolicies"]
  },
  "vault:gcp/authBackendRole:AuthBackendRole": {
    what: "GCP auth role",
    login: "machine",
    names: ["tokenPolicies"]
  },
  "vault:index/certAuthBackendRole:CertAuthBackendRole": {
    what: "TLS certificate auth role",
    login: "machine",
    names: ["tokenPolicies"]
  },
  "vault:index/ociAuthBackendRole:OciAuthBackendRole": {
    what: "OCI auth role",
    login: "machine",
    names: ["tokenPolicies"]
  },
  "vault:index/scepAuthBackendRole:ScepAuthBackendRole": {
    what: "SCEP auth role",
    login: "machine",
    names: ["tokenPolicies"]
  },
  "vault:tokenauth/authBackendRole:AuthBackendRole": {
    what: "token role",
    login: "machine",
    names: ["tokenPolicies", "allowedPolicies"],
    globs: ["allowedPoliciesGlobs"]
  },
  "vault:index/token:Token": { what: "token", login: "machine", names: ["policies"] },
  "vault:identity/entity:Entity": { what: "identity entity", login: "either", names: ["policies"] },
  "vault:identity/entityPolicies:EntityPolicies": {
    what: "identity entity policies",
    login: "either",
    names: ["policies"]
  },
  "vault:identity/group:Group": { what: "identity group", login: "either", names: ["policies"] },
  "vault:identity/groupPolicies:GroupPolicies": {
    what: "identity group policies",
    login: "either",
    names: ["policies"]
  },
  "vault:saml/authBackendRole:AuthBackendRole": {
    what: "SAML auth role",
    login: "human",
    names: ["tokenPolicies"]
  },
  "vault:github/authBackend:AuthBackend": {
    what: "GitHub auth mount",
    login: "human",
    names: ["tokenPolicies"]
  },
  "vault:github/team:Team": { what: "GitHub team mapping", login: "human", names: ["policies"] },
  "vault:github/user:User": { what: "GitHub user mapping", login: "human", names: ["policies"] },
  "vault:ldap/authBackend:AuthBackend": { what: "LDAP auth mount", login: "human", names: ["tokenPolicies"] },
  "vault:ldap/authBackendGroup:AuthBackendGroup": {
    what: "LDAP group mapping",
    login: "human",
    names: ["policies"]
  },
  "vault:ldap/authBackendUser:AuthBackendUser": {
    what: "LDAP user mapping",
    login: "human",
    names: ["policies"]
  },
  "vault:okta/authBackend:AuthBackend": { what: "Okta auth mount", login: "human", names: ["tokenPolicies"] },
  "vault:okta/authBackendGroup:AuthBackendGroup": {
    what: "Okta group mapping",
    login: "human",
    names: ["policies"]
  },
  "vault:okta/authBackendUser:AuthBackendUser": {
    what: "Okta user mapping",
    login: "human",
    names: ["policies"]
  }
};
const POLICY_TYPE = "vault:index/policy:Policy";
const GENERIC_WRITERS = {
  "vault:generic/endpoint:Endpoint": "generic endpoint",
  "vault:generic/secret:Secret": "generic secret",
  "vault:kv/secret:Secret": "KV v1 secret"
};
const NOT_ACL_ATTACHMENTS = {
  "vault:index/egpPolicy:EgpPolicy policy": "Sentinel endpoint-governing policy (Enterprise): can only deny",
  "vault:index/rgpPolicy:RgpPolicy policy": "Sentinel role-governing policy (Enterprise): can only deny",
  "vault:consul/secretBackendRole:SecretBackendRole consulPolicies": "Consul ACL policies of generated tokens",
  "vault:consul/secretBackendRole:SecretBackendRole policies": "Consul ACL policies of generated tokens",
  "vault:index/nomadSecretRole:NomadSecretRole policies": "Nomad ACL policies of generated tokens",
  "vault:aws/secretBackendRole:SecretBackendRole policyArns": "AWS IAM policies of generated credentials",
  "vault:aws/secretBackendRole:SecretBackendRole policyDocument": "AWS IAM policy of generated credentials",
  "vault:ad/secretBackend:SecretBackend passwordPolicy": "password generation policy",
  "vault:database/secretBackendConnection:SecretBackendConnection passwordPolicy": "password generation policy",
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
  "vault:tokenauth/authBackendRole:AuthBackendRole disallowedPoliciesGlobs": "a restriction, grants nothing"
};
const normalisePolicyName = (name) => name.trim().toLowerCase();
function policyGlobMatch(glob, name) {
  const body = normalisePolicyName(glob).split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${body}$`).test(name);
}
function policyNames(value) {
  if (value === void 0 || value === null) return { names: [], unsure: false };
  if (isUnsure(value)) return { names: [], unsure: value };
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [value];
  let unsure = false;
  const names = [];
  for (const item of items) {
    if (isUnsure(item)) unsure = unsure || item;
    else if (typeof item === "string") names.push(...item.split(",").map(normalisePolicyName));
  }
  return { names: names.filter((n) => n !== ""), unsure };
}
const POLICY_PATH = /(?:^|\/)sys\/(?:policy|policies\/acl)\/([^/]+)$/;
const LOGIN_PATH = /(?:^|\/)(?:auth|identity)\//;
const DATA_NAME_KEYS = ["token_policies", "policies", "allowed_policies"];
const DATA_GLOB_KEYS = ["allowed_policies_glob"];
function parseData(value) {
  if (isUnsure(value)) return value;
  if (typeof value !== "string") return void 0;
  try {
    const data = JSON.parse(value);
    return (0, import_values.isRecord)(data) ? data : void 0;
  } catch {
    return void 0;
  }
}
const displayName = (r) => `"${r.name}"`;
function vaultAclInventory(resources) {
  const sources = [];
  const attachments = [];
  for (const resource of resources) {
    if (resource.type === POLICY_TYPE) {
      const name = readProp(resource, "name");
      const text = readProp(resource, "policy");
      sources.push({
        resource,
        label: `Vault policy ${typeof name === "string" ? JSON.stringify(name) : displayName(resource)}`,
        name: typeof name === "string" ? name : isUnsure(name) ? name : UNKNOWN,
        text: typeof text === "string" || isUnsure(text) ? text : ""
      });
      continue;
    }
    const spec = ATTACHERS[resource.type];
    if (spec) {
      const login = typeof spec.login === "function" ? spec.login(resource) : spec.login;
      const names = /* @__PURE__ */ new Set();
      const globs = [];
      let namesUnsure = false;
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
        loginUnsure: isUnsure(login)
      });
      continue;
    }
    const generic = GENERIC_WRITERS[resource.type];
    if (generic) inspectGenericWrite(resource, generic, sources, attachments);
  }
  return { sources, attachments };
}
function inspectGenericWrite(resource, what, sources, attachments) {
  const pathValue = readProp(resource, "path");
  const path = typeof pathValue === "string" ? pathValue.replace(/^\/+/, "") : pathValue;
  const data = parseData(readProp(resource, "dataJson"));
  const label = `${what} ${displayName(resource)}${typeof path === "string" ? ` writing ${path}` : ""}`;
  const policyPath = typeof path === "string" ? POLICY_PATH.exec(path) : null;
  if (policyPath || isUnsure(path)) {
    const text = isUnsure(data) ? data : data?.policy ?? data?.rules;
    if (policyPath || isUnsure(data) || text !== void 0)
      sources.push({
        resource,
        label,
        name: policyPath ? decodeURIComponent(policyPath[1]) : UNKNOWN,
        text: typeof text === "string" || isUnsure(text) ? text : ""
      });
  }
  if (policyPath) return;
  const names = /* @__PURE__ */ new Set();
  const globs = [];
  let namesUnsure = isUnsure(path) ? path : isUnsure(data) && typeof path === "string" && LOGIN_PATH.test(path) ? data : false;
  if ((0, import_values.isRecord)(data)) {
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
      loginUnsure: false
    });
}
const listed = (attachments) => attachments.map((a) => a.label).join(", ");
function scopeOf(name, attachments) {
  if (isUnsure(name))
    return {
      inScope: true,
      reason: name === UNKNOWN ? "its name is unknown during preview, so what carries it cannot be told" : "its name is withheld, so what carries it cannot be told"
    };
  const normalised = normalisePolicyName(name);
  if (normalised === "default")
    return { inScope: true, reason: "Vault attaches the default policy to every token" };
  const carrying = attachments.filter(
    (a) => a.names.has(normalised) || a.globs.some((g) => policyGlobMatch(g, normalised))
  );
  const machine = carrying.filter((a) => a.login !== "human");
  if (machine.length > 0) return { inScope: true, reason: `attached to ${listed(machine)}` };
  const maybe = attachments.filter((a) => a.namesUnsure && a.login !== "human");
  if (maybe.length > 0)
    return {
      inScope: true,
      reason: `which policies ${listed(maybe)} attach${maybe.length === 1 ? "es" : ""} is unknown, so it may be attached to a machine login`
    };
  if (carrying.length === 0) return { inScope: true, reason: "attached to no login in this stack" };
  return { inScope: false, reason: `attached only to people's logins: ${listed(carrying)}` };
}
const DEFAULT_GLOB_LIMITS = { minFixedSegments: 3, afterMount: ["data", "creds"] };
const WRITES = ["create", "update", "patch", "delete"];
const SELF_ESCALATION = [
  [/^auth\/[^/]+\/(role|roles|users|groups|certs|map)(\/|$)/, "writes login roles or their policy mappings"],
  [/^auth\/[^/]+\/config(\/|$)/, "writes an auth method's configuration"],
  [/^auth\/token\/create\/[^/]+/, "mints tokens of a token role, with that role's policies"],
  [
    /^identity\/(entity|entity-alias|group|group-alias|alias|persona)(\/|$)/,
    "writes identity entities, groups or aliases"
  ]
];
const NO_GLOB_PREFIXES = /^(sys|auth|identity)\//;
function wideGlob(path, limits) {
  if (!/[*+]/.test(path)) return void 0;
  if (NO_GLOB_PREFIXES.test(path))
    return path.startsWith("sys/") ? "glob" : `glob under ${path.split("/")[0]}/`;
  const segments = path.split("/");
  const fixed = segments.findIndex((s) => /[*+]/.test(s));
  if (fixed < limits.minFixedSegments) return "glob";
  if (limits.afterMount.length > 0 && !limits.afterMount.includes(segments[1])) return "glob";
  return void 0;
}
function privilegedGrant(rule, limits = DEFAULT_GLOB_LIMITS) {
  if (rule.capabilities.length === 0 || rule.capabilities.includes("deny")) return void 0;
  const path = rule.path.replace(/^\/+/, "");
  const found = [];
  if (rule.capabilities.includes("sudo")) found.push("sudo");
  const glob = wideGlob(path, limits);
  if (glob) found.push(glob);
  if (/^sys\//.test(path)) found.push("sys/");
  const writes = rule.capabilities.filter((c) => WRITES.includes(c));
  if (writes.length > 0) {
    for (const [pattern, what] of SELF_ESCALATION)
      if (pattern.test(path)) found.push(`${writes.join(", ")}: ${what}`);
  }
  return found.length > 0 ? `path "${rule.path}" (${found.join(", ")})` : void 0;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  ATTACHERS,
  DEFAULT_GLOB_LIMITS,
  GENERIC_WRITERS,
  NOT_ACL_ATTACHMENTS,
  POLICY_TYPE,
  REDACTED,
  UNKNOWN,
  isUnsure,
  normalisePolicyName,
  policyGlobMatch,
  privilegedGrant,
  readProp,
  scopeOf,
  vaultAclInventory
});
