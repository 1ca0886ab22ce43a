/** AzureSecrets' arguments and the checks that run before any resource is registered. */
import type { EnvironmentProfile } from "../../stacks/profiles";
import type { Catalog } from "../../stacks/schema";

/** Key Vault accepts a soft-delete retention of 7 to 90 days. */
export const SOFT_DELETE_RETENTION_DAYS = { min: 7, max: 90 } as const;

export interface AzureSecretsArgs {
  /** The validated catalog; its `azure` section and the secrets with `source: azure` are used. */
  readonly catalog: Catalog;
  /** The environment's profile: soft-delete retention, secret expiry, protection. */
  readonly profile: EnvironmentProfile;
  /**
   * Instant from which a new secret's expiry is computed (the UTC midnight
   * `secretExpiryDays` later, see stacks/schedule.ts). Defaults to now; it matters only when
   * a secret is created, because the expiry belongs to the version it was set on.
   */
  readonly referenceTime?: Date;
}

/** Throws, naming the offending argument, when the component cannot be built from `args`. */
export function checkAzureSecretsArgs(args: AzureSecretsArgs): void {
  const { catalog, profile } = args;
  const fail = (message: string): never => {
    throw new Error(`AzureSecrets: ${message}`);
  };
  if (!catalog.azure) fail('the catalog has no "azure" section; add one or do not create AzureSecrets');
  if (profile.environment !== catalog.environment) {
    fail(
      `profile is for ${profile.environment} but the catalog is ${catalog.environment}; pass profileFor(catalog.environment)`,
    );
  }
  const { min, max } = SOFT_DELETE_RETENTION_DAYS;
  if (
    !Number.isInteger(profile.recoveryWindowDays) ||
    profile.recoveryWindowDays < min ||
    profile.recoveryWindowDays > max
  ) {
    fail(
      `profile.recoveryWindowDays is ${profile.recoveryWindowDays}; Key Vault soft-delete retention must be a whole number of days from ${min} to ${max}`,
    );
  }
  if (!(profile.secretExpiryDays > 0))
    fail(`profile.secretExpiryDays must be positive, got ${profile.secretExpiryDays}`);
  if (args.referenceTime && !Number.isFinite(args.referenceTime.getTime())) {
    fail("referenceTime is an invalid Date");
  }
  for (const workload of catalog.workloads) {
    if (!workload.secrets.some((s) => s.source === "azure")) continue;
    if (!catalog.kubernetes.clusters.some((c) => c.name === workload.cluster)) {
      fail(
        `workload ${workload.name} reads azure secrets but its cluster ${workload.cluster} is not declared; its OIDC issuer is needed for the federated credential`,
      );
    }
  }
}
