/**
 * The policy gate: evaluates the pack on recorded resources the way the policy engine does,
 * for the offline preview (no Pulumi CLI). It lives with the tools and imports the pack; the
 * pack (`policy/`) imports nothing from here. Resource policies see each resource's inputs
 * behind `@pulumi/policy`'s `unknownCheckingProxy`, validators typed for another resource
 * type are skipped, and stack policies see the whole graph with parents and dependencies.
 */
import {
  unknownCheckingProxy,
  UnknownValueError,
  type EnforcementLevel,
  type PolicyResource,
  type PolicyResourceOptions,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type StackValidationArgs,
} from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, type PlatformPolicy } from "../../policy/lib/policy";
import type { Environment } from "../../policy/lib/thresholds";
import { isRecord } from "../../policy/lib/values";
import { policies as PACK_POLICIES } from "../../policy/policies";
import type { PolicyViolation, RecordedResource } from "./types";

export interface GateOptions {
  readonly environment: Environment;
  /**
   * Policy config shaped like `pulumi preview --policy-pack-config <file>`: `all` sets every
   * policy's enforcement level; `<policy name>` is a level or `{ enforcementLevel?, ...properties }`.
   */
  readonly config?: Record<string, unknown>;
  /** Policies to evaluate; the whole pack when omitted. */
  readonly policies?: readonly PlatformPolicy[];
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

interface Prepared {
  readonly policy: PlatformPolicy;
  readonly level: Exclude<EnforcementLevel, "disabled" | "remediate">;
  readonly config: Readonly<Record<string, unknown>>;
}

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

function asLevel(value: unknown, where: string): EnforcementLevel | undefined {
  if (value === undefined) return undefined;
  if (!LEVELS.includes(value as EnforcementLevel)) {
    throw new Error(
      `policy config ${where}: enforcement level ${JSON.stringify(value)} is not one of ${LEVELS.join(", ")}`,
    );
  }
  return value as EnforcementLevel;
}

/** Resolves level and config of each policy once, as the engine does when it configures the pack. */
function prepare(options: GateOptions): Prepared[] {
  const policies = options.policies ?? PACK_POLICIES;
  const overrides = options.config ?? {};
  const names = new Set(policies.map((p) => p.name));
  for (const key of Object.keys(overrides)) {
    if (key !== "all" && !names.has(key))
      throw new Error(`policy config names "${key}", which is not a policy of the pack`);
  }
  const all = overrides.all;
  const allLevel = asLevel(isRecord(all) ? all.enforcementLevel : all, "all");
  const prepared: Prepared[] = [];
  for (const policy of policies) {
    const own = overrides[policy.name];
    const ownProps = isRecord(own) ? own : {};
    const { enforcementLevel: ownLevel, ...properties } = ownProps;
    const level =
      asLevel(isRecord(own) ? ownLevel : own, policy.name) ??
      allLevel ??
      policy.enforcementLevel ??
      PACK_ENFORCEMENT_LEVEL;
    if (level === "disabled") continue;
    const schema = policy.configSchema?.properties ?? {};
    for (const key of Object.keys(properties)) {
      if (!(key in schema))
        throw new Error(`policy config ${policy.name}.${key}: the policy has no such setting`);
    }
    const defaults = Object.fromEntries(
      Object.entries(schema).flatMap(([key, s]) =>
        (s as { default?: unknown }).default === undefined
          ? []
          : [[key, (s as { default?: unknown }).default]],
      ),
    );
    const environment = "environment" in schema ? { environment: options.environment } : {};
    prepared.push({
      policy,
      level: level === "remediate" ? "mandatory" : level,
      config: Object.freeze({ ...defaults, ...environment, ...properties }),
    });
  }
  return prepared;
}

function policyOptions(resource: RecordedResource): PolicyResourceOptions {
  return {
    protect: resource.opts.protect,
    ignoreChanges: [...(resource.opts.ignoreChanges ?? [])],
    deleteBeforeReplace: resource.opts.deleteBeforeReplace,
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    parent: resource.parent,
  };
}

type TypeClass = { new (...rest: never[]): unknown; __pulumiType?: string; isInstance?: unknown };
const isTypeOf = (type: string) => (resourceClass: TypeClass) => resourceClass.__pulumiType === type;

interface Check {
  readonly prepared: Prepared;
  readonly validation: ResourceValidation;
}

/** Resource validators by the type they are restricted to; `undefined` key: every type. */
function indexByType(prepared: readonly Prepared[]): Map<string | undefined, Check[]> {
  const byType = new Map<string | undefined, Check[]>();
  for (const p of prepared) {
    if (!("validateResource" in p.policy) || !p.policy.validateResource) continue;
    const validations = Array.isArray(p.policy.validateResource)
      ? p.policy.validateResource
      : [p.policy.validateResource];
    for (const validation of validations) {
      const type = (validation as { __pulumiType?: string }).__pulumiType;
      const checks = byType.get(type) ?? [];
      checks.push({ prepared: p, validation });
      byType.set(type, checks);
    }
  }
  return byType;
}

/** What the engine reports when a policy reads a value that is unknown during preview. */
function unknownViolation(policyName: string, error: UnknownValueError, urn?: string): PolicyViolation {
  return {
    policyName,
    enforcementLevel: "advisory",
    urn,
    message: `can't run policy '${policyName}' during preview: ${error.message}`,
  };
}

async function run(
  policyName: string,
  urn: string | undefined,
  violations: PolicyViolation[],
  body: () => Promise<void> | void,
): Promise<void> {
  try {
    const result = body();
    if (result) await result;
  } catch (e) {
    if (e instanceof NotApplicable) return;
    if (e instanceof UnknownValueError) violations.push(unknownViolation(policyName, e, urn));
    else
      throw new Error(`policy ${policyName} failed on ${urn ?? "the stack"}: ${(e as Error).message}`, {
        cause: e,
      });
  }
}

function reporter(
  prepared: Prepared,
  defaultUrn: string | undefined,
  violations: PolicyViolation[],
): ReportViolation {
  return (message: string | ReportObject, urn?: string) => {
    // The policy server also takes an object, whose own level wins (an advisory note of a
    // mandatory policy: `reportAdvisory` in policy/lib/policy.ts).
    if (typeof message === "object")
      violations.push({
        policyName: prepared.policy.name,
        enforcementLevel: objectLevel(message.enforcementLevel, prepared),
        urn: message.urn ?? defaultUrn,
        message: message.message,
      });
    else
      violations.push({
        policyName: prepared.policy.name,
        enforcementLevel: prepared.level,
        urn: urn ?? defaultUrn,
        message,
      });
  };
}

function objectLevel(level: unknown, prepared: Prepared): Prepared["level"] {
  const own = asLevel(level, prepared.policy.name);
  if (own === undefined || own === "disabled") return prepared.level;
  return own === "remediate" ? "mandatory" : own;
}

/** The object form of a report, as `@pulumi/policy`'s server reads it. */
interface ReportObject {
  readonly message: string;
  readonly urn?: string;
  readonly enforcementLevel?: EnforcementLevel;
}

async function evaluateResources(
  resources: readonly RecordedResource[],
  prepared: readonly Prepared[],
  violations: PolicyViolation[],
) {
  const byType = indexByType(prepared);
  const everyType = byType.get(undefined) ?? [];
  for (const resource of resources) {
    const checks = [...(byType.get(resource.type) ?? []), ...everyType];
    if (checks.length === 0) continue;
    const props = unknownCheckingProxy(resource.inputs) as Record<string, unknown>;
    const opts = policyOptions(resource);
    const isType = isTypeOf(resource.type);
    for (const { prepared: p, validation } of checks) {
      const args: ResourceValidationArgs = {
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts,
        stackTags: new Map(),
        isType,
        asType: ((resourceClass: TypeClass) =>
          isType(resourceClass) ? props : undefined) as ResourceValidationArgs["asType"],
        getConfig: (() => p.config) as ResourceValidationArgs["getConfig"],
        notApplicable,
      };
      await run(p.policy.name, resource.urn, violations, () =>
        validation(args, reporter(p, resource.urn, violations)),
      );
    }
  }
}

/** The graph as stack policies see it: outputs behind the proxy, parents and dependencies linked. */
function policyResources(resources: readonly RecordedResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const list = resources.map((resource) => {
    // A mock that returns a resource's whole state as one secret leaves no object; its inputs
    // (each secret redacted on its own), echoed as outputs, are what the engine would hold.
    const outputs = isRecord(resource.outputs) ? resource.outputs : resource.displayInputs;
    const props = unknownCheckingProxy(outputs) as Record<string, unknown>;
    const isType = isTypeOf(resource.type);
    const policyResource: PolicyResource = {
      type: resource.type,
      props,
      urn: resource.urn,
      name: resource.name,
      opts: policyOptions(resource),
      dependencies: [],
      propertyDependencies: {},
      isType,
      asType: ((resourceClass: TypeClass) =>
        isType(resourceClass) ? props : undefined) as PolicyResource["asType"],
    };
    byUrn.set(resource.urn, policyResource);
    return policyResource;
  });
  const lookup = (urns: readonly string[]) => urns.flatMap((urn) => byUrn.get(urn) ?? []);
  resources.forEach((resource, i) => {
    const target = list[i];
    if (resource.parent) target.parent = byUrn.get(resource.parent);
    target.dependencies = lookup(resource.opts.dependsOn);
    for (const [key, urns] of Object.entries(resource.opts.propertyDependencies))
      target.propertyDependencies[key] = lookup(urns);
  });
  return list;
}

async function evaluateStack(
  resources: readonly RecordedResource[],
  prepared: readonly Prepared[],
  violations: PolicyViolation[],
) {
  const stackPolicies = prepared.filter((p) => "validateStack" in p.policy);
  if (stackPolicies.length === 0) return;
  const graph = policyResources(resources);
  for (const p of stackPolicies) {
    const args: StackValidationArgs = {
      resources: graph,
      stackTags: new Map(),
      getConfig: (() => p.config) as StackValidationArgs["getConfig"],
      notApplicable,
    };
    const validateStack = (p.policy as Extract<PlatformPolicy, { validateStack: unknown }>).validateStack;
    await run(p.policy.name, undefined, violations, () =>
      validateStack(args, reporter(p, undefined, violations)),
    );
  }
}

/**
 * Every resource policy on every resource, then every stack policy on the whole list.
 * Throws on config naming an unknown policy or setting, and when a policy itself fails.
 */
export async function evaluatePolicies(
  resources: readonly RecordedResource[],
  options: GateOptions,
): Promise<PolicyViolation[]> {
  const prepared = prepare(options);
  const violations: PolicyViolation[] = [];
  await evaluateResources(resources, prepared, violations);
  await evaluateStack(resources, prepared, violations);
  return violations;
}
