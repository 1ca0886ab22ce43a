import * as vault from "@pulumi/vault";
import { validateResourceOfType, type ResourceValidation } from "@pulumi/policy";
import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";
import { isRecord, isRedacted, redactedMessage } from "../lib/values";
import { GENERIC_WRITERS } from "../lib/vault-acl";

type Report = (message: string) => void;

/** A list input, or Vault's comma-separated string form of it. */
function values(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  return items
    .flatMap((v) => String(v).split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function check(field: string, list: readonly string[] | undefined, report: Report): void {
  if (!list || list.length === 0) report(`${field} is empty.`);
  for (const value of list ?? [])
    if (value.includes("*")) report(`${field} contains "${value}": bind the exact name.`);
}

/** A Kubernetes auth role's bindings: exact service accounts and namespaces, no label selector. */
function checkKubernetes(
  role: { names: unknown; namespaces: unknown; selector: unknown },
  field: (camel: string, snake: string) => string,
  report: Report,
): void {
  check(field("boundServiceAccountNames", "bound_service_account_names"), values(role.names), report);
  if (role.selector)
    report(
      `${field("boundServiceAccountNamespaceSelector", "bound_service_account_namespace_selector")} matches namespaces by label: bind exact namespaces.`,
    );
  else
    check(
      field("boundServiceAccountNamespaces", "bound_service_account_namespaces"),
      values(role.namespaces),
      report,
    );
}

/**
 * A JWT role (`roleType: jwt`: machines log in with a token, e.g. a Kubernetes service-account
 * token of another cluster) must bind who logs in: a subject, or claims, and never a glob.
 */
function checkJwt(
  role: { subject: unknown; claims: unknown; claimsType: unknown },
  field: (camel: string, snake: string) => string,
  report: Report,
): void {
  const claims = isRecord(role.claims) ? role.claims : {};
  const subject = typeof role.subject === "string" ? role.subject.trim() : "";
  if (subject === "" && Object.keys(claims).length === 0)
    report(
      `${field("boundSubject", "bound_subject")} and ${field("boundClaims", "bound_claims")} are empty: any token of the mount's issuer with an accepted audience logs in.`,
    );
  if (role.claimsType === "glob")
    for (const [claim, value] of Object.entries(claims))
      for (const v of values(value) ?? [])
        if (v.includes("*"))
          report(
            `${field("boundClaims", "bound_claims")}.${claim} is the glob "${v}" (${field("boundClaimsType", "bound_claims_type")} glob): bind the exact value.`,
          );
}

const camel = (c: string) => c;

/** The same role written through the API (`auth/<mount>/role/<name>` with a generic writer). */
function genericRole(type: string): ResourceValidation {
  return validateResourceOfToken(type, (props, _args, report) => {
    const path = typeof props.path === "string" ? props.path : "";
    if (!/(?:^|\/)auth\/.+\/role\/[^/]+$/.test(path)) return;
    const field = (_c: string, snake: string) => `${path} ${snake}`;
    if (isRedacted(props.dataJson)) {
      report(redactedMessage(`${path} dataJson`, "the role's bindings"));
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(String(props.dataJson ?? "{}"));
    } catch {
      return; // The provider refuses what is not JSON.
    }
    if (!isRecord(data)) return;
    if (
      "bound_service_account_names" in data ||
      "bound_service_account_namespaces" in data ||
      "bound_service_account_namespace_selector" in data
    )
      checkKubernetes(
        {
          names: data.bound_service_account_names,
          namespaces: data.bound_service_account_namespaces,
          selector: data.bound_service_account_namespace_selector,
        },
        field,
        report,
      );
    else if (data.role_type === "jwt")
      checkJwt(
        { subject: data.bound_subject, claims: data.bound_claims, claimsType: data.bound_claims_type },
        field,
        report,
      );
  });
}

export const vaultKubernetesForbidWildcardBindings: PlatformResourcePolicy = {
  name: "vault-kubernetes-forbid-wildcard-bindings",
  description:
    "Machine logins must bind exactly who logs in. Kubernetes auth roles: exact service accounts and namespaces, never `*`, globs or a namespace label selector. JWT roles (`roleType: jwt`, e.g. service-account tokens of another cluster): a subject or claims, never a glob claim. Checked on every such role, and on the same role written through a generic endpoint/secret (`auth/<mount>/role/<name>`), whatever its name.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:8.2.2"),
  remediationSteps:
    "Set `boundServiceAccountNames: [<service account>]` and `boundServiceAccountNamespaces: [<namespace>]` from the catalog workload; for a JWT role, `boundSubject: system:serviceaccount:<namespace>:<service account>` (or exact `boundClaims` with `boundClaimsType: string`).",
  validateResource: [
    validateResourceOfType(vault.kubernetes.AuthBackendRole, (role, _args, report) =>
      checkKubernetes(
        {
          names: role.boundServiceAccountNames,
          namespaces: role.boundServiceAccountNamespaces,
          selector: role.boundServiceAccountNamespaceSelector,
        },
        camel,
        report,
      ),
    ),
    validateResourceOfType(vault.jwt.AuthBackendRole, (role, _args, report) => {
      // Roles of type oidc (Vault's default) refuse token logins: people sign in through them.
      if (role.roleType !== "jwt") return;
      checkJwt(
        { subject: role.boundSubject, claims: role.boundClaims, claimsType: role.boundClaimsType },
        camel,
        report,
      );
    }),
    ...Object.keys(GENERIC_WRITERS).map(genericRole),
  ],
};
