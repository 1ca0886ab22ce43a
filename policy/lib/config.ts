/**
 * Policy configuration: which environment a stack is, and the thresholds that follow from it.
 *
 * A policy's thresholds default to the environment's limits in `./thresholds` (the pack's
 * own table), and any value set in the policy config overrides them. Per-environment
 * defaults cannot be JSON-schema `default`s: the CLI fills those in before the policy runs
 * (one value for every stack), so they are resolved here instead.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import {
  ENVIRONMENTS,
  FALLBACK_ENVIRONMENT,
  THRESHOLDS,
  isEnvironment,
  type Environment,
  type EnvironmentThresholds,
} from "./thresholds";

/** Config of every policy: `environment` picks the default thresholds; the rest are policy-specific. */
export interface EnvironmentConfig {
  readonly environment?: Environment;
}

/**
 * `environment` from the policy config, else the stack name when it is one of dev/staging/prod
 * (URNs are `urn:pulumi:<stack>::<project>::...`), else prod.
 */
export function resolveEnvironment(config: EnvironmentConfig, urn: string | undefined): Environment {
  if (config.environment !== undefined) return config.environment;
  const stack = urn?.startsWith("urn:pulumi:")
    ? urn.slice("urn:pulumi:".length).split("::", 1)[0]
    : undefined;
  return isEnvironment(stack) ? stack : FALLBACK_ENVIRONMENT;
}

export const environmentProperty: PolicyConfigSchema["properties"][string] = {
  type: "string",
  enum: [...ENVIRONMENTS],
  description:
    "Environment whose limits the thresholds default to; when unset, the stack name if it is dev, staging or prod, else prod (the strictest).",
};

/** A threshold: its JSON schema, and its default read from the environment's limits. */
export interface Threshold<V> {
  readonly schema: {
    readonly type: "integer" | "number" | "boolean";
    readonly minimum?: number;
    readonly description: string;
  };
  readonly byEnvironment: (limits: EnvironmentThresholds) => V;
}

/** A whole-number threshold no smaller than `minimum`. */
export const integerThreshold = (
  minimum: number,
  description: string,
  byEnvironment: (limits: EnvironmentThresholds) => number,
): Threshold<number> => ({ schema: { type: "integer", minimum, description }, byEnvironment });

/**
 * The `configSchema` of a policy with these thresholds; each description lists the
 * per-environment defaults so `pulumi policy` users see them without reading the code.
 */
export function thresholdSchema(thresholds: ThresholdSet): PolicyConfigSchema {
  const properties: PolicyConfigSchema["properties"] = { environment: environmentProperty };
  for (const [key, t] of Object.entries(thresholds)) {
    const defaults = ENVIRONMENTS.map((env) => `${env} ${String(t.byEnvironment(THRESHOLDS[env]))}`).join(
      ", ",
    );
    properties[key] = {
      ...t.schema,
      description: `${t.schema.description} Default per environment: ${defaults}.`,
    };
  }
  return { properties };
}

export type ThresholdSet = Readonly<Record<string, Threshold<unknown>>>;

type Resolved<T extends ThresholdSet> = {
  readonly [K in keyof T]: T[K] extends Threshold<infer V> ? V : never;
} & { readonly environment: Environment };

// The gate hands every call of a policy the same config object; the engine builds a new one
// per call, so caching by identity costs nothing there and saves the merge here.
const resolvedCache = new WeakMap<object, Map<string, Map<Environment, unknown>>>();

/** Thresholds for this resource: config values over the environment's defaults. */
export function resolveThresholds<T extends ThresholdSet>(
  policyName: string,
  thresholds: T,
  config: EnvironmentConfig & Readonly<Record<string, unknown>>,
  urn: string | undefined,
): Resolved<T> {
  const environment = resolveEnvironment(config, urn);
  let byPolicy = resolvedCache.get(config);
  if (!byPolicy) resolvedCache.set(config, (byPolicy = new Map()));
  let byEnv = byPolicy.get(policyName);
  if (!byEnv) byPolicy.set(policyName, (byEnv = new Map()));
  const cached = byEnv.get(environment);
  if (cached) return cached as Resolved<T>;
  const limits = THRESHOLDS[environment];
  const resolved: Record<string, unknown> = { environment };
  for (const [key, t] of Object.entries(thresholds)) {
    resolved[key] = config[key] ?? t.byEnvironment(limits);
  }
  byEnv.set(environment, resolved);
  return resolved as Resolved<T>;
}
