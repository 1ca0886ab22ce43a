/**
 * Compliance references. `@pulumi/policy` carries one `framework` per policy; the others a
 * policy maps to go in `tags` as `<framework>:<control>` so reports can group by any of them.
 */
import type { PolicyComplianceFramework } from "@pulumi/policy";

export const soc2 = (reference: string, specification: string): PolicyComplianceFramework => ({
  name: "SOC 2",
  version: "2017 TSC (2022 points of focus)",
  reference,
  specification,
});

export const pciDss = (reference: string, specification: string): PolicyComplianceFramework => ({
  name: "PCI DSS",
  version: "4.0.1",
  reference,
  specification,
});

/** CIS benchmarks, by the version their recommendation numbers refer to. */
const CIS_VERSIONS = {
  "AWS Foundations": "3.0.0",
  "Microsoft Azure Foundations": "2.1.0",
  "Google Cloud Platform Foundation": "3.0.0",
  Kubernetes: "1.9.0",
} as const;

export const cis = (
  benchmark: keyof typeof CIS_VERSIONS,
  reference: string,
  specification: string,
): PolicyComplianceFramework => ({
  name: `CIS ${benchmark} Benchmark`,
  version: CIS_VERSIONS[benchmark],
  reference,
  specification,
});

/** Tags naming further controls a policy implements. */
export const controls = (...refs: string[]): string[] => ["secrets", ...refs];
