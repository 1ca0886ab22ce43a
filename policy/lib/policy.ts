/** What every policy of this pack declares, and validators for resources without an SDK class. */
import type {
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  ReportViolation,
  StackValidationPolicy,
} from "@pulumi/policy";

type Documented = "description" | "severity" | "remediationSteps" | "enforcementLevel" | "framework";

/** A resource policy of this pack: documentation, severity, level and framework are required. */
export type PlatformResourcePolicy = ResourceValidationPolicy &
  Required<Pick<ResourceValidationPolicy, Documented>>;
export type PlatformStackPolicy = StackValidationPolicy & Required<Pick<StackValidationPolicy, Documented>>;
export type PlatformPolicy = PlatformResourcePolicy | PlatformStackPolicy;

/**
 * A validator for one type token, for resources the SDKs have no class for (Kubernetes
 * custom resources such as `kubernetes:external-secrets.io/v1:ExternalSecret`). Carries
 * `__pulumiType` like `validateResourceOfType`'s validators, so the engine and the gate skip
 * it for other types without calling it.
 */
export function validateResourceOfToken(
  type: string,
  validate: (
    props: Record<string, unknown>,
    args: ResourceValidationArgs,
    report: ReportViolation,
  ) => Promise<void> | void,
): ResourceValidation {
  const fn: ResourceValidation = (args, report) => {
    if (args.type === type) return validate(args.props, args, report);
  };
  return Object.assign(fn, { __pulumiType: type });
}

/** The pack's level for a policy that declares none (all of ours declare one). */
export const PACK_ENFORCEMENT_LEVEL = "mandatory" as const;

/**
 * The type token of an SDK resource class (`aws:kms/key:Key`), read where the SDKs keep it
 * (`__pulumiType`, the same property `validateResourceOfType` reads).
 */
export function typeToken(resourceClass: object): string {
  const token = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token !== "string") throw new Error("not a Pulumi SDK resource class: it has no __pulumiType");
  return token;
}
