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

/**
 * Reports an advisory note from a policy of any level: an exemption applied, or a value that
 * can only be judged at `pulumi up`. `@pulumi/policy`'s policy server (1.21, `server.js`
 * `makeReportViolationFun`) takes an object in place of the message and keeps its
 * `enforcementLevel`, and the engine fails a preview only on mandatory diagnostics; the
 * offline gate does the same (`tools/offline/gate.ts`). `test/policy/standalone.test.ts`
 * checks the level survives the real policy server.
 */
export function reportAdvisory(report: ReportViolation, message: string, urn?: string): void {
  (report as unknown as (note: AdvisoryNote) => void)({ message, urn, enforcementLevel: "advisory" });
}

/** The object form of a report: a message with its own enforcement level. */
export interface AdvisoryNote {
  readonly message: string;
  readonly urn?: string;
  readonly enforcementLevel: "advisory";
}
