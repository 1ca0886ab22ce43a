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
var vault_policy_forbid_privileged_workload_paths_exports = {};
__export(vault_policy_forbid_privileged_workload_paths_exports, {
  vaultPolicyForbidPrivilegedWorkloadPaths: () => vaultPolicyForbidPrivilegedWorkloadPaths
});
module.exports = __toCommonJS(vault_policy_forbid_privileged_workload_paths_exports);
var import_frameworks = require("../lib/frameworks");
var import_hcl = require("../lib/hcl");
var import_policy = require("../lib/policy");
var import_exemptions = require("../lib/exemptions");
var import_values = require("../lib/values");
var import_vault_acl = require("../lib/vault-acl");
const NAME = "vault-policy-forbid-privileged-workload-paths";
const ROOT = "root";
const KIND = { key: "policy", exactName: "an exact policy name", matches: "privileged grant" };
const globLimits = (config) => ({
  minFixedSegments: config.globMinFixedSegments ?? import_vault_acl.DEFAULT_GLOB_LIMITS.minFixedSegments,
  afterMount: config.globAfterMount ?? import_vault_acl.DEFAULT_GLOB_LIMITS.afterMount
});
async function verdictOf(source, limits) {
  if (source.text === import_vault_acl.UNKNOWN) return { kind: "unknown" };
  if (source.text === import_vault_acl.REDACTED)
    return {
      kind: "violation",
      text: (0, import_values.redactedMessage)("its policy text", "what it grants").replace(/\.$/, "")
    };
  let rules;
  try {
    rules = await (0, import_hcl.vaultPolicyRules)(source.text);
  } catch (e) {
    return {
      kind: "violation",
      text: `its policy text does not parse as HCL or JSON: ${e.message}`
    };
  }
  const grants = rules.flatMap((rule) => (0, import_vault_acl.privilegedGrant)(rule, limits) ?? []);
  return grants.length === 0 ? { kind: "ok" } : { kind: "violation", text: `grants ${grants.join(", ")}` };
}
function checkRoot(attachment, exemptions, used, report) {
  if (attachment.login === "human") return;
  const urn = attachment.resource.urn;
  const who = attachment.login === "machine" ? "a machine login" : "a login that may be a machine's";
  if (attachment.names.has(ROOT)) {
    const what = `${attachment.label} hands the built-in root policy (every path, every capability) to ${who}`;
    const exemption = exemptions.get(ROOT);
    if (!exemption) return report(`${what}.`, urn);
    used.add(ROOT);
    (0, import_policy.reportAdvisory)(report, (0, import_exemptions.exemptNote)(exemption, what), urn);
  } else if (attachment.namesUnsure === import_vault_acl.REDACTED && !exemptions.has(ROOT)) {
    report(
      `${attachment.label}: ${(0, import_values.redactedMessage)("its policy list", "that it hands out no root policy")}`,
      urn
    );
  } else if (attachment.namesUnsure === import_vault_acl.UNKNOWN && !exemptions.has(ROOT)) {
    (0, import_policy.reportAdvisory)(
      report,
      `${attachment.label}: its policy list is unknown during preview, so whether it hands ${who} the built-in root policy is judged when the stack is analysed again at \`pulumi up\`.`,
      urn
    );
  }
}
const vaultPolicyForbidPrivilegedWorkloadPaths = {
  name: NAME,
  description: "Vault ACL policies a machine login can carry must not grant `sudo`, anything under `sys/`, a glob (`*`, `+`) under `auth/` or `identity/` or not confined below a fixed prefix (by default the mount, `data/` or `creds/`, and at least one fixed segment: `kv/data/<folder>/*` passes, `kv/data/*` and `kv/*` do not; settings `globMinFixedSegments`, `globAfterMount`), nor any write (`create`, `update`, `patch`, `delete`) that lets the holder widen its own access, even on an exact path: login-role definitions and policy mappings of auth methods (`auth/<mount>/role|roles|users|groups|certs|map/…`, token roles, and tokens minted from a token role at `auth/token/create/<role>`), an auth method's `config`, identity entities, groups and aliases; and no machine login may carry the built-in `root` policy. Scope comes from what the resources do, never from names: every ACL policy the stack writes (vault.Policy, or `sys/policy/<name>` / `sys/policies/acl/<name>` through a generic endpoint or secret) is checked unless every login carrying it is a person's (JWT/OIDC roles of type oidc, SAML, GitHub, LDAP, Okta). Attached to a machine login (Kubernetes, AppRole, JWT, AWS, GCP, Azure, certificate, OCI, SCEP and AliCloud roles, token roles, tokens, identity entities and groups, generic writes under auth/ or identity/), attached to nothing, or possibly attached through a value unknown during preview: in scope. Exemptions come only from the `exemptions` setting, by exact policy name with a reason, and each one applied is reported as an advisory note.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.LEAST_PRIVILEGE,
  tags: (0, import_frameworks.controls)("pci-dss:7.2.2"),
  remediationSteps: 'Grant machine logins `read` on the exact KV data paths and database `creds/<role>` paths they consume, nothing else; keep operator and break-glass policies on people\'s logins (OIDC roles). A grant that must stay (a deployer\'s policy) goes in this policy\'s `exemptions` setting: `{ "policy": "<exact name>", "reason": "<why>" }`.',
  configSchema: {
    properties: {
      globMinFixedSegments: {
        type: "integer",
        minimum: 2,
        description: `How many fixed path segments (the mount counts) must precede the first glob (\`*\`, \`+\`) of a machine login's policy. Default ${import_vault_acl.DEFAULT_GLOB_LIMITS.minFixedSegments}: the mount, \`data/\` or \`creds/\`, and one segment of the workload's own.`
      },
      globAfterMount: {
        type: "array",
        items: { type: "string", minLength: 1 },
        description: `The segments allowed right after the mount in a path with a glob; empty allows any. Default ${JSON.stringify(import_vault_acl.DEFAULT_GLOB_LIMITS.afterMount)}.`
      },
      exemptions: (0, import_exemptions.exemptionsSchema)(
        KIND,
        "Vault policies allowed to hold privileged grants, by exact name as written in the resource (no globs), each with its reason; every exemption applied is reported as an advisory note. `root` allows handing the built-in root policy to a machine login."
      )
    }
  },
  validateStack: async (args, report) => {
    const config = args.getConfig();
    const exemptions = (0, import_exemptions.readExemptions)(config.exemptions, KIND, (m) => report(m));
    const limits = globLimits(config);
    const used = /* @__PURE__ */ new Set();
    const { sources, attachments } = (0, import_vault_acl.vaultAclInventory)(args.resources);
    for (const source of sources) {
      const scope = (0, import_vault_acl.scopeOf)(source.name, attachments);
      if (!scope.inScope) continue;
      const verdict = await verdictOf(source, limits);
      const what = `${source.label} (${scope.reason})`;
      const urn = source.resource.urn;
      if (verdict.kind === "ok") continue;
      if (verdict.kind === "unknown") {
        (0, import_policy.reportAdvisory)(
          report,
          `${what}: its policy text is unknown during preview, so its grants are judged when the stack is analysed again at \`pulumi up\`.`,
          urn
        );
        continue;
      }
      const exemption = typeof source.name === "string" ? exemptions.get(source.name) : void 0;
      if (!exemption) {
        report(`${what}: ${verdict.text}.`, urn);
        continue;
      }
      used.add(exemption.name);
      (0, import_policy.reportAdvisory)(report, (0, import_exemptions.exemptNote)(exemption, `${what}: ${verdict.text}`), urn);
    }
    for (const attachment of attachments) checkRoot(attachment, exemptions, used, report);
    for (const name of exemptions.keys()) if (!used.has(name)) (0, import_policy.reportAdvisory)(report, (0, import_exemptions.unusedNote)(name, KIND));
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultPolicyForbidPrivilegedWorkloadPaths
});
