// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var aws_secretsmanager_require_rotation_exports = {};
__export(aws_secretsmanager_require_rotation_exports, {
  awsSecretsmanagerRequireRotation: () => awsSecretsmanagerRequireRotation
});
module.exports = __toCommonJS(aws_secretsmanager_require_rotation_exports);
var import_policy = require("@pulumi/policy");
var import_exemptions = require("../lib/exemptions");
var import_frameworks = require("../lib/frameworks");
var import_policy2 = require("../lib/policy");
var import_values = require("../lib/values");
const NAME = "aws-secretsmanager-require-rotation";
const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const KIND = { key: "secret", exactName: "an exact secret name", matches: "unrotated secret" };
const UNKNOWN = /* @__PURE__ */ Symbol("unknown");
function text(resource, key) {
  try {
    const value = resource.props[key];
    if ((0, import_values.isRedacted)(value)) return UNKNOWN;
    return typeof value === "string" ? value : void 0;
  } catch (e) {
    if (e instanceof import_policy.UnknownValueError) return UNKNOWN;
    throw e;
  }
}
const awsSecretsmanagerRequireRotation = {
  name: NAME,
  description: "Every Secrets Manager secret the stack creates must be rotated by a SecretRotation (the aws provider's only resource that enables rotation), matched by the secret's ARN, id or name or by a dependency on the secret, whatever either is called or tagged. A secret only a third party can rotate (an API key its issuer rotates) is exempt only through the `exemptions` setting, by exact secret name with a reason, reported as an advisory note. A rotation whose target is unknown during preview leaves an otherwise unrotated secret to be judged at `pulumi up` (advisory); a secret whose name is unknown is never exempt.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: import_frameworks.PERIODIC_CREDENTIAL_CHANGE,
  tags: (0, import_frameworks.controls)("soc2:CC6.1"),
  remediationSteps: 'Add an `aws.secretsmanager.SecretRotation` with `secretId: secret.id` and a rotation function (the catalog\'s `rotation: { database: <name> }` deploys one). For a credential only its issuer can rotate, rotate it at the issuer and add `{ "secret": "<exact secret name>", "reason": "<who rotates it, how>" }` to this policy\'s `exemptions` setting.',
  configSchema: {
    properties: {
      exemptions: (0, import_exemptions.exemptionsSchema)(
        KIND,
        "Secrets Manager secrets that need no SecretRotation, by exact secret name (the `name` the stack gives the secret; no globs), each with its reason (who rotates it, how); every exemption applied is reported as an advisory note."
      )
    }
  },
  validateStack: (args, report) => {
    const exemptions = (0, import_exemptions.readExemptions)(args.getConfig().exemptions, KIND, (m) => report(m));
    const used = /* @__PURE__ */ new Set();
    const secrets = args.resources.filter((r) => r.type === SECRET);
    const rotations = args.resources.filter((r) => r.type === ROTATION);
    const rotated = /* @__PURE__ */ new Set();
    const unresolved = [];
    for (const rotation of rotations) {
      const deps = rotation.propertyDependencies["secretId"] ?? [];
      for (const dep of deps) rotated.add(dep.urn);
      const target = text(rotation, "secretId");
      if (target === UNKNOWN) {
        if (deps.length === 0) unresolved.push(rotation);
        continue;
      }
      if (target === void 0) continue;
      for (const secret of secrets)
        if ([text(secret, "arn"), text(secret, "id"), text(secret, "name")].includes(target))
          rotated.add(secret.urn);
    }
    for (const secret of secrets) {
      if (rotated.has(secret.urn)) continue;
      const name = text(secret, "name");
      const label = `secret ${typeof name === "string" ? JSON.stringify(name) : `${secret.name} (name unknown)`}`;
      const exemption = typeof name === "string" ? exemptions.get(name) : void 0;
      if (exemption) {
        used.add(exemption.name);
        (0, import_policy2.reportAdvisory)(report, (0, import_exemptions.exemptNote)(exemption, `${label} has no SecretRotation`), secret.urn);
      } else if (unresolved.length > 0) {
        (0, import_policy2.reportAdvisory)(
          report,
          `${label} has no SecretRotation known to target it; ${unresolved.map((r) => r.name).join(", ")} target${unresolved.length === 1 ? "s" : ""} a secret unknown during preview, so this is judged when the stack is analysed again at \`pulumi up\`.`,
          secret.urn
        );
      } else {
        report(`${label} has no SecretRotation.`, secret.urn);
      }
    }
    for (const name of exemptions.keys()) if (!used.has(name)) (0, import_policy2.reportAdvisory)(report, (0, import_exemptions.unusedNote)(name, KIND));
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  awsSecretsmanagerRequireRotation
});
