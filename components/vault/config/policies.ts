/** The ACL policies of the catalog: one per workload and AppRole, plus the human ones. */
import * as vault from "@pulumi/vault";
import { vaultNames } from "../../../stacks/naming";
import {
  appRolePolicy,
  appRolePolicyName,
  BREAK_GLASS_POLICY,
  breakGlassPolicy,
  clusterStorePolicy,
  DEPLOYER_POLICY,
  deployerPolicy,
  OPERATOR_POLICY,
  operatorPolicy,
  type PolicyRule,
  PREVIEW_POLICY,
  previewPolicy,
  renderPolicy,
  snapshotPolicy,
  workloadPolicy,
} from "../policies";
import { SNAPSHOT_IDENTITY } from "../serverNames";
import { vaultWorkloads } from "../plan";
import type { ConfigContext } from "./context";

/** Policy name → rules, for everything this catalog declares. */
export function catalogPolicies(ctx: Pick<ConfigContext, "stack" | "vault">): Map<string, PolicyRule[]> {
  const { catalog } = ctx.stack;
  const policies = new Map<string, PolicyRule[]>();
  for (const workload of vaultWorkloads(catalog)) {
    policies.set(vaultNames.workloadPolicy(workload), workloadPolicy(catalog, workload));
  }
  for (const store of catalog.eso?.clusterSecretStores ?? []) {
    policies.set(vaultNames.clusterStorePolicy(store), clusterStorePolicy(catalog, store));
  }
  for (const appRole of ctx.vault.appRoles)
    policies.set(appRolePolicyName(appRole.name), appRolePolicy(catalog, appRole));
  if (ctx.vault.deploy && ctx.vault.snapshots) policies.set(SNAPSHOT_IDENTITY, snapshotPolicy());
  policies.set(OPERATOR_POLICY, operatorPolicy(catalog));
  policies.set(BREAK_GLASS_POLICY, breakGlassPolicy());
  policies.set(DEPLOYER_POLICY, deployerPolicy(catalog));
  // Carried by the GitHub Actions preview and drift logins only, so it exists only with them.
  if (ctx.vault.jwt)
    policies.set(PREVIEW_POLICY, previewPolicy(catalog, [...policies.keys(), PREVIEW_POLICY]));
  return policies;
}

/** The policies registered for this catalog; roles name them through `require`, so a typo cannot pass. */
export interface PolicyNames {
  readonly names: readonly string[];
  require(policyName: string): string;
  /**
   * The policy of the token that applies this configuration. Everything else the
   * configuration registers depends on it, so the engine creates it first and deletes it last:
   * a destroy that removed it earlier would leave its own token unable to finish.
   */
  readonly deployer: vault.Policy;
}

export function createPolicies(ctx: ConfigContext): PolicyNames {
  const policies = catalogPolicies(ctx);
  const create = (policyName: string, opts: ConfigContext["opts"]) =>
    new vault.Policy(
      `${ctx.name}-policy-${policyName}`,
      { name: policyName, policy: renderPolicy(policies.get(policyName)!) },
      opts,
    );
  const deployer = create(DEPLOYER_POLICY, ctx.opts);
  for (const policyName of policies.keys()) {
    if (policyName !== DEPLOYER_POLICY) create(policyName, { ...ctx.opts, dependsOn: [deployer] });
  }
  return {
    deployer,
    names: [...policies.keys()],
    require(policyName) {
      if (!policies.has(policyName))
        throw new Error(`no Vault policy ${JSON.stringify(policyName)} in this catalog`);
      return policyName;
    },
  };
}
