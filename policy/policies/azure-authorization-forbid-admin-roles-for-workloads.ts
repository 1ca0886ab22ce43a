import * as azure from "@pulumi/azure-native";
import { validateResourceOfType } from "@pulumi/policy";
import { AZURE_ROLES, roleGuid, roleName } from "../lib/azure-roles";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

/** Roles that administer vaults, their contents or their access: never for a workload identity. */
const ADMIN_ROLES: ReadonlySet<string> = new Set([
  AZURE_ROLES.owner,
  AZURE_ROLES.contributor,
  AZURE_ROLES.userAccessAdministrator,
  AZURE_ROLES.keyVaultAdministrator,
  AZURE_ROLES.keyVaultContributor,
  AZURE_ROLES.keyVaultDataAccessAdministrator,
  AZURE_ROLES.keyVaultSecretsOfficer,
  AZURE_ROLES.keyVaultCryptoOfficer,
  AZURE_ROLES.keyVaultCertificatesOfficer,
]);

export const azureAuthorizationForbidAdminRolesForWorkloads: PlatformResourcePolicy = {
  name: "azure-authorization-forbid-admin-roles-for-workloads",
  description:
    "Workload identities (service principals, including managed identities) must not hold Owner, Contributor or Key Vault administrative roles.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2"),
  remediationSteps:
    "Assign `Key Vault Secrets User` on each secret the workload reads; keep administrative roles for operators (users or groups).",
  validateResource: validateResourceOfType(
    azure.authorization.RoleAssignment,
    (assignment, _args, report) => {
      const role = roleGuid(assignment.roleDefinitionId);
      // Operators are users or groups; an unset principalType may be anything, so it is judged as a workload.
      const operator = assignment.principalType === "User" || assignment.principalType === "Group";
      if (!operator && ADMIN_ROLES.has(role)) {
        report(
          `${roleName(role)} is assigned to ${assignment.principalType ?? "unspecified principal type"} ${assignment.principalId}.`,
        );
      }
    },
  ),
};
