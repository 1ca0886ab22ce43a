import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy";
import { cis, controls } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

export const kubernetesCoreForbidLiteralSecretData: PlatformResourcePolicy = {
  name: "kubernetes-core-forbid-literal-secret-data",
  description:
    "Kubernetes Secrets must not carry data from the program (it lands in Pulumi state); secret values arrive through External Secrets Operator.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: cis("Kubernetes", "5.4.2", "Consider external secret storage."),
  tags: controls("pci-dss:8.6.2", "soc2:CC6.1"),
  remediationSteps:
    "Store the value in the secret backend and add the secret to the workload in the catalog, so an ExternalSecret writes the Kubernetes Secret in the cluster.",
  validateResource: validateResourceOfType(k8s.core.v1.Secret, (secret, _args, report) => {
    const keys = [...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})];
    if (keys.length > 0) report(`the Secret carries ${keys.join(", ")} from the program.`);
  }),
};
