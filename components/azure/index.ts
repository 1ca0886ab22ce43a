export { AzureSecrets, type AzureSecretsArgs, type AzureRotatedDatabase } from "./secrets";
