/**
 * One rotation for secret stores that only append versions (GCP Secret Manager, Azure Key
 * Vault): there is no pending stage to park the next credential in, so the whole rotation runs
 * in one invocation. The alternate user's password changes and is proven by a login before the
 * new version is published; until then the store's latest version still holds the current
 * user, whose password this never touches. A crash before publishing leaves the store as it
 * was, and the retry simply sets the alternate password again.
 */
import { randomBytes } from "node:crypto";
import { checkAdminTarget, engineFor, nextCredential } from "./index";
import type { TlsMode } from "./engine";
import type { DatabaseSecret } from "./secret";

/** 32 characters of [A-Za-z0-9_-]: nothing that needs quoting in SQL, URLs or shells. */
export function generatePassword(): string {
  return randomBytes(24).toString("base64url");
}

export interface AlternateRotation {
  /** Names the rotated secret in errors and logs (never its value). */
  readonly what: string;
  /** The credential in the store's latest version. */
  readonly current: DatabaseSecret;
  readonly tls: TlsMode;
  /** Reads the admin login named by the secret's `masterarn`. */
  readonly readAdmin: (reference: string) => Promise<DatabaseSecret>;
  /** Appends the new credential as the store's latest version. */
  readonly publish: (next: DatabaseSecret) => Promise<void>;
}

/** Returns the published credential (the alternate user). */
export async function rotateToAlternate(rotation: AlternateRotation): Promise<DatabaseSecret> {
  const { current } = rotation;
  if (!current.masterarn) {
    throw new Error(
      `${rotation.what} has no "masterarn": alternating users needs an admin secret to create users`,
    );
  }
  const admin = await rotation.readAdmin(current.masterarn);
  checkAdminTarget(current, admin);
  const next = nextCredential(current, generatePassword());
  const engine = engineFor(current.kind, rotation.tls);
  await engine.setPending(admin, current, next);
  await engine.test(next);
  await rotation.publish(next);
  return next;
}
