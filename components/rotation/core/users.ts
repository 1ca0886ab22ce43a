/**
 * Alternating users: `<base>` and `<base>_clone` take turns. While one is AWSCURRENT the other's
 * password changes, so the secret always holds a working login. Objects belong to a NOLOGIN
 * group role `<base>_owner` (PostgreSQL) so both users see and alter everything either created.
 */
import { SecretFormatError } from "./secret";

export const CLONE_SUFFIX = "_clone";
export const GROUP_SUFFIX = "_owner";

/** PostgreSQL truncates identifiers at 63 bytes; MySQL 8 user names stop at 32 characters. */
const MAX_USER_LENGTH = { postgresql: 63, mysql: 32 } as const;

export function baseUsername(username: string): string {
  return username.endsWith(CLONE_SUFFIX) ? username.slice(0, -CLONE_SUFFIX.length) : username;
}

export function alternateUsername(username: string): string {
  return username.endsWith(CLONE_SUFFIX) ? baseUsername(username) : `${username}${CLONE_SUFFIX}`;
}

export function groupRoleName(username: string): string {
  return `${baseUsername(username)}${GROUP_SUFFIX}`;
}

/** Refuses a base name whose clone or group name the engine would truncate into a collision. */
export function checkUsernameLength(username: string, kind: keyof typeof MAX_USER_LENGTH): void {
  const base = baseUsername(username);
  const longest = base.length + Math.max(CLONE_SUFFIX.length, GROUP_SUFFIX.length);
  if (longest > MAX_USER_LENGTH[kind]) {
    throw new SecretFormatError(
      `username "${base}" is too long to alternate on ${kind}: "${base}${CLONE_SUFFIX}" must fit in ${MAX_USER_LENGTH[kind]} characters`,
    );
  }
}
