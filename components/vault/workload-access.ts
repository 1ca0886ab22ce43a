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
import {
  checker,
  loginSettings,
  mountPath,
  VAULT_PATH,
  vaultName,
  WORKLOAD_LOGIN_DEFAULTS,
  type WorkloadLoginArgs,
  workloadLogin,
} from "./workload-login";

/** Defaults of `VaultWorkloadAccessArgs`, as the documentation states them. */
export const WORKLOAD_ACCESS_DEFAULTS = {
  ...WORKLOAD_LOGIN_DEFAULTS,
  kvMount: "secret",
} as const;

export interface VaultWorkloadAccessArgs extends WorkloadLoginArgs {
  /**
   * KV v2 paths the workload may read, relative to `kvMount` (e.g. `orders/db`). Exact paths
   * only: no globs, no leading `/`, no `..`. At least one.
   */
  readonly kvPaths: pulumi.Input<pulumi.Input<string>[]>;
  /** Path of the KV v2 secrets engine. Default `secret`. */
  readonly kvMount?: pulumi.Input<string>;
  /** Name of the Kubernetes auth role. Default `<namespace>-<serviceAccount>`. */
  readonly roleName?: pulumi.Input<string>;
  /** Name of the Vault policy. Default `workload-<namespace>-<serviceAccount>`. */
  readonly policyName?: pulumi.Input<string>;
}

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
    const check = checker("VaultWorkloadAccess", name);
    const login = loginSettings(check, args);
    const kvMount = check("kvMount", args.kvMount ?? WORKLOAD_ACCESS_DEFAULTS.kvMount, mountPath);
    const kvPaths = check("kvPaths", args.kvPaths, (paths) => {
      if (!Array.isArray(paths) || paths.length === 0) return "must list at least one path";
      const bad = paths.find((p) => typeof p === "string" && !VAULT_PATH.test(p));
      return bad === undefined
        ? undefined
        : `${JSON.stringify(bad)} must be an exact relative path (segments of letters, digits, '_' and '-')`;
    });
    const names = {
      policyName: vaultName(
        check,
        "policyName",
        args.policyName,
        pulumi.interpolate`workload-${login.defaultName}`,
      ),
      roleName: vaultName(check, "roleName", args.roleName, login.defaultName),
    };

    this.readPaths = pulumi
      .all([kvMount, pulumi.output(kvPaths)])
      .apply(([mount, paths]) => [...new Set(paths.map((p) => `${mount}/data/${p}`))]);
    const access = workloadLogin(this, name, login, names, this.readPaths);
    ({ policyName: this.policyName, roleName: this.roleName, loginPath: this.loginPath } = access);
    this.registerOutputs({ ...access, readPaths: this.readPaths });
  }
}
