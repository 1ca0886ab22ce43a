/**
 * Exemptions from a mandatory rule: only from the pack's configuration, each naming one thing
 * exactly (a Vault policy, a secret, a principal: no globs, no case folding, no tags or labels
 * the program could set on itself) and saying why. Each exemption applied is reported as an
 * advisory note carrying its reason, one that matches nothing as an advisory note too, and a
 * malformed one is reported as a violation and never applied.
 */
import type { PolicyConfigSchema, ReportViolation } from "@pulumi/policy";
import { reportAdvisory } from "./policy";

type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];

/** What one rule's exemptions name: the config key of the name and how messages describe it. */
export interface ExemptionKind {
  /** The key holding the exact name in each entry (`policy`, `secret`, `principal`). */
  readonly key: string;
  /** How a message describes that name: "an exact policy name". */
  readonly exactName: string;
  /** What an unused exemption failed to match: "privileged grant". */
  readonly matches: string;
}

export interface Exemption {
  /** The exact name, as configured. */
  readonly name: string;
  readonly reason: string;
}

/** The JSON schema of an exemptions setting: `[{ <key>: "<exact name>", reason: "<why>" }]`. */
export function exemptionsSchema(kind: ExemptionKind, description: string): PolicyConfigJSONSchema {
  return {
    type: "array",
    default: [],
    description,
    items: {
      type: "object",
      properties: {
        [kind.key]: { type: "string", minLength: 1, description: `${capitalise(kind.exactName)}.` },
        reason: { type: "string", minLength: 1, description: "Why it is legitimate." },
      },
      required: [kind.key, "reason"],
      additionalProperties: false,
    },
  };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Exemptions as configured, by exact name; a malformed entry is reported and never applied. */
export function readExemptions(
  raw: unknown,
  kind: ExemptionKind,
  report: (message: string) => void,
  setting = "exemptions",
): Map<string, Exemption> {
  const byName = new Map<string, Exemption>();
  if (raw === undefined) return byName;
  if (!Array.isArray(raw)) {
    report(`config \`${setting}\` is not a list: no exemption applies.`);
    return byName;
  }
  raw.forEach((entry: unknown, i) => {
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    const name = e[kind.key];
    const reason = e.reason;
    if (typeof name === "string" && name.trim() !== "" && typeof reason === "string" && reason.trim() !== "")
      byName.set(name, { name, reason: reason.trim() });
    else
      report(
        `config ${setting}[${i}] is ignored: it needs \`${kind.key}\` (${kind.exactName}) and a non-empty \`reason\`.`,
      );
  });
  return byName;
}

/** The advisory note of an exemption applied: what it allows, then the configured reason. */
export const exemptNote = (e: Exemption, what: string): string =>
  `${what}. Exempt by configuration (exemption ${JSON.stringify(e.name)}): ${e.reason}`;

/** The advisory note of an exemption that matched nothing in the stack. */
export const unusedNote = (name: string, kind: ExemptionKind): string =>
  `exemption ${JSON.stringify(name)} matched no ${kind.matches} in this stack: remove it, or check the name (an exemption matches ${kind.exactName.replace(/^an? /, "the ")}).`;

/** Where a rule reads its exemptions: the raw config value, what they name, the setting's key. */
export interface ExemptionSetting {
  readonly raw: unknown;
  readonly kind: ExemptionKind;
  readonly setting: string;
}

/**
 * Judges one grant that only an exemption can allow: `what` as an advisory note with the
 * configured reason when the setting names `name` exactly, else `what` + `refusal` as a
 * violation. Malformed entries of the setting are reported as violations either way.
 */
export function reportUnlessExempt(
  report: ReportViolation,
  exemptions: ExemptionSetting,
  name: string,
  what: string,
  refusal: string,
): void {
  const exemption = readExemptions(exemptions.raw, exemptions.kind, (m) => report(m), exemptions.setting).get(
    name,
  );
  if (exemption) reportAdvisory(report, exemptNote(exemption, what));
  else report(`${what}${refusal}`);
}
