/** Finds known secret values (offline placeholders, mock random results) outside Pulumi secrets. */
import { MOCK_SECRET_MARKER } from "../../tools/offline/mocks/random";
import type { RecordedResource } from "../../tools/offline/types";

const SECRET_MARKERS = ["offline-placeholder-for-", MOCK_SECRET_MARKER];

/** Paths of string inputs that carry a known secret value outside a Pulumi secret. */
export function leakedSecretPaths(resource: RecordedResource): string[] {
  const leaks: string[] = [];
  const covered = (p: string) =>
    resource.secretPaths.some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
  const walk = (value: unknown, p: string) => {
    if (typeof value === "string") {
      if (SECRET_MARKERS.some((m) => value.includes(m)) && !covered(p)) leaks.push(p);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${p}[${i}]`));
    } else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, p ? `${p}.${k}` : k);
    }
  };
  walk(resource.inputs, "");
  return leaks;
}
