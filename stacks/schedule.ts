/**
 * Times the clouds need as absolute values (GCP `nextRotationTime`, Azure secret `expires`),
 * derived so that every run on the same UTC day computes the same instant.
 *
 * A value read straight from the wall clock would differ on every run, and every preview
 * would show a diff. Instead the instant is the first UTC midnight at least `leadDays` after
 * the reference time: identical for a whole day of previews, and always `leadDays` or a little
 * more in the future when the resource is created. Components also mark these inputs
 * `ignoreChanges`, because after creation the cloud owns them (Secret Manager advances
 * `nextRotationTime` itself; a Key Vault secret's expiry belongs to the version it was set on),
 * so a later day's value never turns into an update.
 */
const DAY_MS = 86_400_000;

export function utcMidnightAfter(referenceTime: Date, leadDays: number): Date {
  if (!Number.isFinite(referenceTime.getTime())) {
    throw new Error("utcMidnightAfter: referenceTime is not a valid date");
  }
  if (!(leadDays > 0)) throw new Error(`utcMidnightAfter: leadDays must be positive, got ${leadDays}`);
  return new Date(Math.ceil((referenceTime.getTime() + leadDays * DAY_MS) / DAY_MS) * DAY_MS);
}
