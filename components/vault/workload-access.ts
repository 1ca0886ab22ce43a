/**
 * One workload's access to Vault, for a team that runs its own Pulumi program against a Vault
 * the platform operates: a policy granting `read` on exactly the workload's KV v2 paths, and a
 * Kubernetes auth role bound to exactly its namespace, service account and token audience,
 * granting only that policy. The catalog-driven program derives the same shape for each
 * workload (config/kubernetesAuth.ts); this component lets one workload be declared on its own.
 *
 * Public: exported by the npm package `secrets-platform` and, under the same type token, by its
 * Pulumi component package (which only serves the module `index`, hence `secrets-platform:index:`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { vaultNames } from "../../stacks/naming";
import { renderPolicy } from "./policies";

/** Defaults of `VaultWorkloadAccessArgs`, as the documentation states them. */
export const WORKLOAD_ACCESS_DEFAULTS = {
  authMount: "kubernetes",
  kvMount: "secret",
  audience: vaultNames.kubernetesAuthAudience,
  tokenTtlSeconds: 15 * 60,
} as const;

/** Longest token TTL a workload role may ask for: the prod profile's break-glass bound (1 h). */
const MAX_TOKEN_TTL_SECONDS = 60 * 60;

export interface VaultWorkloadAccessArgs {
  /** Kubernetes namespace the workload runs in (a DNS-1123 label). */
  readonly namespace: pulumi.Input<string>;
  /** The workload's Kubernetes service account (a DNS-1123 subdomain). */
  readonly serviceAccount: pulumi.Input<string>;
  /**
   * KV v2 paths the workload may read, relative to `kvMount` (e.g. `orders/db`). Exact paths
   * only: no globs, no leading `/`, no `..`. At least one.
   */
  readonly kvPaths: pulumi.Input<pulumi.Input<string>[]>;
  /** Path of the KV v2 secrets engine. Default `secret`. */
  readonly kvMount?: pulumi.Input<string>;
  /** Path of the Kubernetes auth method the workload logs in to. Default `kubernetes`. */
  readonly authMount?: pulumi.Input<string>;
  /** Name of the Kubernetes auth role. Default `<namespace>-<serviceAccount>`. */
  readonly roleName?: pulumi.Input<string>;
  /** Name of the Vault policy. Default `workload-<namespace>-<serviceAccount>`. */
  readonly policyName?: pulumi.Input<string>;
  /** Audience the service-account token must carry (TokenRequest `audiences`). Default `vault`. */
  readonly audience?: pulumi.Input<string>;
  /** TTL (and max TTL) of the Vault token a login returns, in seconds: 60 to 3600. Default 900. */
  readonly tokenTtlSeconds?: pulumi.Input<number>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const KV_PATH = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
const MOUNT = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
const NAME = /^[A-Za-z0-9_.-]+$/;

type Check<T> = (value: T) => string | undefined;
const matches =
  (pattern: RegExp, what: string): Check<string> =>
  (value) =>
    pattern.test(value) ? undefined : `${JSON.stringify(value)} must be ${what}`;

export class VaultWorkloadAccess extends pulumi.ComponentResource {
  /** Name of the Vault policy the role grants. */
  public readonly policyName: pulumi.Output<string>;
  /** Name of the Kubernetes auth role to log in with (`role` of the login request). */
  public readonly roleName: pulumi.Output<string>;
  /** Where the workload logs in: `auth/<authMount>/login`. */
  public readonly loginPath: pulumi.Output<string>;
  /** The ACL paths the policy grants `read` on (`<kvMount>/data/<path>`). */
  public readonly readPaths: pulumi.Output<string[]>;

  constructor(name: string, args: VaultWorkloadAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:index:VaultWorkloadAccess", name, {}, opts);
    // Plain values are checked here, before any child is registered; values only known later
    // (outputs of other resources) are checked when they resolve, failing the deployment.
    const check = <T>(key: string, value: pulumi.Input<T>, test: Check<T>): pulumi.Output<T> => {
      const fail = (v: T) => {
        const problem = test(v);
        if (problem) throw new Error(`VaultWorkloadAccess ${name}: ${key}: ${problem}`);
        return v;
      };
      if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) fail(value as T);
      return pulumi.output(value).apply((v) => fail(v as T)) as pulumi.Output<T>;
    };
    const namespace = check("namespace", args.namespace, matches(DNS_LABEL, "a DNS-1123 label"));
    const serviceAccount = check(
      "serviceAccount",
      args.serviceAccount,
      matches(DNS_SUBDOMAIN, "a DNS-1123 subdomain"),
    );
    const kvMount = check(
      "kvMount",
      args.kvMount ?? WORKLOAD_ACCESS_DEFAULTS.kvMount,
      matches(MOUNT, "a mount path"),
    );
    const authMount = check(
      "authMount",
      args.authMount ?? WORKLOAD_ACCESS_DEFAULTS.authMount,
      matches(MOUNT, "a mount path"),
    );
    const audience = check("audience", args.audience ?? WORKLOAD_ACCESS_DEFAULTS.audience, (v) =>
      v.length > 0 && v !== "*" ? undefined : "must name one audience",
    );
    const ttl = check(
      "tokenTtlSeconds",
      args.tokenTtlSeconds ?? WORKLOAD_ACCESS_DEFAULTS.tokenTtlSeconds,
      (v) =>
        Number.isInteger(v) && v >= 60 && v <= MAX_TOKEN_TTL_SECONDS
          ? undefined
          : `${v} must be a whole number of seconds from 60 to ${MAX_TOKEN_TTL_SECONDS}`,
    );
    const kvPaths = check("kvPaths", args.kvPaths, (paths) => {
      if (!Array.isArray(paths) || paths.length === 0) return "must list at least one path";
      const bad = paths.find((p) => typeof p === "string" && !KV_PATH.test(p));
      return bad === undefined
        ? undefined
        : `${JSON.stringify(bad)} must be an exact relative path (segments of letters, digits, '_' and '-')`;
    });
    const defaultName = pulumi.interpolate`${namespace}-${serviceAccount}`;
    const named = (key: string, value: pulumi.Input<string> | undefined, fallback: pulumi.Output<string>) =>
      value === undefined
        ? fallback
        : check(key, value, matches(NAME, "a Vault name (letters, digits, '_', '.', '-')"));
    const policyName = named("policyName", args.policyName, pulumi.interpolate`workload-${defaultName}`);
    const roleName = named("roleName", args.roleName, defaultName);

    this.readPaths = pulumi
      .all([kvMount, pulumi.output(kvPaths)])
      .apply(([mount, paths]) => [...new Set(paths.map((p) => `${mount}/data/${p}`))]);
    const policy = new vault.Policy(
      `${name}-policy`,
      {
        name: policyName,
        policy: this.readPaths.apply((paths) =>
          renderPolicy(paths.map((path) => ({ path, capabilities: ["read"] }))),
        ),
      },
      { parent: this },
    );
    const role = new vault.kubernetes.AuthBackendRole(
      `${name}-role`,
      {
        backend: authMount,
        roleName,
        boundServiceAccountNames: [serviceAccount],
        boundServiceAccountNamespaces: [namespace],
        audience,
        tokenPolicies: [policy.name],
        tokenTtl: ttl,
        tokenMaxTtl: ttl,
      },
      { parent: this },
    );
    this.policyName = policy.name;
    this.roleName = role.roleName;
    this.loginPath = pulumi.interpolate`auth/${role.backend}/login`;
    this.registerOutputs({
      policyName: this.policyName,
      roleName: this.roleName,
      loginPath: this.loginPath,
      readPaths: this.readPaths,
    });
  }
}
