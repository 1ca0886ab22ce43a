/** Small readers for resource inputs, which arrive as plain JSON (possibly behind the unknown-checking proxy). */

export function asArray<T>(value: T | readonly T[] | undefined | null): readonly T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a dotted path (`server.ha.raft.enabled`) from nested records; undefined when any step is missing. */
export function atPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * What `pulumi policy analyze` puts in place of a secret it cannot decrypt (whatever the
 * value's type). A rule that needs a value inside a redacted secret cannot decide; mandatory
 * rules then fail with `redactedMessage` rather than pass on what they could not see.
 */
export const REDACTED = "[secret]";

export function isRedacted(value: unknown): boolean {
  return value === REDACTED;
}

export function redactedMessage(field: string, needed: string): string {
  return `${field} is a secret this analysis cannot decrypt ("${REDACTED}"), so ${needed} cannot be verified; mark only the sensitive value secret, or analyze with the stack's secrets provider.`;
}
