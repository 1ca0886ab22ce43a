/**
 * Engine-agnostic database rotation core shared by the AWS, GCP and Azure rotation functions.
 */
import type { DatabaseEngine, TlsMode } from "./engine";
import { MysqlEngine } from "./mysql";
import { PostgresEngine } from "./postgres";
import type { DatabaseSecret, EngineKind } from "./secret";
import { alternateUsername } from "./users";

export type { AdminLogin, DatabaseEngine, TlsMode } from "./engine";
export {
  parseDatabaseSecret,
  serializeDatabaseSecret,
  SecretFormatError,
  type DatabaseSecret,
} from "./secret";
export { alternateUsername, baseUsername, groupRoleName } from "./users";

export function engineFor(kind: EngineKind, tls: TlsMode): DatabaseEngine {
  return kind === "postgresql" ? new PostgresEngine(tls) : new MysqlEngine(tls);
}

/** The next credential: the other user of the pair, with a fresh password. */
export function nextCredential(current: DatabaseSecret, password: string): DatabaseSecret {
  return { ...current, username: alternateUsername(current.username), password };
}

/**
 * Refuses a pending secret that points somewhere else than the current one: whoever can write
 * a pending version must not be able to send the admin password to another host.
 */
export function checkSameDatabase(current: DatabaseSecret, pending: DatabaseSecret): void {
  for (const key of ["kind", "host", "port", "dbname", "masterarn"] as const) {
    if (current[key] !== pending[key]) {
      throw new Error(
        `pending secret changes "${key}" from the current one; rotation only changes username and password`,
      );
    }
  }
  // Changing the current user's password would break every client holding the current secret.
  if (pending.username !== alternateUsername(current.username)) {
    throw new Error(
      `pending username "${pending.username}" is not the alternate of the current user "${current.username}"`,
    );
  }
}

/** Admin logins must target the same server as the rotated secret. */
export function checkAdminTarget(secret: DatabaseSecret, admin: DatabaseSecret): void {
  if (admin.host !== secret.host || admin.port !== secret.port || admin.kind !== secret.kind) {
    throw new Error(
      "admin secret is for another server (engine, host or port differ from the rotated secret)",
    );
  }
}
