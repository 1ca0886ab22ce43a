import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { globMatch } from "../lib/access/graph";
import { RESTRICTED_LOGICAL_ACCESS, controls } from "../lib/frameworks";
import { readStatements, statementLabel, type Statement } from "../lib/iam";
import type { PlatformResourcePolicy } from "../lib/policy";

const NAME = "aws-iam-require-exact-oidc-trust";

/** Exact-match values of `<issuer>:<claim>` in a StringEquals condition; undefined when absent or wildcarded. */
function exactClaim(statement: Statement, claim: "sub" | "aud"): readonly string[] | undefined {
  const equals = statement.conditions["StringEquals"] ?? {};
  const entry = Object.entries(equals).find(([key]) => key.endsWith(`:${claim}`));
  if (!entry || entry[1].length === 0 || entry[1].some((v) => v.includes("*") || v.includes("?")))
    return undefined;
  return entry[1];
}

export const awsIamRequireExactOidcTrust: PlatformResourcePolicy = {
  name: NAME,
  description:
    "Roles assumed with web identity (IRSA, GitHub OIDC) must pin the token's `sub` and `aud` with StringEquals, without wildcards: every Allow statement of the trust policy that grants `sts:AssumeRoleWithWebIdentity` (by name or any wildcard matching it, or a NotAction that does not exclude it) or names a Federated principal. A Deny or another condition operator never stands in for the pin.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: RESTRICTED_LOGICAL_ACCESS,
  tags: controls("pci-dss:8.2.2", "pci-dss:7.2.1"),
  remediationSteps:
    'In the trust policy add `"StringEquals": { "<issuer>:sub": "system:serviceaccount:<namespace>:<service-account>", "<issuer>:aud": "sts.amazonaws.com" }`; never StringLike or `*` in either claim.',
  validateResource: validateResourceOfType(aws.iam.Role, (role, _args, report) => {
    const trust = readStatements(role.assumeRolePolicy, "assumeRolePolicy", report);
    if (!trust) return;
    for (const [i, s] of trust.entries()) {
      // NotAction allows web identity unless it lists it (or a wildcard covering it).
      const listed = s.actions.some((a) => globMatch(a, "sts:AssumeRoleWithWebIdentity", true));
      const webIdentity = s.effect === "Allow" && (s.notAction ? !listed : listed);
      const federated =
        s.principal !== undefined && s.principal !== "*" && (s.principal.Federated ?? []).length > 0;
      if (!webIdentity && !federated) continue;
      const where = statementLabel(s, i);
      for (const claim of ["sub", "aud"] as const) {
        if (!exactClaim(s, claim))
          report(`${where} trusts an OIDC provider without an exact StringEquals on \`${claim}\`.`);
      }
    }
  }),
};
