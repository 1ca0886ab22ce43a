import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { vaultPolicyRules } from "../lib/hcl";
import { reportAdvisory, type PlatformStackPolicy } from "../lib/policy";
import {
  exemptNote,
  exemptionsSchema,
  readExemptions,
  unusedNote,
  type Exemption,
  type ExemptionKind,
} from "../lib/exemptions";
import { redactedMessage } from "../lib/values";
import {
  DEFAULT_GLOB_LIMITS,
  REDACTED,
  UNKNOWN,
  privilegedGrant,
  type GlobLimits,
  scopeOf,
  vaultAclInventory,
  type AclSource,
  type Attachment,
} from "../lib/vault-acl";

const NAME = "vault-policy-forbid-privileged-workload-paths";
/** Vault's built-in superuser policy: every path, every capability. */
const ROOT = "root";

/** Exemptions name Vault policies exactly (as written in the resource), or `root`. */
const KIND: ExemptionKind = { key: "policy", exactName: "an exact policy name", matches: "privileged grant" };

interface Config {
  readonly exemptions?: unknown;
  readonly globMinFixedSegments?: number;
  readonly globAfterMount?: readonly string[];
}

const globLimits = (config: Config): GlobLimits => ({
  minFixedSegments: config.globMinFixedSegments ?? DEFAULT_GLOB_LIMITS.minFixedSegments,
  afterMount: config.globAfterMount ?? DEFAULT_GLOB_LIMITS.afterMount,
});

type Verdict = { kind: "unknown" } | { kind: "ok" } | { kind: "violation"; text: string };

/** What a policy text grants that a machine login must not hold. */
async function verdictOf(source: AclSource, limits: GlobLimits): Promise<Verdict> {
  if (source.text === UNKNOWN) return { kind: "unknown" };
  if (source.text === REDACTED)
    return {
      kind: "violation",
      text: redactedMessage("its policy text", "what it grants").replace(/\.$/, ""),
    };
  let rules;
  try {
    rules = await vaultPolicyRules(source.text);
  } catch (e) {
    return {
      kind: "violation",
      text: `its policy text does not parse as HCL or JSON: ${(e as Error).message}`,
    };
  }
  const grants = rules.flatMap((rule) => privilegedGrant(rule, limits) ?? []);
  return grants.length === 0 ? { kind: "ok" } : { kind: "violation", text: `grants ${grants.join(", ")}` };
}

function checkRoot(
  attachment: Attachment,
  exemptions: ReadonlyMap<string, Exemption>,
  used: Set<string>,
  report: (m: string, urn?: string) => void,
) {
  if (attachment.login === "human") return;
  const urn = attachment.resource.urn;
  const who = attachment.login === "machine" ? "a machine login" : "a login that may be a machine's";
  if (attachment.names.has(ROOT)) {
    const what = `${attachment.label} hands the built-in root policy (every path, every capability) to ${who}`;
    const exemption = exemptions.get(ROOT);
    if (!exemption) return report(`${what}.`, urn);
    used.add(ROOT);
    reportAdvisory(report, exemptNote(exemption, what), urn);
  } else if (attachment.namesUnsure === REDACTED && !exemptions.has(ROOT)) {
    report(
      `${attachment.label}: ${redactedMessage("its policy list", "that it hands out no root policy")}`,
      urn,
    );
  } else if (attachment.namesUnsure === UNKNOWN && !exemptions.has(ROOT)) {
    reportAdvisory(
      report,
      `${attachment.label}: its policy list is unknown during preview, so whether it hands ${who} the built-in root policy is judged when the stack is analysed again at \`pulumi up\`.`,
      urn,
    );
  }
}

export const vaultPolicyForbidPrivilegedWorkloadPaths: PlatformStackPolicy = {
  name: NAME,
  description:
    "Vault ACL policies a machine login can carry must not grant `sudo`, anything under `sys/`, a glob (`*`, `+`) under `auth/` or `identity/` or not confined below a fixed prefix (by default the mount, `data/` or `creds/`, and at least one fixed segment: `kv/data/<folder>/*` passes, `kv/data/*` and `kv/*` do not; settings `globMinFixedSegments`, `globAfterMount`), nor any write (`create`, `update`, `patch`, `delete`) that lets the holder widen its own access, even on an exact path: login-role definitions and policy mappings of auth methods (`auth/<mount>/role|roles|users|groups|certs|map/…`, token roles, and tokens minted from a token role at `auth/token/create/<role>`), an auth method's `config`, identity entities, groups and aliases; and no machine login may carry the built-in `root` policy. " +
    "Scope comes from what the resources do, never from names: every ACL policy the stack writes (vault.Policy, or `sys/policy/<name>` / `sys/policies/acl/<name>` through a generic endpoint or secret) is checked unless every login carrying it is a person's (JWT/OIDC roles of type oidc, SAML, GitHub, LDAP, Okta). " +
    "Attached to a machine login (Kubernetes, AppRole, JWT, AWS, GCP, Azure, certificate, OCI, SCEP and AliCloud roles, token roles, tokens, identity entities and groups, generic writes under auth/ or identity/), attached to nothing, or possibly attached through a value unknown during preview: in scope. " +
    "Exemptions come only from the `exemptions` setting, by exact policy name with a reason, and each one applied is reported as an advisory note.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2"),
  remediationSteps:
    'Grant machine logins `read` on the exact KV data paths and database `creds/<role>` paths they consume, nothing else; keep operator and break-glass policies on people\'s logins (OIDC roles). A grant that must stay (a deployer\'s policy) goes in this policy\'s `exemptions` setting: `{ "policy": "<exact name>", "reason": "<why>" }`.',
  configSchema: {
    properties: {
      globMinFixedSegments: {
        type: "integer",
        minimum: 2,
        description: `How many fixed path segments (the mount counts) must precede the first glob (\`*\`, \`+\`) of a machine login's policy. Default ${DEFAULT_GLOB_LIMITS.minFixedSegments}: the mount, \`data/\` or \`creds/\`, and one segment of the workload's own.`,
      },
      globAfterMount: {
        type: "array",
        items: { type: "string", minLength: 1 },
        description: `The segments allowed right after the mount in a path with a glob; empty allows any. Default ${JSON.stringify(DEFAULT_GLOB_LIMITS.afterMount)}.`,
      },
      exemptions: exemptionsSchema(
        KIND,
        "Vault policies allowed to hold privileged grants, by exact name as written in the resource (no globs), each with its reason; every exemption applied is reported as an advisory note. `root` allows handing the built-in root policy to a machine login.",
      ),
    },
  },
  validateStack: async (args, report) => {
    const config = args.getConfig<Config>();
    const exemptions = readExemptions(config.exemptions, KIND, (m) => report(m));
    const limits = globLimits(config);
    const used = new Set<string>();
    const { sources, attachments } = vaultAclInventory(args.resources);

    for (const source of sources) {
      const scope = scopeOf(source.name, attachments);
      if (!scope.inScope) continue;
      const verdict = await verdictOf(source, limits);
      const what = `${source.label} (${scope.reason})`;
      const urn = source.resource.urn;
      if (verdict.kind === "ok") continue;
      if (verdict.kind === "unknown") {
        reportAdvisory(
          report,
          `${what}: its policy text is unknown during preview, so its grants are judged when the stack is analysed again at \`pulumi up\`.`,
          urn,
        );
        continue;
      }
      const exemption = typeof source.name === "string" ? exemptions.get(source.name) : undefined;
      if (!exemption) {
        report(`${what}: ${verdict.text}.`, urn);
        continue;
      }
      used.add(exemption.name);
      reportAdvisory(report, exemptNote(exemption, `${what}: ${verdict.text}`), urn);
    }

    for (const attachment of attachments) checkRoot(attachment, exemptions, used, report);

    for (const name of exemptions.keys()) if (!used.has(name)) reportAdvisory(report, unusedNote(name, KIND));
  },
};
