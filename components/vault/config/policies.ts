/** The ACL policies of the catalog: one per workload and AppRole, plus the human ones. */
import * as vault from "@pulumi/vault";
import { vaultNames } from "../../../stacks/naming";
import {
  appRolePolicy,
  appRolePolicyName,
  BREAK_GLASS_POLICY,
  breakGlassPolicy,
  DEPLOYER_POLICY,
  deployerPolicy,
  OPERATOR_POLICY,
  operatorPolicy,
  type PolicyRule,
  renderPolicy,
  workloadPolicy,
} from "../policies";
import { vaultWorkloads } from "../plan";
import type { ConfigContext } from "./context";

/** Policy name → rules, for everything this catalog declares. */
export function catalogPolicies(ctx: Pick<ConfigContext, "stack" | "vault">): Map<string, PolicyRule[]> {
  const { catalog } = ctx.stack;
  const policies = new Map<string, PolicyRule[]>();
  for (const workload of vaultWorkloads(catalog)) {
    policies.set(vaultNames.workloadPolicy(workload), workloadPolicy(catalog, workload));
  }
  for (const appRole of ctx.vault.appRoles) policies.set(appRolePolicyName(appRole.name), appRolePolicy(catalog, appRole));
  policies.set(OPERATOR_POLICY, operatorPolicy(catalog));
  policies.set(BREAK_GLASS_POLICY, breakGlassPolicy());
  policies.set(DEPLOYER_POLICY, deployerPolicy(catalog));
  return policies;
}

export function createPolicies(ctx: ConfigContext): Map<string, vault.Policy> {
  return new Map(
    [...catalogPolicies(ctx)].map(([policyName, rules]) => [
      policyName,
      new vault.Policy(`${ctx.name}-policy-${policyName}`, { name: policyName, policy: renderPolicy(rules) }, ctx.opts),
    ]),
  );
}
