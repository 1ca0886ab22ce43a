import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import {
  BROAD_AWS_MANAGED_POLICIES,
  IDENTITY_POLICY_DOCUMENTS,
  KNOWN_SAFE_AWS_MANAGED_POLICIES,
  MANAGED_POLICY_ARNS,
  awsManagedPolicy,
} from "../lib/aws-iam-sources";
import { exemptionsSchema, reportUnlessExempt, type ExemptionKind } from "../lib/exemptions";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { isNarrowedBy, readStatements, statementLabel } from "../lib/iam";
import { validateResourceOfToken, type PlatformResourcePolicy } from "../lib/policy";

const NAME = "aws-iam-forbid-wildcard-secret-actions";
const SECRET_SERVICES = ["secretsmanager", "kms", "ssm"];
/** Actions that return secret material; with `Resource: "*"` they read every secret in the account. */
const SECRET_READS =
  /^(secretsmanager:(GetSecretValue|BatchGetSecretValue)|kms:Decrypt|ssm:GetParameters?|ssm:GetParametersByPath)$/i;

/**
 * True for a Resource that names every secret, parameter or key of an account, or of every
 * account: `"*"`, or an ARN whose resource part is only wildcards after its type
 * (`arn:aws:secretsmanager:*:*:secret:*`, `arn:aws:kms:eu-west-1:123456789012:key/*`,
 * `arn:aws:ssm:*:*:parameter/*`, `arn:aws:secretsmanager:*:*:*`). A name prefix before the
 * wildcard (`secret:orders-*`, as a secret's random suffix needs) names one family and passes.
 */
function coversEveryResource(resource: string): boolean {
  if (resource === "*") return true;
  const fields = resource.split(":");
  if (fields.length < 6 || fields[0].toLowerCase() !== "arn") return false;
  const rest = fields
    .slice(5)
    .join(":")
    .replace(/^(secret|key|parameter)(?=[:/*?]|$)[:/]?/i, "");
  return /^[*?]*\*[*?]*$/.test(rest);
}

/**
 * Condition keys that tie a KMS read to named keys (their aliases) or to one service calling
 * on the caller's behalf, whose own grants then decide what is read (`kms:ViaService`
 * Secrets Manager: the secret's policy still has to allow `GetSecretValue`). With them a key
 * ARN cannot be named in advance (`key/*`), so a key read under them is not "every key".
 */
const KEY_NARROWING_KEYS = ["kms:resourcealiases", "kms:requestalias", "kms:viaservice"];

/**
 * Plain or any-value string equality: not `…IfExists`, which passes when the key is absent,
 * nor `ForAllValues`, which passes for an empty set (`kms:ResourceAliases` is a set).
 */
const KEY_NARROWING_OPERATORS = [
  "StringEquals",
  "StringEqualsIgnoreCase",
  "ForAnyValue:StringEquals",
  "ForAnyValue:StringEqualsIgnoreCase",
];

function check(document: unknown, report: ReportViolation, where = "policy document"): void {
  const parsed = readStatements(document, where, report);
  if (!parsed) return;
  for (const [i, s] of parsed.entries()) {
    if (s.effect !== "Allow") continue;
    const where = statementLabel(s, i);
    if (s.notAction) {
      report(
        `${where} allows NotAction [${s.actions.join(", ")}]: that grants every other action, secret services included.`,
      );
      continue;
    }
    // IAM matches `?` as well as `*` in an action name.
    const wildcards = s.actions.filter(
      (a) => a === "*" || (/[*?]/.test(a) && SECRET_SERVICES.includes(a.split(":")[0].toLowerCase())),
    );
    if (wildcards.length > 0) {
      report(
        `${where} allows wildcard action(s) ${wildcards.join(", ")} on a secret service; list the exact actions.`,
      );
    }
    const keyReadsNarrowed = isNarrowedBy(s, KEY_NARROWING_KEYS, KEY_NARROWING_OPERATORS);
    const reads = s.actions.filter(
      (a) => SECRET_READS.test(a) && !(keyReadsNarrowed && /^kms:/i.test(a) && !s.notResource),
    );
    if (reads.length > 0 && s.notResource) {
      report(
        `${where} allows ${reads.join(", ")} on NotResource [${s.resources.join(", ")}]: that grants every other secret, parameter or key; name the ARNs in Resource.`,
      );
    } else if (reads.length > 0) {
      const every = s.resources.filter(coversEveryResource);
      if (every.length > 0)
        report(
          `${where} allows ${reads.join(", ")} on Resource ${every.map((r) => `"${r}"`).join(", ")}, which names every one of them: name the secret, parameter or key ARNs.`,
        );
    }
  }
}

/** The setting naming AWS-managed policies whose documents the pack cannot read. */
const SETTING = "awsManagedPolicies";
const KIND: ExemptionKind = {
  key: "policy",
  exactName: "an AWS-managed policy's path and name exactly as in its ARN after `:policy/`",
  matches: "AWS-managed policy attachment",
};

/**
 * AWS-managed policies attached by `key`: the broad ones are violations whatever the config
 * says; the known-safe ones pass; any other is a violation unless the `awsManagedPolicies`
 * setting names it exactly, with a reason (reported as an advisory note). Its document is AWS's,
 * not in the program's state, so the pack cannot tell what it grants: the unknown is strict.
 */
function checkAttachments(
  value: unknown,
  key: string,
  args: ResourceValidationArgs,
  report: ReportViolation,
) {
  for (const arn of Array.isArray(value) ? value : [value]) {
    const managed = typeof arn === "string" ? awsManagedPolicy(arn) : undefined;
    if (!managed) continue; // customer-managed: judged where the stack writes it
    if (Object.hasOwn(BROAD_AWS_MANAGED_POLICIES, managed.name)) {
      const grant = BROAD_AWS_MANAGED_POLICIES[managed.name];
      report(`${key} attaches the AWS-managed policy ${managed.name}, which ${grant}.`);
      continue;
    }
    if (Object.hasOwn(KNOWN_SAFE_AWS_MANAGED_POLICIES, managed.id)) continue;
    reportUnlessExempt(
      report,
      {
        raw: args.getConfig<{ awsManagedPolicies?: unknown }>()?.awsManagedPolicies,
        kind: KIND,
        setting: SETTING,
      },
      managed.id,
      `${key} attaches the AWS-managed policy ${JSON.stringify(managed.id)}, whose document is not in the state`,
      `: the pack cannot verify it grants no secret reads. Attach a customer-managed policy with the exact actions, or name it in this policy's \`${SETTING}\` setting with a reason.`,
    );
  }
}

export const awsIamForbidWildcardSecretActions: PlatformResourcePolicy = {
  name: NAME,
  description:
    'IAM identity policies must not grant wildcard or service-wide Secrets Manager, KMS or SSM actions (`*` or `?` in the action), NotAction, nor secret reads on Resource "*", on an ARN whose resource part is only wildcards (`secret:*`, `key/*`, `parameter/*`, any region or account) or on NotResource (a `kms:Decrypt` under an exact `kms:ViaService`, `kms:ResourceAliases` or `kms:RequestAlias` equality names its keys through the condition and passes): customer-managed policies, inline policies of roles, users and groups (also `Role.inlinePolicies`), IAM Identity Center permission sets. Deny statements, conditions and permission boundaries are not read (they only narrow a grant). ' +
    "AWS-managed policies attached by any attachment resource or `managedPolicyArns`: those known to grant the same (AdministratorAccess, PowerUserAccess, SecretsManagerReadWrite, AmazonSSMFullAccess, AmazonSSMReadOnlyAccess, AmazonSSMManagedInstanceCore) are refused; those known to grant no secret read (service-role/AWSLambdaBasicExecutionRole, service-role/AWSLambdaVPCAccessExecutionRole, AmazonEKSWorkerNodePolicy) pass; any other is refused, its document not being in the state, unless the `awsManagedPolicies` setting names it exactly with a reason (reported as an advisory note). Customer-managed policies attached by ARN are judged where they are written.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "cis-aws-foundations:1.16"),
  remediationSteps:
    "Replace `secretsmanager:*`, `kms:*`, `ssm:*` (and `*`) with the exact actions the role needs, e.g. `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`, and scope `Resource` to the secret ARNs; decrypt keys only `kms:ViaService` Secrets Manager.",
  configSchema: {
    properties: {
      [SETTING]: exemptionsSchema(
        KIND,
        "AWS-managed policies (path and name as in the ARN after `:policy/`, exact, no globs) that may be attached although the pack cannot read their documents, each with its reason; every exemption applied is reported as an advisory note. The policies known to grant secret reads cannot be exempted.",
      ),
    },
  },
  validateResource: [
    ...Object.entries(IDENTITY_POLICY_DOCUMENTS).map(([type, documents]) =>
      validateResourceOfToken(type, (props, _args, report) => {
        for (const { field, document } of documents(props)) {
          if (field === "policy") check(document, report);
          else check(document, (m, urn) => report(`${field}: ${m}`, urn), field);
        }
      }),
    ),
    ...Object.entries(MANAGED_POLICY_ARNS).map(([type, key]) =>
      validateResourceOfToken(type, (props, args, report) => checkAttachments(props[key], key, args, report)),
    ),
  ],
};
