import { globMatch } from "../lib/access/graph";
import { ROLE_DEFINITION_TYPES } from "../lib/azure-roles";
import { exemptionsSchema, reportUnlessExempt, type ExemptionKind } from "../lib/exemptions";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";
import { isRedacted } from "../lib/values";

const SETTING = "exemptions";

/**
 * Control-plane operations that make a role administer access or vaults, as the built-in
 * admin roles do (Owner, User Access Administrator: role assignments and definitions; Key Vault
 * Contributor: `Microsoft.KeyVault/*`, vault properties, access policies, template deployment's
 * secret reads). Lower case: Azure compares operation names without case.
 */
const ADMIN_ACTIONS = [
  // Every write of the Microsoft.Authorization provider (learn.microsoft.com/azure/role-based-
  // access-control/permissions/management-and-governance#microsoftauthorization): who holds one,
  // at any scope, rewrites access there or the guardrails (policy, PIM settings) around it.
  "microsoft.authorization/roleassignments/write",
  "microsoft.authorization/roledefinitions/write",
  "microsoft.authorization/roleassignmentschedulerequests/write",
  "microsoft.authorization/roleeligibilityschedulerequests/write",
  "microsoft.authorization/rolemanagementpolicies/write",
  "microsoft.authorization/policyassignments/write",
  "microsoft.authorization/policydefinitions/write",
  "microsoft.authorization/policysetdefinitions/write",
  "microsoft.authorization/policyexemptions/write",
  "microsoft.authorization/locks/write",
  "microsoft.authorization/elevateaccess/action",
  "microsoft.keyvault/vaults/write",
  "microsoft.keyvault/vaults/accesspolicies/write",
  "microsoft.keyvault/vaults/deploy/action",
];

/**
 * Key Vault data operations that the built-in Officer and Administrator roles reach through
 * wildcards (`Microsoft.KeyVault/vaults/*`, `.../secrets/*`): reading, writing and deleting
 * secrets, using and deleting keys, deleting certificates. An exact data action (a reader's
 * `.../secrets/getSecret/action`) is no admin grant; a wildcard reaching any of these is.
 */
const ADMIN_DATA_ACTIONS = [
  "microsoft.keyvault/vaults/secrets/getsecret/action",
  "microsoft.keyvault/vaults/secrets/setsecret/action",
  "microsoft.keyvault/vaults/secrets/delete",
  "microsoft.keyvault/vaults/keys/decrypt/action",
  "microsoft.keyvault/vaults/keys/unwrap/action",
  "microsoft.keyvault/vaults/keys/delete",
  "microsoft.keyvault/vaults/certificates/delete",
];

/**
 * Whether an Azure operation pattern matches `operation`: `*` matches any text (`/` included),
 * without case. (`?` is no Azure wildcard and no operation name holds one: matching it as one
 * errs on the strict side.)
 */
const matches = (pattern: string, operation: string) => globMatch(pattern, operation, true);

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/**
 * The admin operations a permission grants: those an allowed pattern matches (for data
 * actions, only through a wildcard) and no `not…` pattern removes. A `not…` pattern counts only
 * where it matches the operation itself, so it never removes more than it says.
 */
function adminGrants(
  allowed: unknown,
  denied: unknown,
  operations: readonly string[],
  wildcardOnly: boolean,
) {
  const allow = strings(allowed).filter((p) => !wildcardOnly || p.includes("*"));
  const deny = strings(denied);
  return allow.flatMap((pattern) => {
    const reached = operations.filter((op) => matches(pattern, op) && !deny.some((d) => matches(d, op)));
    return reached.length === 0 ? [] : [{ pattern, reached }];
  });
}

const KIND: ExemptionKind = {
  key: "role",
  exactName: "an exact role name (`roleName`)",
  matches: "admin-equivalent custom role",
};

export const azureAuthorizationForbidAdminCustomRoles: PlatformResourcePolicy = {
  name: "azure-authorization-forbid-admin-custom-roles",
  description:
    "Custom role definitions must not grant what the built-in admin roles grant under another id: an action matching any Microsoft.Authorization write (role assignments, role definitions, PIM requests and settings, policy assignments, definitions and exemptions, locks) or elevateAccess, or a Key Vault write, access-policy write or template deployment (`*`, `Microsoft.Authorization/*`, `Microsoft.KeyVault/*`, …), or a wildcard data action reaching Key Vault secret, key or certificate operations (`*`, `Microsoft.KeyVault/vaults/*`, `.../secrets/*`). " +
    "`notActions`/`notDataActions` count only where they match those operations themselves. Exact data actions (a reader's or rotator's) are out of scope, as are Cosmos DB's own data-plane roles and deny assignments. " +
    "Allowed only when the `exemptions` setting names the role by exact `roleName` with a reason (reported as an advisory note).",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2"),
  remediationSteps:
    'List the exact data actions the principal needs (e.g. `Microsoft.KeyVault/vaults/secrets/getSecret/action`) and no `Microsoft.Authorization` or `Microsoft.KeyVault` write. A custom role that must administer goes in this policy\'s `exemptions` setting: `{ "role": "<roleName>", "reason": "<who holds it, why>" }`.',
  configSchema: {
    properties: {
      [SETTING]: exemptionsSchema(
        KIND,
        "Custom roles (exact `roleName`, no globs) allowed to carry admin-equivalent permissions, each with its reason; every exemption applied is reported as an advisory note.",
      ),
    },
  },
  validateResource: ROLE_DEFINITION_TYPES.map((type) =>
    validateResourceOfToken(type, (props, args, report) => {
      // Reading a value unknown during preview throws: the engine reports that the policy
      // could not run and runs it again at `pulumi up`, before the role exists.
      const permissions = Array.isArray(props.permissions) ? props.permissions : [];
      const found = permissions.flatMap((p: unknown) => {
        const perm = (typeof p === "object" && p !== null ? p : {}) as Record<string, unknown>;
        return [
          ...adminGrants(perm.actions, perm.notActions, ADMIN_ACTIONS, false).map(
            (g) => `action ${g.pattern} (${g.reached.join(", ")})`,
          ),
          ...adminGrants(perm.dataActions, perm.notDataActions, ADMIN_DATA_ACTIONS, true).map(
            (g) => `data action ${g.pattern} (${g.reached.join(", ")})`,
          ),
        ];
      });
      if (found.length === 0) return;
      const name = props.roleName;
      const what = `custom role ${JSON.stringify(name ?? "(no roleName)")} grants admin-equivalent ${found.join("; ")}`;
      if (typeof name !== "string" || isRedacted(name)) {
        report(`${what}; a role without a readable name cannot be exempt.`);
        return;
      }
      reportUnlessExempt(
        report,
        { raw: args.getConfig<{ exemptions?: unknown }>()?.exemptions, kind: KIND, setting: SETTING },
        name,
        what,
        `; only roles in this policy's \`${SETTING}\` setting may.`,
      );
    }),
  ),
};
