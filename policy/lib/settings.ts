/**
 * Settings a policy's config names but the policy does not have. The Pulumi CLI validates a
 * pack's config against each policy's schema as `{ type: object, properties, required }`
 * (pkg/resource/analyzer/config.go), and `@pulumi/policy` 1.21 has no way to add
 * `additionalProperties: false` at that level: a misspelt setting (`exemption` for
 * `exemptions`, `maxRotationDay`) passes the CLI and would be ignored without a word. So each
 * policy of the pack reports such a setting itself, as a violation at its own level, every time
 * it runs, naming the key and the settings it does have.
 *
 * (A config entry for a policy name the pack does not have never reaches any policy: the CLI
 * accepts it and the pack cannot see it. Such a typo can only leave a policy at its defaults,
 * never exempt anything.)
 */
import type {
  ResourceValidation,
  ResourceValidationArgs,
  ReportViolation,
  StackValidation,
  StackValidationArgs,
} from "@pulumi/policy";
import type { PlatformPolicy } from "./policy";

/** The key the engine adds to every policy's config (`@pulumi/policy` server `configure`). */
const ENGINE_KEYS: ReadonlySet<string> = new Set(["enforcementLevel"]);

/** Keys of `config` that are neither settings of the policy's schema nor the engine's. */
export function unknownSettings(policy: PlatformPolicy, config: unknown): string[] {
  if (typeof config !== "object" || config === null) return [];
  const known = new Set(Object.keys(policy.configSchema?.properties ?? {}));
  return Object.keys(config)
    .filter((key) => !known.has(key) && !ENGINE_KEYS.has(key))
    .sort();
}

export function unknownSettingMessage(policy: PlatformPolicy, key: string): string {
  const known = Object.keys(policy.configSchema?.properties ?? {}).sort();
  return `policy config \`${policy.name}.${key}\` is not a setting of this policy, so it is ignored (${
    known.length === 0 ? "it has no settings" : `its settings: ${known.join(", ")}`
  }): fix or remove it.`;
}

function reportUnknown(
  policy: PlatformPolicy,
  args: ResourceValidationArgs | StackValidationArgs,
  report: ReportViolation,
): void {
  for (const key of unknownSettings(policy, args.getConfig())) report(unknownSettingMessage(policy, key));
}

function wrapResource(policy: PlatformPolicy, validation: ResourceValidation): ResourceValidation {
  const wrapped: ResourceValidation = (args, report) => {
    reportUnknown(policy, args, report);
    return validation(args, report);
  };
  // The policy server and the offline gate skip a validator of another type by this property.
  const type = (validation as { __pulumiType?: unknown }).__pulumiType;
  return type === undefined ? wrapped : Object.assign(wrapped, { __pulumiType: type });
}

/** The policy, reporting unknown settings of its config each time it runs (see above). */
export function withSettingsCheck<P extends PlatformPolicy>(policy: P): P {
  if ("validateStack" in policy && policy.validateStack) {
    const validateStack: StackValidation = policy.validateStack;
    return {
      ...policy,
      validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        reportUnknown(policy, args, report);
        return validateStack(args, report);
      },
    };
  }
  if ("validateResource" in policy && policy.validateResource) {
    const v = policy.validateResource;
    return {
      ...policy,
      validateResource: Array.isArray(v) ? v.map((x) => wrapResource(policy, x)) : wrapResource(policy, v),
    };
  }
  return policy;
}
