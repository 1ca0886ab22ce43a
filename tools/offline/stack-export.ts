/**
 * An offline run as `pulumi stack export` prints a stack's state (deployment version 3), so
 * that the real CLI can judge it: `pulumi policy analyze --policy-pack ./policy --file <it>`.
 *
 * Secrets are marked the way the engine's state marks them: only the value that arrived as a
 * secret (the leaf the program wrapped, e.g. `properties.value` of a Key Vault secret, not the
 * whole `properties`) becomes a secret envelope, and its plaintext never leaves this process:
 * the envelope holds "[secret]", exactly what `analyze` shows for a secret it cannot decrypt.
 */
import type { RecordedResource } from "./types";

/** The engine's marker of a secret value in serialized state (sdk/go/common/resource/sig). */
export const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" } as const;

/**
 * A secret's value in the export: withheld, as the string `analyze` substitutes for any secret
 * it cannot decrypt. Stored as a secret with that plaintext (JSON-encoded, as state stores
 * plaintext secrets), so no secrets provider is needed to read the file.
 */
export const WITHHELD = { ...SECRET_SIG, plaintext: JSON.stringify("[secret]") } as const;

/** One `a.b[0].c` path as keys and indexes. */
function segments(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    parts.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  return parts;
}

/** A copy of `value` with the value at each path replaced by a secret envelope. */
export function withSecretEnvelopes(
  value: Record<string, unknown>,
  secretPaths: readonly string[],
): Record<string, unknown> {
  const copy = structuredClone(value);
  for (const path of secretPaths) {
    const parts = segments(path);
    let node: unknown = copy;
    for (const part of parts.slice(0, -1)) {
      node = (node as Record<string | number, unknown> | undefined)?.[part];
      if (typeof node !== "object" || node === null) break;
    }
    const last = parts[parts.length - 1];
    if (typeof node === "object" && node !== null && last !== undefined && last in node)
      (node as Record<string | number, unknown>)[last] = { ...WITHHELD };
  }
  return copy;
}

interface ExportedResource {
  readonly urn: string;
  readonly custom: boolean;
  readonly type: string;
  readonly id?: string;
  readonly parent?: string;
  readonly provider?: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export interface StackExport {
  readonly version: 3;
  readonly deployment: {
    readonly manifest: { readonly time: string; readonly magic: string; readonly version: string };
    readonly resources: readonly ExportedResource[];
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** The state `pulumi up` would leave for these resources, as `pulumi stack export` prints it. */
export function toStackExport(resources: readonly RecordedResource[], time = new Date()): StackExport {
  return {
    version: 3,
    deployment: {
      manifest: { time: time.toISOString(), magic: "", version: "secrets-platform offline preview" },
      resources: resources.map((r) => ({
        urn: r.urn,
        custom: r.custom,
        type: r.type,
        ...(r.custom ? { id: r.id ?? `${r.name}-id` } : {}),
        ...(r.parent ? { parent: r.parent } : {}),
        ...(r.opts.provider ? { provider: r.opts.provider } : {}),
        inputs: withSecretEnvelopes(r.inputs, r.secretPaths),
        // A mock that returns a resource's whole state as one secret leaves no object to mark;
        // the inputs, echoed as outputs, are what the engine would hold for it.
        outputs: withSecretEnvelopes(isObject(r.outputs) ? r.outputs : r.inputs, r.secretPaths),
        ...(r.opts.protect ? { protect: true } : {}),
        ...(r.opts.retainOnDelete ? { retainOnDelete: true } : {}),
        dependencies: r.opts.dependsOn,
        propertyDependencies: r.opts.propertyDependencies,
      })),
    },
  };
}
