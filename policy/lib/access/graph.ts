/**
 * The resource graph as a stack policy reads it to derive who can read which secret: indexed
 * by type once, with props read so that a value unknown during preview never decides anything.
 */
import { UnknownValueError, type PolicyResource } from "@pulumi/policy";

export class AccessGraph {
  private readonly byType = new Map<string, PolicyResource[]>();
  /** The first value found unknown: the policy rethrows it at the end (the engine's advisory). */
  unknown?: UnknownValueError;

  constructor(resources: readonly PolicyResource[]) {
    for (const r of resources) {
      const list = this.byType.get(r.type);
      if (list) list.push(r);
      else this.byType.set(r.type, [r]);
    }
  }

  ofType(type: string): readonly PolicyResource[] {
    return this.byType.get(type) ?? [];
  }

  /**
   * A prop with every nested value known (plain JSON), or undefined when absent or when any
   * part of it is unknown during preview; the first unknown is kept for the policy to report.
   */
  read(resource: PolicyResource, key: string): unknown {
    try {
      return plain(resource.props[key]);
    } catch (e) {
      if (!(e instanceof UnknownValueError)) throw e;
      this.unknown ??= e;
      return undefined;
    }
  }

  /** A string prop, or undefined (absent, unknown, or not a string). */
  text(resource: PolicyResource, key: string): string | undefined {
    const value = this.read(resource, key);
    return typeof value === "string" ? value : undefined;
  }

  /** A map prop such as `tags`/`labels`, or an empty map. */
  record(resource: PolicyResource, key: string): Readonly<Record<string, unknown>> {
    const value = this.read(resource, key);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  }
}

/** A deep copy through the unknown-checking proxy: touching every leaf surfaces any unknown now. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const globs = new Map<string, RegExp>();

/** IAM-style wildcard match (`*`, `?`), case-sensitive as ARNs are. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? "i" : "s"}${pattern}`;
  let re = globs.get(key);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, ignoreCase ? "i" : "");
    globs.set(key, re);
  }
  return re.test(value);
}

export const hasWildcard = (pattern: string) => /[*?]/.test(pattern);

/** Adds `values` to the set under `key` (multimaps: role → secrets, principal → scopes). */
export function addAll<K, V>(map: Map<K, Set<V>>, key: K, ...values: V[]): void {
  const set = map.get(key);
  if (set) for (const v of values) set.add(v);
  else map.set(key, new Set(values));
}
