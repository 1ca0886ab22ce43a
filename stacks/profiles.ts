/**
 * Per-environment profiles: every TTL, rotation schedule, retention window and refresh rule
 * the components use. Components read these, never literals, so an environment's security
 * posture is reviewable in one place and the table in docs/rotation.md is generated from it.
 *
 * Where the policy pack sets a limit, the profile takes the limit itself from the pack
 * (`policy/lib/thresholds.ts`, the one source of those numbers): the program cannot drift
 * from what the pack enforces, and the pack imports nothing from the program.
 */
import { THRESHOLDS } from "../policy/lib/thresholds";
import type { Environment } from "./schema";

const HOUR = 3600;

export interface EnvironmentProfile {
  readonly environment: Environment;
  /** Vault dynamic database credentials. */
  readonly dynamicCredential: { readonly ttlSeconds: number; readonly maxTtlSeconds: number };
  /** Static credentials (Vault static roles, cloud secrets rotated by our function). */
  readonly staticRotation: {
    /** How often a static credential is rotated. */
    readonly periodDays: number;
    /** Vault static-role `rotation_schedule` (cron, UTC). */
    readonly vaultSchedule: string;
    /** Seconds after the scheduled time within which Vault may rotate (`rotation_window`). */
    readonly windowSeconds: number;
    /** Secrets Manager `rotationRules.scheduleExpression`. */
    readonly awsScheduleExpression: string;
    /** Secrets Manager `rotationRules.duration`: the window a rotation may run in. */
    readonly awsWindow: string;
  };
  /** Upper bound any rotation may be slower than; the policy pack enforces it. */
  readonly maxRotationDays: number;
  /** Days a deleted secret stays recoverable (AWS recovery window, Azure soft delete). */
  readonly recoveryWindowDays: number;
  /** Customer-managed key rotation period. */
  readonly keyRotationDays: number;
  /** Azure Key Vault secret expiry, GCP secret rotation period. */
  readonly secretExpiryDays: number;
  readonly eso: {
    /** Refresh dynamic credentials after at most this fraction of their TTL. */
    readonly dynamicRefreshFraction: number;
    /** No ExternalSecret refreshes less often than this. */
    readonly maxRefreshSeconds: number;
    /** Keep the Kubernetes Secret when its ExternalSecret is deleted. */
    readonly deletionPolicy: "Retain" | "Delete";
  };
  readonly vault: {
    readonly replicas: number;
    readonly ui: boolean;
    /** Token TTL for workload Kubernetes-auth logins. */
    readonly workloadTokenTtlSeconds: number;
    readonly breakGlassTokenTtlSeconds: number;
    /**
     * Token TTL of the read-only CI logins (pull-request previews, drift checks): long enough
     * for one `pulumi preview --refresh` of the stack, no more.
     */
    readonly ciReadTokenTtlSeconds: number;
    readonly approleSecretIdTtlSeconds: number;
    readonly approleSecretIdUses: number;
    readonly kvMaxVersions: number;
    /** Raft snapshots of the deployed cluster (catalog `vault.snapshots` says where). */
    readonly snapshots: {
      /** CronJob schedule (cron, the cluster's time zone: UTC on EKS, GKE and AKS). */
      readonly schedule: string;
      /** Days a snapshot is kept before the bucket's lifecycle rule deletes it. */
      readonly retentionDays: number;
    };
  };
  /** Pulumi `protect` on keys, secrets and vaults: deleting them needs a deliberate unprotect. */
  readonly protect: boolean;
  /** GCP secrets: deletion protection. */
  readonly deletionProtection: boolean;
}

export const PROFILES: Readonly<Record<Environment, EnvironmentProfile>> = {
  dev: {
    environment: "dev",
    dynamicCredential: {
      ttlSeconds: THRESHOLDS.dev.dynamicCredentialTtlSeconds,
      maxTtlSeconds: THRESHOLDS.dev.dynamicCredentialMaxTtlSeconds,
    },
    staticRotation: {
      periodDays: 30,
      vaultSchedule: "0 3 * * *",
      windowSeconds: 4 * HOUR,
      awsScheduleExpression: "rate(30 days)",
      awsWindow: "4h",
    },
    maxRotationDays: THRESHOLDS.dev.maxRotationDays,
    recoveryWindowDays: THRESHOLDS.dev.recoveryWindowDays,
    keyRotationDays: THRESHOLDS.dev.keyRotationDays,
    secretExpiryDays: THRESHOLDS.dev.secretExpiryDays,
    eso: {
      dynamicRefreshFraction: 2 / 3,
      maxRefreshSeconds: THRESHOLDS.dev.maxRefreshSeconds,
      deletionPolicy: "Delete",
    },
    vault: {
      replicas: 1,
      ui: true,
      workloadTokenTtlSeconds: 1 * HOUR,
      breakGlassTokenTtlSeconds: 1 * HOUR,
      ciReadTokenTtlSeconds: 15 * 60,
      approleSecretIdTtlSeconds: 24 * HOUR,
      approleSecretIdUses: 10,
      kvMaxVersions: 5,
      snapshots: { schedule: "0 3 * * *", retentionDays: 7 },
    },
    protect: THRESHOLDS.dev.protect,
    deletionProtection: false,
  },
  staging: {
    environment: "staging",
    dynamicCredential: {
      ttlSeconds: THRESHOLDS.staging.dynamicCredentialTtlSeconds,
      maxTtlSeconds: THRESHOLDS.staging.dynamicCredentialMaxTtlSeconds,
    },
    staticRotation: {
      periodDays: 14,
      vaultSchedule: "0 3 * * 1",
      windowSeconds: 2 * HOUR,
      awsScheduleExpression: "rate(14 days)",
      awsWindow: "3h",
    },
    maxRotationDays: THRESHOLDS.staging.maxRotationDays,
    recoveryWindowDays: THRESHOLDS.staging.recoveryWindowDays,
    keyRotationDays: THRESHOLDS.staging.keyRotationDays,
    secretExpiryDays: THRESHOLDS.staging.secretExpiryDays,
    eso: {
      dynamicRefreshFraction: 2 / 3,
      maxRefreshSeconds: THRESHOLDS.staging.maxRefreshSeconds,
      deletionPolicy: "Delete",
    },
    vault: {
      replicas: 3,
      ui: true,
      workloadTokenTtlSeconds: 30 * 60,
      breakGlassTokenTtlSeconds: 30 * 60,
      ciReadTokenTtlSeconds: 15 * 60,
      approleSecretIdTtlSeconds: 4 * HOUR,
      approleSecretIdUses: 5,
      kvMaxVersions: 10,
      snapshots: { schedule: "0 */6 * * *", retentionDays: 14 },
    },
    protect: THRESHOLDS.staging.protect,
    deletionProtection: true,
  },
  prod: {
    environment: "prod",
    dynamicCredential: {
      ttlSeconds: THRESHOLDS.prod.dynamicCredentialTtlSeconds,
      maxTtlSeconds: THRESHOLDS.prod.dynamicCredentialMaxTtlSeconds,
    },
    staticRotation: {
      periodDays: 7,
      vaultSchedule: "0 3 * * 0",
      windowSeconds: 1 * HOUR,
      awsScheduleExpression: "rate(7 days)",
      awsWindow: "2h",
    },
    maxRotationDays: THRESHOLDS.prod.maxRotationDays,
    recoveryWindowDays: THRESHOLDS.prod.recoveryWindowDays,
    keyRotationDays: THRESHOLDS.prod.keyRotationDays,
    secretExpiryDays: THRESHOLDS.prod.secretExpiryDays,
    eso: {
      dynamicRefreshFraction: 2 / 3,
      maxRefreshSeconds: THRESHOLDS.prod.maxRefreshSeconds,
      deletionPolicy: "Retain",
    },
    vault: {
      replicas: 5,
      ui: false,
      workloadTokenTtlSeconds: 15 * 60,
      breakGlassTokenTtlSeconds: 15 * 60,
      ciReadTokenTtlSeconds: 15 * 60,
      approleSecretIdTtlSeconds: 1 * HOUR,
      approleSecretIdUses: 1,
      kvMaxVersions: 20,
      snapshots: { schedule: "0 * * * *", retentionDays: 35 },
    },
    protect: THRESHOLDS.prod.protect,
    deletionProtection: true,
  },
};

export function profileFor(environment: Environment): EnvironmentProfile {
  return PROFILES[environment];
}

/**
 * Each environment must be at least as strict as the one before it (dev → staging → prod).
 * Returns the violated rules; `validate.ts` refuses to run when there are any, so an edit
 * that weakens prod below dev cannot ship.
 */
export function profileOrderingViolations(
  profiles: Readonly<Record<Environment, EnvironmentProfile>> = PROFILES,
): string[] {
  const order: Environment[] = ["dev", "staging", "prod"];
  const rules: Array<[string, (p: EnvironmentProfile) => number, "lower" | "higher"]> = [
    ["dynamicCredential.ttlSeconds", (p) => p.dynamicCredential.ttlSeconds, "lower"],
    ["dynamicCredential.maxTtlSeconds", (p) => p.dynamicCredential.maxTtlSeconds, "lower"],
    ["staticRotation.periodDays", (p) => p.staticRotation.periodDays, "lower"],
    ["maxRotationDays", (p) => p.maxRotationDays, "lower"],
    ["keyRotationDays", (p) => p.keyRotationDays, "lower"],
    ["secretExpiryDays", (p) => p.secretExpiryDays, "lower"],
    ["eso.maxRefreshSeconds", (p) => p.eso.maxRefreshSeconds, "lower"],
    ["vault.workloadTokenTtlSeconds", (p) => p.vault.workloadTokenTtlSeconds, "lower"],
    ["vault.breakGlassTokenTtlSeconds", (p) => p.vault.breakGlassTokenTtlSeconds, "lower"],
    ["vault.ciReadTokenTtlSeconds", (p) => p.vault.ciReadTokenTtlSeconds, "lower"],
    ["vault.approleSecretIdTtlSeconds", (p) => p.vault.approleSecretIdTtlSeconds, "lower"],
    ["vault.approleSecretIdUses", (p) => p.vault.approleSecretIdUses, "lower"],
    ["recoveryWindowDays", (p) => p.recoveryWindowDays, "higher"],
    ["vault.snapshots.retentionDays", (p) => p.vault.snapshots.retentionDays, "higher"],
    ["vault.replicas", (p) => p.vault.replicas, "higher"],
  ];
  const violations: string[] = [];
  for (const env of Object.keys(profiles) as Environment[]) {
    const p = profiles[env];
    if (p.dynamicCredential.ttlSeconds > p.dynamicCredential.maxTtlSeconds) {
      violations.push(`${env}: dynamicCredential.ttlSeconds exceeds maxTtlSeconds`);
    }
    if (p.staticRotation.periodDays > p.maxRotationDays) {
      violations.push(`${env}: staticRotation.periodDays exceeds maxRotationDays`);
    }
    if (p.eso.dynamicRefreshFraction <= 0 || p.eso.dynamicRefreshFraction > 2 / 3) {
      violations.push(`${env}: eso.dynamicRefreshFraction must be in (0, 2/3]`);
    }
    if (p.vault.replicas < THRESHOLDS[env].vaultMinReplicas) {
      violations.push(
        `${env}: vault.replicas is below the policy pack's minimum of ${THRESHOLDS[env].vaultMinReplicas}`,
      );
    }
  }
  if (profiles.prod.vault.replicas < 3) violations.push("prod: vault.replicas must be at least 3");
  if (profiles.prod.vault.ui) violations.push("prod: vault.ui must be off");
  if (!profiles.prod.protect) violations.push("prod: protect must be on");
  for (let i = 1; i < order.length; i++) {
    const [looser, stricter] = [profiles[order[i - 1]], profiles[order[i]]];
    for (const [key, get, direction] of rules) {
      const ok = direction === "lower" ? get(stricter) <= get(looser) : get(stricter) >= get(looser);
      if (!ok) violations.push(`${stricter.environment}.${key} is looser than ${looser.environment}.${key}`);
    }
  }
  return violations;
}
