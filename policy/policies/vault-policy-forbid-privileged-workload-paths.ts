import * as vault from "@pulumi/vault";
import { validateResourceOfType } from "@pulumi/policy";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { vaultPolicyRules } from "../lib/hcl";
import type { PlatformResourcePolicy } from "../lib/policy";

/** Workload policies are named `workload-<workload>` (stacks/naming.ts, `vaultNames.workloadPolicy`). */
const WORKLOAD_POLICY = /^workload-/;

export const vaultPolicyForbidPrivilegedWorkloadPaths: PlatformResourcePolicy = {
  name: "vault-policy-forbid-privileged-workload-paths",
  description:
    "Workload Vault policies must not grant `sudo`, glob (`*`, `+`) paths or anything under `sys/`; they list exact paths.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2"),
  remediationSteps:
    "Grant `read` on the exact KV data paths and database `creds/<role>` paths the workload consumes, nothing else.",
  validateResource: validateResourceOfType(vault.Policy, async (policy, _args, report) => {
    if (!WORKLOAD_POLICY.test(policy.name ?? "")) return;
    let rules;
    try {
      rules = await vaultPolicyRules(policy.policy);
    } catch (e) {
      report(`policy HCL does not parse: ${(e as Error).message}`);
      return;
    }
    for (const { path, capabilities } of rules) {
      if (capabilities.includes("sudo")) report(`path "${path}" grants sudo.`);
      if (/[*+]/.test(path)) report(`path "${path}" is a glob: list the exact paths the workload reads.`);
      if (/^\/?sys\//.test(path)) report(`path "${path}" is under sys/: system endpoints are for operators.`);
    }
  }),
};
