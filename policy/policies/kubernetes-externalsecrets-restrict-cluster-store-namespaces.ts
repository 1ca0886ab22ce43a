import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";
import { asArray, atPath, isRecord } from "../lib/values";

const SCOPING_FIELDS = ["namespaces", "namespaceSelector", "namespaceRegexes"];

export const kubernetesExternalsecretsRestrictClusterStoreNamespaces: PlatformResourcePolicy = {
  name: "kubernetes-externalsecrets-restrict-cluster-store-namespaces",
  description:
    "ClusterSecretStores must restrict which namespaces may use them (spec.conditions), or every namespace can read their secrets.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2"),
  remediationSteps:
    "Set `spec.conditions: [{ namespaces: [...] }]` to the namespaces listed for the store in the catalog (`eso.clusterSecretStores[].namespaces`).",
  validateResource: validateResourceOfToken(
    "kubernetes:external-secrets.io/v1:ClusterSecretStore",
    (props, _args, report) => {
      const conditions = asArray(atPath(props, "spec.conditions") as unknown[] | undefined);
      if (conditions.length === 0) {
        report("spec.conditions is empty: every namespace may use this store.");
        return;
      }
      for (const [i, condition] of conditions.entries()) {
        const scoped =
          isRecord(condition) &&
          SCOPING_FIELDS.some((f) => asArray(condition[f] as unknown[]).length > 0 || isRecord(condition[f]));
        if (!scoped) report(`spec.conditions[${i}] names no namespaces.`);
      }
    },
  ),
};
