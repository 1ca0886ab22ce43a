/** `secrets-platform/vault-workload-access`: one workload's read access to Vault KV through Kubernetes auth. */
export {
  VaultWorkloadAccess,
  type VaultWorkloadAccessArgs,
  WORKLOAD_ACCESS_DEFAULTS,
} from "../../components/vault/workload-access";
