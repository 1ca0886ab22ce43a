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
var all_exports = {};
__export(all_exports, {
  awsIamForbidPermissionEscalation: () => import_aws_iam_forbid_permission_escalation.awsIamForbidPermissionEscalation,
  awsIamForbidWildcardSecretActions: () => import_aws_iam_forbid_wildcard_secret_actions.awsIamForbidWildcardSecretActions,
  awsIamRequireExactOidcTrust: () => import_aws_iam_require_exact_oidc_trust.awsIamRequireExactOidcTrust,
  awsKmsForbidWildcardPrincipal: () => import_aws_kms_forbid_wildcard_principal.awsKmsForbidWildcardPrincipal,
  awsKmsRequireKeyRotation: () => import_aws_kms_require_key_rotation.awsKmsRequireKeyRotation,
  awsSecretsmanagerForbidPublicPolicy: () => import_aws_secretsmanager_forbid_public_policy.awsSecretsmanagerForbidPublicPolicy,
  awsSecretsmanagerLimitRotationInterval: () => import_aws_secretsmanager_limit_rotation_interval.awsSecretsmanagerLimitRotationInterval,
  awsSecretsmanagerRequireCmk: () => import_aws_secretsmanager_require_cmk.awsSecretsmanagerRequireCmk,
  awsSecretsmanagerRequireRecoveryWindow: () => import_aws_secretsmanager_require_recovery_window.awsSecretsmanagerRequireRecoveryWindow,
  awsSecretsmanagerRequireRotation: () => import_aws_secretsmanager_require_rotation.awsSecretsmanagerRequireRotation,
  azureAuthorizationForbidAdminCustomRoles: () => import_azure_authorization_forbid_admin_custom_roles.azureAuthorizationForbidAdminCustomRoles,
  azureAuthorizationForbidAdminRolesForWorkloads: () => import_azure_authorization_forbid_admin_roles_for_workloads.azureAuthorizationForbidAdminRolesForWorkloads,
  azureAuthorizationRestrictKeyvaultRoleScope: () => import_azure_authorization_restrict_keyvault_role_scope.azureAuthorizationRestrictKeyvaultRoleScope,
  azureAuthorizationRestrictSnapshotUploaderRoles: () => import_azure_authorization_restrict_snapshot_uploader_roles.azureAuthorizationRestrictSnapshotUploaderRoles,
  azureKeyvaultRequirePurgeProtection: () => import_azure_keyvault_require_purge_protection.azureKeyvaultRequirePurgeProtection,
  azureKeyvaultRequireRbac: () => import_azure_keyvault_require_rbac.azureKeyvaultRequireRbac,
  azureKeyvaultRequireSecretExpiry: () => import_azure_keyvault_require_secret_expiry.azureKeyvaultRequireSecretExpiry,
  azureKeyvaultRequireSoftDeleteRetention: () => import_azure_keyvault_require_soft_delete_retention.azureKeyvaultRequireSoftDeleteRetention,
  azureKeyvaultRestrictNetwork: () => import_azure_keyvault_restrict_network.azureKeyvaultRestrictNetwork,
  gcpIamForbidSetIamPolicyRoles: () => import_gcp_iam_forbid_set_iam_policy_roles.gcpIamForbidSetIamPolicyRoles,
  gcpSecretmanagerForbidProjectLevelRoles: () => import_gcp_secretmanager_forbid_project_level_roles.gcpSecretmanagerForbidProjectLevelRoles,
  gcpSecretmanagerForbidPublicMembers: () => import_gcp_secretmanager_forbid_public_members.gcpSecretmanagerForbidPublicMembers,
  gcpSecretmanagerRequireCmek: () => import_gcp_secretmanager_require_cmek.gcpSecretmanagerRequireCmek,
  gcpSecretmanagerRequireRotation: () => import_gcp_secretmanager_require_rotation.gcpSecretmanagerRequireRotation,
  gcpStorageRestrictSnapshotUploaderRoles: () => import_gcp_storage_restrict_snapshot_uploader_roles.gcpStorageRestrictSnapshotUploaderRoles,
  kubernetesCoreForbidLiteralSecretData: () => import_kubernetes_core_forbid_literal_secret_data.kubernetesCoreForbidLiteralSecretData,
  kubernetesExternalsecretsLimitRefreshInterval: () => import_kubernetes_externalsecrets_limit_refresh_interval.kubernetesExternalsecretsLimitRefreshInterval,
  kubernetesExternalsecretsRestrictClusterStoreNamespaces: () => import_kubernetes_externalsecrets_restrict_cluster_store_namespaces.kubernetesExternalsecretsRestrictClusterStoreNamespaces,
  kubernetesRbacRestrictSecretAccess: () => import_kubernetes_rbac_restrict_secret_access.kubernetesRbacRestrictSecretAccess,
  pulumiResourceDetectCredentialLiterals: () => import_pulumi_resource_detect_credential_literals.pulumiResourceDetectCredentialLiterals,
  pulumiResourceRequireProtect: () => import_pulumi_resource_require_protect.pulumiResourceRequireProtect,
  pulumiStackRestrictSecretReaders: () => import_pulumi_stack_restrict_secret_readers.pulumiStackRestrictSecretReaders,
  vaultAuditRequireDevice: () => import_vault_audit_require_device.vaultAuditRequireDevice,
  vaultDatabaseLimitRoleTtl: () => import_vault_database_limit_role_ttl.vaultDatabaseLimitRoleTtl,
  vaultHelmForbidDevMode: () => import_vault_helm_forbid_dev_mode.vaultHelmForbidDevMode,
  vaultHelmRequirePinnedImage: () => import_vault_helm_require_pinned_image.vaultHelmRequirePinnedImage,
  vaultHelmRequireRaftQuorum: () => import_vault_helm_require_raft_quorum.vaultHelmRequireRaftQuorum,
  vaultHelmRequireTls: () => import_vault_helm_require_tls.vaultHelmRequireTls,
  vaultHelmRequireVerifiedTransitSeal: () => import_vault_helm_require_verified_transit_seal.vaultHelmRequireVerifiedTransitSeal,
  vaultKubernetesForbidWildcardBindings: () => import_vault_kubernetes_forbid_wildcard_bindings.vaultKubernetesForbidWildcardBindings,
  vaultPolicyForbidPrivilegedWorkloadPaths: () => import_vault_policy_forbid_privileged_workload_paths.vaultPolicyForbidPrivilegedWorkloadPaths,
  vaultPolicyRestrictSnapshotGrants: () => import_vault_policy_restrict_snapshot_grants.vaultPolicyRestrictSnapshotGrants
});
module.exports = __toCommonJS(all_exports);
var import_aws_iam_forbid_permission_escalation = require("./aws-iam-forbid-permission-escalation");
var import_aws_iam_forbid_wildcard_secret_actions = require("./aws-iam-forbid-wildcard-secret-actions");
var import_aws_iam_require_exact_oidc_trust = require("./aws-iam-require-exact-oidc-trust");
var import_aws_kms_forbid_wildcard_principal = require("./aws-kms-forbid-wildcard-principal");
var import_aws_kms_require_key_rotation = require("./aws-kms-require-key-rotation");
var import_aws_secretsmanager_forbid_public_policy = require("./aws-secretsmanager-forbid-public-policy");
var import_aws_secretsmanager_limit_rotation_interval = require("./aws-secretsmanager-limit-rotation-interval");
var import_aws_secretsmanager_require_cmk = require("./aws-secretsmanager-require-cmk");
var import_aws_secretsmanager_require_recovery_window = require("./aws-secretsmanager-require-recovery-window");
var import_aws_secretsmanager_require_rotation = require("./aws-secretsmanager-require-rotation");
var import_azure_authorization_forbid_admin_custom_roles = require("./azure-authorization-forbid-admin-custom-roles");
var import_azure_authorization_forbid_admin_roles_for_workloads = require("./azure-authorization-forbid-admin-roles-for-workloads");
var import_azure_authorization_restrict_keyvault_role_scope = require("./azure-authorization-restrict-keyvault-role-scope");
var import_azure_authorization_restrict_snapshot_uploader_roles = require("./azure-authorization-restrict-snapshot-uploader-roles");
var import_azure_keyvault_require_purge_protection = require("./azure-keyvault-require-purge-protection");
var import_azure_keyvault_require_rbac = require("./azure-keyvault-require-rbac");
var import_azure_keyvault_require_secret_expiry = require("./azure-keyvault-require-secret-expiry");
var import_azure_keyvault_require_soft_delete_retention = require("./azure-keyvault-require-soft-delete-retention");
var import_azure_keyvault_restrict_network = require("./azure-keyvault-restrict-network");
var import_gcp_iam_forbid_set_iam_policy_roles = require("./gcp-iam-forbid-set-iam-policy-roles");
var import_gcp_secretmanager_forbid_project_level_roles = require("./gcp-secretmanager-forbid-project-level-roles");
var import_gcp_secretmanager_forbid_public_members = require("./gcp-secretmanager-forbid-public-members");
var import_gcp_secretmanager_require_cmek = require("./gcp-secretmanager-require-cmek");
var import_gcp_secretmanager_require_rotation = require("./gcp-secretmanager-require-rotation");
var import_gcp_storage_restrict_snapshot_uploader_roles = require("./gcp-storage-restrict-snapshot-uploader-roles");
var import_kubernetes_core_forbid_literal_secret_data = require("./kubernetes-core-forbid-literal-secret-data");
var import_kubernetes_externalsecrets_limit_refresh_interval = require("./kubernetes-externalsecrets-limit-refresh-interval");
var import_kubernetes_externalsecrets_restrict_cluster_store_namespaces = require("./kubernetes-externalsecrets-restrict-cluster-store-namespaces");
var import_kubernetes_rbac_restrict_secret_access = require("./kubernetes-rbac-restrict-secret-access");
var import_pulumi_resource_detect_credential_literals = require("./pulumi-resource-detect-credential-literals");
var import_pulumi_resource_require_protect = require("./pulumi-resource-require-protect");
var import_pulumi_stack_restrict_secret_readers = require("./pulumi-stack-restrict-secret-readers");
var import_vault_audit_require_device = require("./vault-audit-require-device");
var import_vault_database_limit_role_ttl = require("./vault-database-limit-role-ttl");
var import_vault_helm_forbid_dev_mode = require("./vault-helm-forbid-dev-mode");
var import_vault_helm_require_pinned_image = require("./vault-helm-require-pinned-image");
var import_vault_helm_require_raft_quorum = require("./vault-helm-require-raft-quorum");
var import_vault_helm_require_tls = require("./vault-helm-require-tls");
var import_vault_helm_require_verified_transit_seal = require("./vault-helm-require-verified-transit-seal");
var import_vault_kubernetes_forbid_wildcard_bindings = require("./vault-kubernetes-forbid-wildcard-bindings");
var import_vault_policy_forbid_privileged_workload_paths = require("./vault-policy-forbid-privileged-workload-paths");
var import_vault_policy_restrict_snapshot_grants = require("./vault-policy-restrict-snapshot-grants");
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsIamForbidPermissionEscalation,
  awsIamForbidWildcardSecretActions,
  awsIamRequireExactOidcTrust,
  awsKmsForbidWildcardPrincipal,
  awsKmsRequireKeyRotation,
  awsSecretsmanagerForbidPublicPolicy,
  awsSecretsmanagerLimitRotationInterval,
  awsSecretsmanagerRequireCmk,
  awsSecretsmanagerRequireRecoveryWindow,
  awsSecretsmanagerRequireRotation,
  azureAuthorizationForbidAdminCustomRoles,
  azureAuthorizationForbidAdminRolesForWorkloads,
  azureAuthorizationRestrictKeyvaultRoleScope,
  azureAuthorizationRestrictSnapshotUploaderRoles,
  azureKeyvaultRequirePurgeProtection,
  azureKeyvaultRequireRbac,
  azureKeyvaultRequireSecretExpiry,
  azureKeyvaultRequireSoftDeleteRetention,
  azureKeyvaultRestrictNetwork,
  gcpIamForbidSetIamPolicyRoles,
  gcpSecretmanagerForbidProjectLevelRoles,
  gcpSecretmanagerForbidPublicMembers,
  gcpSecretmanagerRequireCmek,
  gcpSecretmanagerRequireRotation,
  gcpStorageRestrictSnapshotUploaderRoles,
  kubernetesCoreForbidLiteralSecretData,
  kubernetesExternalsecretsLimitRefreshInterval,
  kubernetesExternalsecretsRestrictClusterStoreNamespaces,
  kubernetesRbacRestrictSecretAccess,
  pulumiResourceDetectCredentialLiterals,
  pulumiResourceRequireProtect,
  pulumiStackRestrictSecretReaders,
  vaultAuditRequireDevice,
  vaultDatabaseLimitRoleTtl,
  vaultHelmForbidDevMode,
  vaultHelmRequirePinnedImage,
  vaultHelmRequireRaftQuorum,
  vaultHelmRequireTls,
  vaultHelmRequireVerifiedTransitSeal,
  vaultKubernetesForbidWildcardBindings,
  vaultPolicyForbidPrivilegedWorkloadPaths,
  vaultPolicyRestrictSnapshotGrants
});
