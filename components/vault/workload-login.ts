/**
 * What the library's workload components share: the Kubernetes auth login of one workload (a
 * policy granting `read` on exactly the paths a component names, and a role bound to exactly one
 * namespace, service account and token audience, granting only that policy), its arguments and
 * their checks. `VaultWorkloadAccess` reads KV paths with it, `VaultDatabaseCredentials` its
 * database credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { vaultNames } from "../../stacks/naming";
import { renderPolicy } from "./policies";

/** Defaults of `WorkloadLoginArgs`, as the documentation states them. */
export const WORKLOAD_LOGIN_DEFAULTS = {
  authMount: "kubernetes",
  audience: vaultNames.kubernetesAuthAudience,
  tokenTtlSeconds: 15 * 60,
} as const;

/** Longest token TTL a workload role may ask for: the prod profile's break-glass bound (1 h). */
const MAX_TOKEN_TTL_SECONDS = 60 * 60;

/** The workload and its login: the arguments every workload component takes. */
export interface WorkloadLoginArgs {
  /** Kubernetes namespace the workload runs in (a DNS-1123 label). */
  readonly namespace: pulumi.Input<string>;
  /** The workload's Kubernetes service account (a DNS-1123 subdomain). */
  readonly serviceAccount: pulumi.Input<string>;
  /** Path of the Kubernetes auth method the workload logs in to. Default `kubernetes`. */
  readonly authMount?: pulumi.Input<string>;
  /** Audience the service-account token must carry (TokenRequest `audiences`). Default `vault`. */
  readonly audience?: pulumi.Input<string>;
  /** TTL (and max TTL) of the Vault token a login returns, in seconds: 60 to 3600. Default 900. */
  readonly tokenTtlSeconds?: pulumi.Input<number>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A Vault path: segments of letters, digits, `_` and `-` (no globs, no `..`, no leading `/`). */
export const VAULT_PATH = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
const NAME = /^[A-Za-z0-9_.-]+$/;

export type Check<T> = (value: T) => string | undefined;
export const matches =
  (pattern: RegExp, what: string): Check<string> =>
  (value) =>
    pattern.test(value) ? undefined : `${JSON.stringify(value)} must be ${what}`;
export const mountPath = matches(VAULT_PATH, "a mount path");
/** A whole number of seconds within a range. */
export const seconds =
  (min: number, max: number): Check<number> =>
  (v) =>
    Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `${v} must be a whole number of seconds from ${min} to ${max}`;

export type Checker = <T>(key: string, value: pulumi.Input<T>, test: Check<T>) => pulumi.Output<T>;

/**
 * Argument checks of component `component` named `name`: plain values are checked at once,
 * before any child is registered; values only known later (outputs of other resources) when
 * they resolve, failing the deployment. Errors name the component and the argument.
 */
export function checker(component: string, name: string): Checker {
  return <T>(key: string, value: pulumi.Input<T>, test: Check<T>): pulumi.Output<T> => {
    const fail = (v: T) => {
      const problem = test(v);
      if (problem) throw new Error(`${component} ${name}: ${key}: ${problem}`);
      return v;
    };
    if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) fail(value as T);
    return pulumi.output(value).apply((v) => fail(v as T)) as pulumi.Output<T>;
  };
}

/** The checked login arguments: every check runs here, before any child is registered. */
export interface LoginSettings {
  readonly namespace: pulumi.Output<string>;
  readonly serviceAccount: pulumi.Output<string>;
  /** `<namespace>-<serviceAccount>`, the stem of the default names. */
  readonly defaultName: pulumi.Output<string>;
  readonly authMount: pulumi.Output<string>;
  readonly audience: pulumi.Output<string>;
  readonly tokenTtlSeconds: pulumi.Output<number>;
}

export function loginSettings(check: Checker, args: WorkloadLoginArgs): LoginSettings {
  const namespace = check("namespace", args.namespace, matches(DNS_LABEL, "a DNS-1123 label"));
  const serviceAccount = check(
    "serviceAccount",
    args.serviceAccount,
    matches(DNS_SUBDOMAIN, "a DNS-1123 subdomain"),
  );
  return {
    namespace,
    serviceAccount,
    defaultName: pulumi.interpolate`${namespace}-${serviceAccount}`,
    authMount: check("authMount", args.authMount ?? WORKLOAD_LOGIN_DEFAULTS.authMount, mountPath),
    audience: check("audience", args.audience ?? WORKLOAD_LOGIN_DEFAULTS.audience, (v) =>
      v.length > 0 && v !== "*" ? undefined : "must name one audience",
    ),
    tokenTtlSeconds: check(
      "tokenTtlSeconds",
      args.tokenTtlSeconds ?? WORKLOAD_LOGIN_DEFAULTS.tokenTtlSeconds,
      seconds(60, MAX_TOKEN_TTL_SECONDS),
    ),
  };
}

/** A Vault name given as `key`, checked, or `fallback` when it is not given. */
export function vaultName(
  check: Checker,
  key: string,
  value: pulumi.Input<string> | undefined,
  fallback: pulumi.Output<string>,
): pulumi.Output<string> {
  return value === undefined
    ? fallback
    : check(key, value, matches(NAME, "a Vault name (letters, digits, '_', '.', '-')"));
}

export interface WorkloadLogin {
  readonly policyName: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;
  readonly loginPath: pulumi.Output<string>;
}

/**
 * The login's children of `parent`: `<name>-policy` (`read` on exactly `readPaths`) and
 * `<name>-role` (bound to the workload's one namespace, service account and audience, granting
 * only that policy, one token TTL), named `policyName` and `roleName`.
 */
export function workloadLogin(
  parent: pulumi.ComponentResource,
  name: string,
  login: LoginSettings,
  names: { readonly policyName: pulumi.Output<string>; readonly roleName: pulumi.Output<string> },
  readPaths: pulumi.Output<string[]>,
): WorkloadLogin {
  const policy = new vault.Policy(
    `${name}-policy`,
    {
      name: names.policyName,
      policy: readPaths.apply((paths) =>
        renderPolicy(paths.map((path) => ({ path, capabilities: ["read"] }))),
      ),
    },
    { parent },
  );
  const role = new vault.kubernetes.AuthBackendRole(
    `${name}-role`,
    {
      backend: login.authMount,
      roleName: names.roleName,
      boundServiceAccountNames: [login.serviceAccount],
      boundServiceAccountNamespaces: [login.namespace],
      audience: login.audience,
      tokenPolicies: [policy.name],
      tokenTtl: login.tokenTtlSeconds,
      tokenMaxTtl: login.tokenTtlSeconds,
    },
    { parent },
  );
  return {
    policyName: policy.name,
    roleName: role.roleName,
    loginPath: pulumi.interpolate`auth/${role.backend}/login`,
  };
}
