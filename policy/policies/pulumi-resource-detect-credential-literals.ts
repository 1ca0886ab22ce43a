import { UnknownValueError, type ResourceValidation } from "@pulumi/policy";
import { controls, pciDss } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";

/**
 * Shapes of credentials with a recognisable format. Values we generate (random passwords,
 * config secrets) have no such shape, so what matches was typed into the program.
 */
const CREDENTIAL_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ["AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["private key", /-----BEGIN (RSA |EC |OPENSSH |DSA |ENCRYPTED )?PRIVATE KEY-----/],
  ["GitHub token", /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{60,}\b/],
  ["Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/],
  ["Stripe secret key", /\b(sk|rk)_live_[A-Za-z0-9]{20,}\b/],
  ["Google API key", /\bAIza[0-9A-Za-z_-]{35}\b/],
  ["Vault token", /\bhv[sbr]\.[A-Za-z0-9_-]{24,}\b/],
  ["SendGrid API key", /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/],
  // Vault's connection-URL templates (`{{username}}:{{password}}`) are placeholders, not literals.
  ["password in a URL", /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:@/]+:(?!\{\{)[^\s@/]{3,}@/],
];
/** One pass over each string: the alternation of every pattern, tested before naming the match. */
const ANY = new RegExp(CREDENTIAL_PATTERNS.map(([, re]) => `(?:${re.source})`).join("|"));
/** Deeper than any real resource input; stops on pathological values. */
const MAX_DEPTH = 32;

function findLiterals(value: unknown, path: string, depth: number, found: string[]): void {
  if (typeof value === "string") {
    if (ANY.test(value)) {
      const kind = CREDENTIAL_PATTERNS.find(([, re]) => re.test(value))![0];
      found.push(`${path || "(value)"} looks like a ${kind}`);
    }
  } else if (depth < MAX_DEPTH && typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      let child: unknown;
      try {
        child = (value as Record<string, unknown>)[key];
      } catch (e) {
        // A value computed during preview is not a literal; the rest of the inputs still are checked.
        if (e instanceof UnknownValueError) continue;
        throw e;
      }
      findLiterals(child, path ? `${path}.${key}` : key, depth + 1, found);
    }
  }
}

const validate: ResourceValidation = (args, report) => {
  const found: string[] = [];
  findLiterals(args.props, "", 0, found);
  for (const finding of found)
    report(`${finding}: move it to a secret backend or \`pulumi config set --secret\`.`);
};

export const pulumiResourceDetectCredentialLiterals: PlatformResourcePolicy = {
  name: "pulumi-resource-detect-credential-literals",
  description:
    "Flags resource inputs that look like credentials (access keys, tokens, private keys, passwords in URLs): literals in the program end up in the repository and in state.",
  enforcementLevel: "advisory",
  severity: "high",
  framework: pciDss(
    "8.6.2",
    "Passwords/passphrases for application and system accounts are not hard coded in scripts or configuration files.",
  ),
  tags: controls("soc2:CC6.1"),
  remediationSteps:
    "Keep the value in a secret backend (the catalog wires it through ESO) or in stack config as a secret; pass `pulumi.secret(...)` outputs, never literals.",
  validateResource: validate,
};
