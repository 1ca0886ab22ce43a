import type { ResourceValidation } from "@pulumi/policy";
import { AZURE_ROLES, ROLE_GRANT_TYPES, roleGuid, roleName } from "../lib/azure-roles";
import { exemptNote, exemptionsSchema, readExemptions, type ExemptionKind } from "../lib/exemptions";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { reportAdvisory, validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";
import { isRedacted } from "../lib/values";

const NAME = "azure-authorization-forbid-admin-roles-for-workloads";

/**
 * Roles that administer vaults, their contents or their access: the built-in roles whose
 * actions include `Microsoft.Authorization/roleAssignments/write` (Owner, User Access
 * Administrator, Role Based Access Control Administrator, Key Vault Data Access Administrator:
 * whoever holds one at any scope, one secret included, can assign itself any role there), and
 * the Key Vault administrative roles.
 */
const ADMIN_ROLES: ReadonlySet<string> = new Set([
  AZURE_ROLES.owner,
  AZURE_ROLES.contributor,
  AZURE_ROLES.userAccessAdministrator,
  AZURE_ROLES.roleBasedAccessControlAdministrator,
  AZURE_ROLES.keyVaultAdministrator,
  AZURE_ROLES.keyVaultContributor,
  AZURE_ROLES.keyVaultDataAccessAdministrator,
  AZURE_ROLES.keyVaultSecretsOfficer,
  AZURE_ROLES.keyVaultCryptoOfficer,
  AZURE_ROLES.keyVaultCertificatesOfficer,
]);

/** Exemptions name principals exactly, by object id (`principalId`). */
const KIND: ExemptionKind = {
  key: "principal",
  exactName: "an exact principal id",
  matches: "admin role grant",
};

interface Config {
  readonly exemptions?: unknown;
}

const validate: ResourceValidation = (args, report) => {
  const props = args.props as {
    roleDefinitionId?: unknown;
    principalId?: unknown;
    principalIds?: unknown;
    principalType?: unknown;
  };
  // Reading a value unknown during preview throws: the engine then reports that the policy
  // could not run, and runs it again at `pulumi up` before the grant is made.
  const roleId = props.roleDefinitionId;
  if (typeof roleId !== "string") return;
  const role = roleGuid(roleId);
  if (!ADMIN_ROLES.has(role)) return;
  const exemptions = readExemptions(args.getConfig<Config>().exemptions, KIND, (m) => report(m));
  const declared = typeof props.principalType === "string" ? props.principalType : "principal";
  // A blueprint artifact's `principalIds` is a list, or an ARM expression resolved at assignment.
  const principals: unknown[] =
    "principalIds" in props && props.principalIds !== undefined
      ? Array.isArray(props.principalIds)
        ? props.principalIds
        : [props.principalIds]
      : [props.principalId];
  for (const principal of principals) {
    if (typeof principal !== "string" || isRedacted(principal) || /^\[.*\]$/s.test(principal)) {
      report(
        `${roleName(role)} is granted to ${JSON.stringify(principal)}, a principal this analysis cannot identify, so it cannot be exempt.`,
      );
      continue;
    }
    const what = `${roleName(role)} is granted to ${declared} ${principal}`;
    const exemption = exemptions.get(principal);
    if (exemption) reportAdvisory(report, exemptNote(exemption, what));
    else report(`${what}; only principals in this policy's \`exemptions\` setting may hold it.`);
  }
};

export const azureAuthorizationForbidAdminRolesForWorkloads: PlatformResourcePolicy = {
  name: NAME,
  description:
    "Owner, Contributor, User Access Administrator, Role Based Access Control Administrator and the Key Vault administrative roles (Administrator, Contributor, Data Access Administrator, Secrets/Crypto/Certificates Officer) must not be granted to any principal at any scope (a single secret included), through a role assignment, a PIM eligible assignment or a blueprint role assignment artifact, " +
    "except to principals the `exemptions` setting names by exact principal id with a reason (operators, break-glass), each reported as an advisory note. " +
    "The declared `principalType` decides nothing: a workload identity's grant is refused whatever type it claims.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2"),
  remediationSteps:
    'Assign `Key Vault Secrets User` on each secret a workload reads. Operators and break-glass principals that must administer vaults go in this policy\'s `exemptions` setting: `{ "principal": "<object id>", "reason": "<who, why>" }`.',
  configSchema: {
    properties: {
      exemptions: exemptionsSchema(
        KIND,
        "Principals (object ids, exact, no globs) allowed to hold these roles, each with its reason; every exemption applied is reported as an advisory note.",
      ),
    },
  },
  validateResource: ROLE_GRANT_TYPES.map((type) =>
    validateResourceOfToken(type, (_props, args, report) => validate(args, report)),
  ),
};
