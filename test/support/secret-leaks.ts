/**
 * Finds known secret values outside Pulumi secrets and in errors: the markers that tests and
 * the offline runtime put where a secret would be, plus any value a test names.
 */
import { MOCK_SECRET_MARKER } from "../../tools/offline/mocks/random";
import type { RecordedResource } from "../../tools/offline/types";

/**
 * Every marker a secret stand-in starts with. test/unit/secret-markers.test.ts fails when a
 * test, tool or stack file uses a stand-in this list does not know.
 */
export const SECRET_MARKERS = [
  // tools/offline/stack-config.ts: each `secure:` config value in an offline run
  "offline-placeholder-for-",
  // tools/offline/mocks/random.ts: every RandomPassword/RandomString result under mocks
  MOCK_SECRET_MARKER,
  // test/support/offline.ts: the config secrets of `loadedStackFor`
  "test-placeholder-for-",
  // Pulumi.<stack>.yaml: the `secure:` values shipped for people to replace
  "REPLACE-ME-with-pulumi-config-set-secret-",
  // test/engine/policy-validate-config.test.ts: the Pulumi access token of the stand-in service
  "pul-stand-in-token-for-tests",
  // test/engine/state-backend.test.ts: the AWS keys moto is given
  "sp-test-dummy",
] as const;

/** Calls `visit` with the path of every string below `value`, errors' message and stack included. */
function walkStrings(
  value: unknown,
  at: string,
  visit: (text: string, path: string) => void,
  seen = new WeakSet<object>(),
): void {
  const join = (key: string) => (at ? `${at}.${key}` : key);
  if (typeof value === "string") {
    visit(value, at);
  } else if (typeof value === "object" && value !== null && !seen.has(value)) {
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((v, i) => walkStrings(v, `${at}[${i}]`, visit, seen));
      return;
    }
    if (value instanceof Error) {
      // Not enumerable, and where a logged error shows its text.
      for (const key of ["name", "message", "stack", "cause"] as const)
        walkStrings((value as unknown as Record<string, unknown>)[key], join(key), visit, seen);
    }
    for (const [k, v] of Object.entries(value)) walkStrings(v, join(k), visit, seen);
  }
}

/** Paths of string inputs that carry a known secret marker outside a Pulumi secret. */
export function leakedSecretPaths(resource: RecordedResource): string[] {
  const leaks: string[] = [];
  const covered = (p: string) =>
    resource.secretPaths.some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
  walkStrings(resource.inputs, "", (text, p) => {
    if (SECRET_MARKERS.some((m) => text.includes(m)) && !covered(p)) leaks.push(p);
  });
  return leaks;
}

/**
 * Paths below `value` (an error: its name, message, stack, cause and every enumerable
 * property, recursively) whose text holds one of `secrets` or a known marker.
 */
export function secretsIn(value: unknown, secrets: readonly string[]): string[] {
  const needles = [...secrets, ...SECRET_MARKERS];
  if (needles.some((s) => s.length < 8))
    throw new Error("a secret to look for must have 8 characters or more");
  const leaks: string[] = [];
  walkStrings(value, "", (text, p) => {
    if (needles.some((s) => text.includes(s))) leaks.push(p);
  });
  return leaks;
}
