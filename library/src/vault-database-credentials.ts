/** `secrets-platform/vault-database-credentials`: one workload's dynamic database credentials from Vault, on exact tables. */
export {
  DATABASE_CREDENTIALS_DEFAULTS,
  DATABASE_CREDENTIALS_TTL_LIMITS,
  DATABASE_ENGINES,
  type DatabaseGrant,
  TABLE_PRIVILEGES,
  VaultDatabaseCredentials,
  type VaultDatabaseCredentialsArgs,
} from "../../components/vault/database-credentials";
