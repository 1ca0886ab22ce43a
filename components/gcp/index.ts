export { GcpSecrets, type GcpSecretsArgs, type GcpRotatedDatabase } from "./secrets";
