/**
 * `secrets-platform`: every public component. Each also has its own entry
 * (`secrets-platform/<component>`); importing any entry registers nothing and reads no config.
 */
export * from "./vault-database-credentials";
export * from "./vault-workload-access";
