/**
 * Version-stage bookkeeping for Secrets Manager rotation. Every step reads the stages first and
 * refuses a state it does not expect, with a message saying what is wrong and how to fix it,
 * instead of guessing and rotating a credential nobody can use.
 */
export const AWSCURRENT = "AWSCURRENT";
export const AWSPENDING = "AWSPENDING";
export const AWSPREVIOUS = "AWSPREVIOUS";

export type VersionStages = Readonly<Record<string, readonly string[]>>;

export class RotationStateError extends Error {
  override readonly name = "RotationStateError";
}

export function versionWith(stages: VersionStages, stage: string): string | undefined {
  const holders = Object.keys(stages).filter((v) => stages[v].includes(stage));
  if (holders.length > 1)
    throw new RotationStateError(`${stage} is on several versions (${holders.join(", ")})`);
  return holders[0];
}

/**
 * "current" when the token's version is already AWSCURRENT (the rotation finished: nothing to
 * do), "pending" when it is the version being rotated. Anything else is refused.
 */
export function tokenState(stages: VersionStages, token: string, secretId: string): "current" | "pending" {
  const where = `secret ${secretId}, version ${token}`;
  const own = stages[token];
  if (!own)
    throw new RotationStateError(`${where}: the version has no stage; start the rotation with RotateSecret`);
  const current = versionWith(stages, AWSCURRENT);
  if (current === undefined) throw new RotationStateError(`${where}: no version is AWSCURRENT`);
  if (own.includes(AWSCURRENT)) return "current";
  if (!own.includes(AWSPENDING)) {
    throw new RotationStateError(
      `${where}: the version is neither AWSPENDING nor AWSCURRENT (stages: ${own.join(", ") || "none"})`,
    );
  }
  const stale = Object.keys(stages).filter((v) => v !== token && stages[v].includes(AWSPENDING));
  if (stale.length > 0) {
    throw new RotationStateError(
      `${where}: AWSPENDING is also on version ${stale.join(", ")}: another rotation is running or one was abandoned; ` +
        "remove AWSPENDING from the stale version (UpdateSecretVersionStage) and rotate again",
    );
  }
  return "pending";
}

/** Stage names only: safe to log. */
export function describeStages(stages: VersionStages): string {
  return Object.entries(stages)
    .map(([v, s]) => `${v}=[${s.join(",")}]`)
    .join(" ");
}
