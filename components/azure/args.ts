/** AzureSecrets' arguments and the checks that run before any resource is registered. */
import { type CloudSecretsArgs, checkCloudSecretsArgs } from "../cloud-secrets-args";

/** Key Vault accepts a soft-delete retention of 7 to 90 days. */
export const SOFT_DELETE_RETENTION_DAYS = { min: 7, max: 90 } as const;

/**
 * Uses the catalog's `azure` section and the secrets with `source: azure`; from the profile,
 * soft-delete retention (`recoveryWindowDays`), secret expiry and `protect`.
 */
export type AzureSecretsArgs = CloudSecretsArgs;

/** Throws, naming the offending argument, when the component cannot be built from `args`. */
export function checkAzureSecretsArgs(args: AzureSecretsArgs): void {
  const fail = checkCloudSecretsArgs("AzureSecrets", "azure", args);
  const { catalog, profile } = args;
  const { min, max } = SOFT_DELETE_RETENTION_DAYS;
  const retention = profile.recoveryWindowDays;
  if (!Number.isInteger(retention) || retention < min || retention > max) {
    fail(
      `profile.recoveryWindowDays is ${retention}; Key Vault soft-delete retention must be a whole number of days from ${min} to ${max}`,
    );
  }
  if (!(profile.secretExpiryDays > 0))
    fail(`profile.secretExpiryDays must be positive, got ${profile.secretExpiryDays}`);
  for (const workload of catalog.workloads) {
    if (!workload.secrets.some((s) => s.source === "azure")) continue;
    if (!catalog.kubernetes.clusters.some((c) => c.name === workload.cluster)) {
      fail(
        `workload ${workload.name} reads azure secrets but its cluster ${workload.cluster} is not declared; its OIDC issuer is needed for the federated credential`,
      );
    }
  }
}
