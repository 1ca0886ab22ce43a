import { UnknownValueError, type PolicyResource } from "@pulumi/policy";
import {
  exemptNote,
  exemptionsSchema,
  readExemptions,
  unusedNote,
  type ExemptionKind,
} from "../lib/exemptions";
import { PERIODIC_CREDENTIAL_CHANGE, controls } from "../lib/frameworks";
import { reportAdvisory, type PlatformStackPolicy } from "../lib/policy";
import { isRedacted } from "../lib/values";

const NAME = "aws-secretsmanager-require-rotation";
const SECRET = "aws:secretsmanager/secret:Secret";
/** The only resource of the aws provider that turns rotation on for a secret. */
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";

/** Exemptions name secrets exactly, by their Secrets Manager name (`name`). */
const KIND: ExemptionKind = { key: "secret", exactName: "an exact secret name", matches: "unrotated secret" };

interface Config {
  readonly exemptions?: unknown;
}

const UNKNOWN = Symbol("unknown");

/** A string prop; `UNKNOWN` when unknown during preview or withheld by analyze; else undefined. */
function text(resource: PolicyResource, key: string): string | typeof UNKNOWN | undefined {
  try {
    const value: unknown = resource.props[key];
    if (isRedacted(value)) return UNKNOWN;
    return typeof value === "string" ? value : undefined;
  } catch (e) {
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}

export const awsSecretsmanagerRequireRotation: PlatformStackPolicy = {
  name: NAME,
  description:
    "Every Secrets Manager secret the stack creates must be rotated by a SecretRotation (the aws provider's only resource that enables rotation), matched by the secret's ARN, id or name or by a dependency on the secret, whatever either is called or tagged. " +
    "A secret only a third party can rotate (an API key its issuer rotates) is exempt only through the `exemptions` setting, by exact secret name with a reason, reported as an advisory note. " +
    "A rotation whose target is unknown during preview leaves an otherwise unrotated secret to be judged at `pulumi up` (advisory); a secret whose name is unknown is never exempt.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: PERIODIC_CREDENTIAL_CHANGE,
  tags: controls("soc2:CC6.1"),
  remediationSteps:
    'Add an `aws.secretsmanager.SecretRotation` with `secretId: secret.id` and a rotation function (the catalog\'s `rotation: { database: <name> }` deploys one). For a credential only its issuer can rotate, rotate it at the issuer and add `{ "secret": "<exact secret name>", "reason": "<who rotates it, how>" }` to this policy\'s `exemptions` setting.',
  configSchema: {
    properties: {
      exemptions: exemptionsSchema(
        KIND,
        "Secrets Manager secrets that need no SecretRotation, by exact secret name (the `name` the stack gives the secret; no globs), each with its reason (who rotates it, how); every exemption applied is reported as an advisory note.",
      ),
    },
  },
  validateStack: (args, report) => {
    const exemptions = readExemptions(args.getConfig<Config>().exemptions, KIND, (m) => report(m));
    const used = new Set<string>();
    const secrets = args.resources.filter((r) => r.type === SECRET);
    const rotations = args.resources.filter((r) => r.type === ROTATION);
    const rotated = new Set<string>();
    const unresolved: PolicyResource[] = [];
    for (const rotation of rotations) {
      const deps = rotation.propertyDependencies["secretId"] ?? [];
      for (const dep of deps) rotated.add(dep.urn);
      const target = text(rotation, "secretId");
      if (target === UNKNOWN) {
        if (deps.length === 0) unresolved.push(rotation);
        continue;
      }
      if (target === undefined) continue;
      for (const secret of secrets)
        if ([text(secret, "arn"), text(secret, "id"), text(secret, "name")].includes(target))
          rotated.add(secret.urn);
      // A secret the stack holds only by dependency (`secretId: secret.id`) is matched above.
    }
    for (const secret of secrets) {
      if (rotated.has(secret.urn)) continue;
      const name = text(secret, "name");
      const label = `secret ${typeof name === "string" ? JSON.stringify(name) : `${secret.name} (name unknown)`}`;
      const exemption = typeof name === "string" ? exemptions.get(name) : undefined;
      if (exemption) {
        used.add(exemption.name);
        reportAdvisory(report, exemptNote(exemption, `${label} has no SecretRotation`), secret.urn);
      } else if (unresolved.length > 0) {
        reportAdvisory(
          report,
          `${label} has no SecretRotation known to target it; ${unresolved.map((r) => r.name).join(", ")} target${unresolved.length === 1 ? "s" : ""} a secret unknown during preview, so this is judged when the stack is analysed again at \`pulumi up\`.`,
          secret.urn,
        );
      } else {
        report(`${label} has no SecretRotation.`, secret.urn);
      }
    }
    for (const name of exemptions.keys()) if (!used.has(name)) reportAdvisory(report, unusedNote(name, KIND));
  },
};
