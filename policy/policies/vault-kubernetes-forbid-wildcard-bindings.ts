import * as vault from "@pulumi/vault";
import { validateResourceOfType } from "@pulumi/policy";
import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

function check(
  field: string,
  values: readonly string[] | undefined,
  report: (message: string) => void,
): void {
  if (!values || values.length === 0) report(`${field} is empty.`);
  for (const value of values ?? [])
    if (value.includes("*")) report(`${field} contains "${value}": bind the exact name.`);
}

export const vaultKubernetesForbidWildcardBindings: PlatformResourcePolicy = {
  name: "vault-kubernetes-forbid-wildcard-bindings",
  description: "Kubernetes auth roles must bind exact service accounts and namespaces, never `*` or globs.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:8.2.2"),
  remediationSteps:
    "Set `boundServiceAccountNames: [<service account>]` and `boundServiceAccountNamespaces: [<namespace>]` from the catalog workload.",
  validateResource: validateResourceOfType(vault.kubernetes.AuthBackendRole, (role, _args, report) => {
    check("boundServiceAccountNames", role.boundServiceAccountNames, report);
    if (role.boundServiceAccountNamespaceSelector)
      report("boundServiceAccountNamespaceSelector matches namespaces by label: bind exact namespaces.");
    else check("boundServiceAccountNamespaces", role.boundServiceAccountNamespaces, report);
  }),
};
