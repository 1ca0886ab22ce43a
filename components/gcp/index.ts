export { GcpSecrets, type GcpSecretsArgs, type GcpDatabaseRotation } from "./secrets";
