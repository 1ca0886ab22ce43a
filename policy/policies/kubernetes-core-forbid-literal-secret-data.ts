import { cis, controls } from "../lib/frameworks";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";
import { asArray, isRecord, isRedacted } from "../lib/values";

/**
 * Every type of the kubernetes SDK that writes a Secret's data: the Secret, a server-side-apply
 * patch of one, and a list of them (`test/policy/sdk-resource-types.test.ts` derives the list).
 * Secrets that Helm (`helm.sh/v3:Chart`, `helm.sh/v4:Chart`), YAML (`yaml/v2:ConfigGroup`,
 * `ConfigFile`) and Kustomize (`kustomize/v2:Directory`) render are registered as these types.
 */
export const SECRET_TYPES = ["Secret", "SecretPatch", "SecretList"].map((k) => `kubernetes:core/v1:${k}`);

/** What the token controller writes into a service-account token Secret: not from the program. */
const TOKEN_KEYS = new Set(["token", "ca.crt", "namespace"]);

/** The data keys one Secret object carries from the program, or a note when they are withheld. */
function literalKeys(secret: Record<string, unknown>): string[] {
  const token = secret.type === "kubernetes.io/service-account-token";
  const found: string[] = [];
  for (const field of ["data", "stringData", "binaryData"]) {
    const value = secret[field];
    if (value === undefined || value === null) continue;
    if (isRedacted(value)) {
      // A token Secret's data, read back from the cluster, is withheld as a secret by analyze.
      if (!(token && field === "data"))
        found.push(`${field} (withheld as a secret, so its keys cannot be listed)`);
      continue;
    }
    const keys = isRecord(value) ? Object.keys(value) : [];
    found.push(...keys.filter((k) => !(token && field === "data" && TOKEN_KEYS.has(k))));
  }
  return found;
}

export const kubernetesCoreForbidLiteralSecretData: PlatformResourcePolicy = {
  name: "kubernetes-core-forbid-literal-secret-data",
  description:
    "Kubernetes Secrets must not carry data from the program (it lands in Pulumi state); secret values arrive through External Secrets Operator. Checked on every Secret, SecretPatch and SecretList item, which is also how Helm charts, YAML and Kustomize resources register the Secrets they render; a service-account token Secret's `token`, `ca.crt` and `namespace` (written by the cluster) are not the program's.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: cis("Kubernetes", "5.4.2", "Consider external secret storage."),
  tags: controls("pci-dss:8.6.2", "soc2:CC6.1"),
  remediationSteps:
    "Store the value in the secret backend and add the secret to the workload in the catalog, so an ExternalSecret writes the Kubernetes Secret in the cluster.",
  validateResource: SECRET_TYPES.map((type) =>
    validateResourceOfToken(type, (props, _args, report) => {
      const list = type.endsWith("List");
      const secrets = list ? asArray(props.items as unknown[]).filter(isRecord) : [props];
      for (const [i, secret] of secrets.entries()) {
        const keys = literalKeys(secret);
        if (keys.length > 0)
          report(`${list ? `items[${i}]: ` : ""}the Secret carries ${keys.join(", ")} from the program.`);
      }
    }),
  ),
};
