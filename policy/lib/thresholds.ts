/**
 * The pack's per-environment limits: the defaults of every threshold in the policies'
 * `configSchema`s, by environment. This module is their one source of truth: the pack reads
 * nothing outside `policy/`, and a program that wants to sit within the limits (ours does, in
 * `stacks/profiles.ts`) imports them from here — never the reverse.
 *
 * Loosening a value here loosens the pack for every program it is attached to; a single
 * stack that needs another value sets it in its policy config instead.
 */

/** The environments the pack knows; an unrecognised stack is held to the strictest, `prod`. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface EnvironmentThresholds {
  /** Longest default TTL of a Vault dynamic database credential, in seconds. */
  readonly dynamicCredentialTtlSeconds: number;
  /** Longest max TTL of a Vault dynamic database credential, in seconds. */
  readonly dynamicCredentialMaxTtlSeconds: number;
  /** Slowest rotation of a Secrets Manager secret, in days. */
  readonly maxRotationDays: number;
  /** Shortest time a deleted secret stays recoverable (AWS recovery window, Azure soft delete), in days. */
  readonly recoveryWindowDays: number;
  /** Longest rotation period of a customer-managed key, in days. */
  readonly keyRotationDays: number;
  /** Longest Azure Key Vault secret expiry and GCP secret rotation period, in days. */
  readonly secretExpiryDays: number;
  /** Longest refresh interval of an ExternalSecret, in seconds. */
  readonly maxRefreshSeconds: number;
  /** Fewest Vault server replicas (raft voters). */
  readonly vaultMinReplicas: number;
  /** Keys, secrets and key vaults need Pulumi's `protect` option. */
  readonly protect: boolean;
  /** GCP secrets need a customer-managed key (CMEK). */
  readonly customerManagedKeys: boolean;
  /** GCP secrets need a rotation topic and period. */
  readonly gcpRotation: boolean;
}

const HOUR = 3600;

export const THRESHOLDS: Readonly<Record<Environment, EnvironmentThresholds>> = {
  dev: {
    dynamicCredentialTtlSeconds: 8 * HOUR,
    dynamicCredentialMaxTtlSeconds: 24 * HOUR,
    maxRotationDays: 90,
    recoveryWindowDays: 7,
    keyRotationDays: 365,
    secretExpiryDays: 180,
    maxRefreshSeconds: 24 * HOUR,
    vaultMinReplicas: 1,
    protect: false,
    customerManagedKeys: false,
    gcpRotation: false,
  },
  staging: {
    dynamicCredentialTtlSeconds: 4 * HOUR,
    dynamicCredentialMaxTtlSeconds: 12 * HOUR,
    maxRotationDays: 30,
    recoveryWindowDays: 14,
    keyRotationDays: 180,
    secretExpiryDays: 90,
    maxRefreshSeconds: 6 * HOUR,
    vaultMinReplicas: 3,
    protect: false,
    customerManagedKeys: false,
    gcpRotation: false,
  },
  prod: {
    dynamicCredentialTtlSeconds: 1 * HOUR,
    dynamicCredentialMaxTtlSeconds: 4 * HOUR,
    maxRotationDays: 7,
    recoveryWindowDays: 30,
    keyRotationDays: 90,
    secretExpiryDays: 30,
    maxRefreshSeconds: 1 * HOUR,
    vaultMinReplicas: 3,
    protect: true,
    customerManagedKeys: true,
    gcpRotation: true,
  },
};

/** What an unrecognised stack is held to. */
export const FALLBACK_ENVIRONMENT: Environment = "prod";

export const isEnvironment = (value: unknown): value is Environment =>
  (ENVIRONMENTS as readonly unknown[]).includes(value);
