import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";
import { asArray, atPath, isRecord } from "../lib/values";

/**
 * ClusterSecretStore in every API version ESO has served (v1 since 0.16; v1beta1 and v1alpha1
 * on older installs), and their patches (`ClusterSecretStorePatch`, server-side apply).
 */
const API_VERSIONS = ["v1", "v1beta1", "v1alpha1"];
export const CLUSTER_STORE_TYPES = API_VERSIONS.flatMap((v) => [
  `kubernetes:external-secrets.io/${v}:ClusterSecretStore`,
  `kubernetes:external-secrets.io/${v}:ClusterSecretStorePatch`,
]);

/** Every namespace carries this label (Kubernetes 1.21+): selecting on its existence selects all. */
const NAME_LABEL = "kubernetes.io/metadata.name";
/** A namespace name no store should admit: a regex matching it matches (almost) anything. */
const PROBE = "zz-policy-probe-0b8e";

/** Why a label selector admits namespaces nobody listed, or undefined when it names them. */
function openSelector(selector: unknown): string | undefined {
  if (!isRecord(selector)) return "is not a label selector";
  const labels = isRecord(selector.matchLabels) ? Object.keys(selector.matchLabels) : [];
  const expressions = asArray(selector.matchExpressions as unknown[]);
  if (labels.length === 0 && expressions.length === 0)
    return "is empty, and an empty selector matches every namespace";
  for (const e of expressions) {
    if (!isRecord(e)) continue;
    if (e.operator === "NotIn" || e.operator === "DoesNotExist")
      return `uses ${String(e.operator)} on "${String(e.key)}", which matches every namespace without that label value`;
    if (e.operator === "Exists" && e.key === NAME_LABEL)
      return `requires "${NAME_LABEL}" to exist, which every namespace has`;
  }
  return undefined;
}

/** Why a namespace regex (ESO: Go `regexp.MatchString`, unanchored) is too wide, or undefined. */
function openRegex(pattern: unknown): string | undefined {
  if (typeof pattern !== "string") return "is not a string";
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    return `cannot be checked: ${(e as Error).message}`;
  }
  if (re.test(PROBE) || re.test("")) return "matches every namespace";
  if (!pattern.startsWith("^") || !/(^|[^\\])\$$/.test(pattern))
    return "is not anchored (^…$): ESO matches it anywhere in a name, so any namespace containing it is admitted";
  return undefined;
}

function checkConditions(conditions: unknown[], report: (m: string) => void): void {
  if (conditions.length === 0) {
    report("spec.conditions is empty: every namespace may use this store.");
    return;
  }
  for (const [i, condition] of conditions.entries()) {
    const where = `spec.conditions[${i}]`;
    if (!isRecord(condition)) {
      report(`${where} names no namespaces.`);
      continue;
    }
    const namespaces = asArray(condition.namespaces as unknown[]).filter(
      (n) => typeof n === "string" && n !== "",
    );
    const selector = condition.namespaceSelector;
    const regexes = asArray(condition.namespaceRegexes as unknown[]);
    if (namespaces.length === 0 && selector === undefined && regexes.length === 0) {
      report(`${where} names no namespaces.`);
      continue;
    }
    // ESO admits a namespace when any part of any condition matches it: each part must be narrow.
    if (selector !== undefined && selector !== null) {
      const why = openSelector(selector);
      if (why) report(`${where}.namespaceSelector ${why}.`);
    }
    for (const [j, pattern] of regexes.entries()) {
      const why = openRegex(pattern);
      if (why) report(`${where}.namespaceRegexes[${j}] ${JSON.stringify(pattern)} ${why}.`);
    }
  }
}

export const kubernetesExternalsecretsRestrictClusterStoreNamespaces: PlatformResourcePolicy = {
  name: "kubernetes-externalsecrets-restrict-cluster-store-namespaces",
  description:
    "ClusterSecretStores (every ESO API version, and patches that set their conditions) must restrict which namespaces may use them (spec.conditions), or every namespace can read their secrets; an empty or absence-based namespace selector and an unanchored or match-all namespace regex restrict nothing.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2"),
  remediationSteps:
    "Set `spec.conditions: [{ namespaces: [...] }]` to the namespaces that use the store (for our stacks, `eso.clusterSecretStores[].namespaces` in the catalog); a selector must match labels by value, a regex must be anchored `^…$`.",
  validateResource: CLUSTER_STORE_TYPES.map((type) =>
    validateResourceOfToken(type, (props, _args, report) => {
      const conditions = atPath(props, "spec.conditions");
      // A patch changes only what it sets.
      if (type.endsWith("Patch") && conditions === undefined) return;
      checkConditions([...asArray(conditions as unknown[] | undefined)], report);
    }),
  ),
};
