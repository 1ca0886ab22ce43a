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

/** Controls several policies implement, named once. */
/** SOC 2 CC6.3: access follows least privilege. */
export const LEAST_PRIVILEGE = soc2("CC6.3", "Access is authorised on the principle of least privilege.");
/** SOC 2 CC6.1: only authorised identities get in. */
export const RESTRICTED_LOGICAL_ACCESS = soc2(
  "CC6.1",
  "Logical access is restricted to authorised identities.",
);
/** PCI DSS 8.6.3: application credentials change periodically. */
export const PERIODIC_CREDENTIAL_CHANGE = pciDss(
  "8.6.3",
  "Passwords/passphrases for application and system accounts are changed periodically.",
);
/** PCI DSS 3.6.1: keys protecting stored data are themselves protected. */
export const KEY_PROTECTION = pciDss(
  "3.6.1",
  "Procedures protect cryptographic keys used to protect stored account data.",
);
/** CIS Azure 8.5: a deleted vault or secret can be recovered. */
export const KEY_VAULT_RECOVERABLE = cis(
  "Microsoft Azure Foundations",
  "8.5",
  "Ensure the Key Vault is Recoverable.",
);

/** Tags naming further controls a policy implements. */
export const controls = (...refs: string[]): string[] => ["secrets", ...refs];
