/**
 * What the offline runtime records for each registered resource, and what the policy gate
 * reports. Shared by the preview, the policy gate, the tests and the benchmarks.
 */

export interface RecordedResource {
  readonly urn: string;
  /** Type token, e.g. `aws:secretsmanager/secret:Secret`, `kubernetes:external-secrets.io/v1:ExternalSecret`. */
  readonly type: string;
  readonly name: string;
  /** False for ComponentResources (and the root stack). */
  readonly custom: boolean;
  /** URN of the parent resource; undefined only for the root stack. */
  readonly parent?: string;
  /** Inputs as the engine sees them with secrets unwrapped (what policies evaluate). */
  readonly inputs: Record<string, unknown>;
  /** Inputs with secrets replaced by the string "[secret]" (what reports and --json print). */
  readonly displayInputs: Record<string, unknown>;
  /** Dotted paths of inputs that arrived as Pulumi secrets, e.g. `secretString`, `data.password`. */
  readonly secretPaths: readonly string[];
  /** Mock outputs (inputs plus the computed ids, ARNs and names). */
  readonly outputs: Record<string, unknown>;
  readonly id?: string;
  /** Resource options, named as in `@pulumi/policy`'s `PolicyResourceOptions`. */
  readonly opts: {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly dependsOn: readonly string[];
    /** Input property paths whose changes the engine ignores (old values kept). */
    readonly ignoreChanges?: readonly string[];
    readonly deleteBeforeReplace?: boolean;
    /** Input property → URNs it depends on. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly provider?: string;
  };
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyViolation {
  readonly policyName: string;
  readonly enforcementLevel: EnforcementLevel;
  /** Undefined for stack-policy violations that concern the stack as a whole. */
  readonly urn?: string;
  readonly message: string;
}
