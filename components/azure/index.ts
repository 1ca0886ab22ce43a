export { AzureSecrets, type AzureSecretsArgs } from "./secrets";
