/**
 * Every policy of the pack, importable without starting a policy server: only `../index.ts`
 * constructs the `PolicyPack`. The gate and the tests evaluate these objects directly.
 */
import type { PlatformPolicy } from "../lib/policy";
import { awsIamForbidWildcardSecretActions } from "./aws-iam-forbid-wildcard-secret-actions";
import { awsIamRequireExactOidcTrust } from "./aws-iam-require-exact-oidc-trust";
import { awsKmsForbidWildcardPrincipal } from "./aws-kms-forbid-wildcard-principal";
import { awsKmsRequireKeyRotation } from "./aws-kms-require-key-rotation";
import { awsSecretsmanagerForbidPublicPolicy } from "./aws-secretsmanager-forbid-public-policy";
import { awsSecretsmanagerLimitRotationInterval } from "./aws-secretsmanager-limit-rotation-interval";
import { awsSecretsmanagerRequireCmk } from "./aws-secretsmanager-require-cmk";
import { awsSecretsmanagerRequireRecoveryWindow } from "./aws-secretsmanager-require-recovery-window";
import { awsSecretsmanagerRequireRotation } from "./aws-secretsmanager-require-rotation";
import { azureAuthorizationForbidAdminRolesForWorkloads } from "./azure-authorization-forbid-admin-roles-for-workloads";
import { azureAuthorizationRestrictKeyvaultRoleScope } from "./azure-authorization-restrict-keyvault-role-scope";
import { azureKeyvaultRequirePurgeProtection } from "./azure-keyvault-require-purge-protection";
import { azureKeyvaultRequireRbac } from "./azure-keyvault-require-rbac";
import { azureKeyvaultRequireSecretExpiry } from "./azure-keyvault-require-secret-expiry";
import { azureKeyvaultRequireSoftDeleteRetention } from "./azure-keyvault-require-soft-delete-retention";
import { azureKeyvaultRestrictNetwork } from "./azure-keyvault-restrict-network";
import { gcpSecretmanagerForbidProjectLevelRoles } from "./gcp-secretmanager-forbid-project-level-roles";
import { gcpSecretmanagerForbidPublicMembers } from "./gcp-secretmanager-forbid-public-members";
import { gcpSecretmanagerRequireCmek } from "./gcp-secretmanager-require-cmek";
import { gcpSecretmanagerRequireRotation } from "./gcp-secretmanager-require-rotation";
import { kubernetesCoreForbidLiteralSecretData } from "./kubernetes-core-forbid-literal-secret-data";
import { kubernetesExternalsecretsLimitRefreshInterval } from "./kubernetes-externalsecrets-limit-refresh-interval";
import { kubernetesExternalsecretsRestrictClusterStoreNamespaces } from "./kubernetes-externalsecrets-restrict-cluster-store-namespaces";
import { pulumiResourceDetectCredentialLiterals } from "./pulumi-resource-detect-credential-literals";
import { pulumiResourceRequireProtect } from "./pulumi-resource-require-protect";
import { pulumiStackRestrictSecretReaders } from "./pulumi-stack-restrict-secret-readers";
import { vaultAuditRequireDevice } from "./vault-audit-require-device";
import { vaultDatabaseLimitRoleTtl } from "./vault-database-limit-role-ttl";
import { vaultHelmForbidDevMode } from "./vault-helm-forbid-dev-mode";
import { vaultHelmRequireRaftQuorum } from "./vault-helm-require-raft-quorum";
import { vaultHelmRequireTls } from "./vault-helm-require-tls";
import { vaultKubernetesForbidWildcardBindings } from "./vault-kubernetes-forbid-wildcard-bindings";
import { vaultPolicyForbidPrivilegedWorkloadPaths } from "./vault-policy-forbid-privileged-workload-paths";

export { ROTATED_BY_ISSUER_TAG } from "./aws-secretsmanager-require-rotation";

export {
  awsIamForbidWildcardSecretActions,
  awsIamRequireExactOidcTrust,
  awsKmsForbidWildcardPrincipal,
  awsKmsRequireKeyRotation,
  awsSecretsmanagerForbidPublicPolicy,
  awsSecretsmanagerLimitRotationInterval,
  awsSecretsmanagerRequireCmk,
  awsSecretsmanagerRequireRecoveryWindow,
  awsSecretsmanagerRequireRotation,
  azureAuthorizationForbidAdminRolesForWorkloads,
  azureAuthorizationRestrictKeyvaultRoleScope,
  azureKeyvaultRequirePurgeProtection,
  azureKeyvaultRequireRbac,
  azureKeyvaultRequireSecretExpiry,
  azureKeyvaultRequireSoftDeleteRetention,
  azureKeyvaultRestrictNetwork,
  gcpSecretmanagerForbidProjectLevelRoles,
  gcpSecretmanagerForbidPublicMembers,
  gcpSecretmanagerRequireCmek,
  gcpSecretmanagerRequireRotation,
  kubernetesCoreForbidLiteralSecretData,
  kubernetesExternalsecretsLimitRefreshInterval,
  kubernetesExternalsecretsRestrictClusterStoreNamespaces,
  pulumiResourceDetectCredentialLiterals,
  pulumiResourceRequireProtect,
  pulumiStackRestrictSecretReaders,
  vaultAuditRequireDevice,
  vaultDatabaseLimitRoleTtl,
  vaultHelmForbidDevMode,
  vaultHelmRequireRaftQuorum,
  vaultHelmRequireTls,
  vaultKubernetesForbidWildcardBindings,
  vaultPolicyForbidPrivilegedWorkloadPaths,
};

/** All policies, resource and stack, in the order the pack declares them. */
export const policies: readonly PlatformPolicy[] = [
  awsIamForbidWildcardSecretActions,
  awsIamRequireExactOidcTrust,
  awsKmsForbidWildcardPrincipal,
  awsKmsRequireKeyRotation,
  awsSecretsmanagerForbidPublicPolicy,
  awsSecretsmanagerLimitRotationInterval,
  awsSecretsmanagerRequireCmk,
  awsSecretsmanagerRequireRecoveryWindow,
  awsSecretsmanagerRequireRotation,
  azureAuthorizationForbidAdminRolesForWorkloads,
  azureAuthorizationRestrictKeyvaultRoleScope,
  azureKeyvaultRequirePurgeProtection,
  azureKeyvaultRequireRbac,
  azureKeyvaultRequireSecretExpiry,
  azureKeyvaultRequireSoftDeleteRetention,
  azureKeyvaultRestrictNetwork,
  gcpSecretmanagerForbidProjectLevelRoles,
  gcpSecretmanagerForbidPublicMembers,
  gcpSecretmanagerRequireCmek,
  gcpSecretmanagerRequireRotation,
  kubernetesCoreForbidLiteralSecretData,
  kubernetesExternalsecretsLimitRefreshInterval,
  kubernetesExternalsecretsRestrictClusterStoreNamespaces,
  pulumiResourceDetectCredentialLiterals,
  pulumiResourceRequireProtect,
  pulumiStackRestrictSecretReaders,
  vaultAuditRequireDevice,
  vaultDatabaseLimitRoleTtl,
  vaultHelmForbidDevMode,
  vaultHelmRequireRaftQuorum,
  vaultHelmRequireTls,
  vaultKubernetesForbidWildcardBindings,
  vaultPolicyForbidPrivilegedWorkloadPaths,
];
