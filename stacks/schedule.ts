/**
 * Times the clouds need as absolute values (GCP `nextRotationTime`, Azure secret `expires`),
 * derived so that every run within one period computes the same instant.
 *
 * A value read from the wall clock would change on every run and every preview would show a
 * diff. Instead the instant is the first boundary of a grid of whole periods counted from the
 * Unix epoch that lies at least `minimumLeadMs` ahead: stable for a whole period, always in
 * the future when the resource is created. Components also mark these inputs
 * `ignoreChanges`, because after creation the cloud owns them (Secret Manager advances
 * `nextRotationTime` itself; a Key Vault secret's expiry belongs to the version it was set on).
 */
const DAY_MS = 86_400_000;

export function periodBoundary(referenceTime: Date, periodDays: number, minimumLeadMs: number): Date {
  if (!Number.isFinite(referenceTime.getTime()))
    throw new Error("periodBoundary: referenceTime is not a valid date");
  if (!(periodDays > 0)) throw new Error(`periodBoundary: periodDays must be positive, got ${periodDays}`);
  const period = periodDays * DAY_MS;
  return new Date(Math.ceil((referenceTime.getTime() + minimumLeadMs) / period) * period);
}

export function days(n: number): number {
  return n * DAY_MS;
}
