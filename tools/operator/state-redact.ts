/**
 * npm run -s state:redact -- [--in <export.json>] [--out <file>] [--passphrase-stack-file <Pulumi.<stack>.yaml>]
 *
 * Turns a `pulumi stack export` into a state that holds no secret: every secret value, whether
 * the export carries its ciphertext or (with --show-secrets) its plaintext, becomes the same
 * marker, still marked as a secret, and the secrets provider's state (the stack's encrypted
 * data key, or its passphrase salt) is dropped. So the file holds nothing that any key decrypts.
 *
 * The deploy job runs it after every `pulumi up` and keeps the result as an artifact; pull
 * requests preview against it in a job-local backend (scripts/ci/preview-redacted.sh), with a
 * passphrase of their own: `--passphrase-stack-file` names the stack file whose
 * `encryptionsalt` that job's `pulumi stack init` wrote, so `pulumi stack import` accepts the
 * file and encrypts the markers with the job's passphrase.
 */
import * as fs from "node:fs";
import * as YAML from "yaml";
import { SECRET_SIG, WITHHELD } from "../offline/stack-export";
import { InputError, type Output, parse, processOutput, run } from "./cli";

export const USAGE = `usage: npm run -s state:redact -- [--in <export.json>] [--out <file>] [--passphrase-stack-file <path>]

Reads a \`pulumi stack export\` (stdin by default) and writes it (stdout by default) with every
secret value replaced by the marker ${WITHHELD.plaintext} (still a secret) and without the
secrets provider's state. Messages go to stderr.

  --in <path>                     the export to read (default: stdin)
  --out <path>                    where to write the redacted state (default: stdout)
  --passphrase-stack-file <path>  a stack file initialised with the passphrase provider: the
                                  state names that provider with the file's encryptionsalt, so
                                  \`pulumi stack import\` of that stack accepts it
  -h, --help                      this text

Exit codes: 0 written, 2 invalid input (arguments, not a version 3 or 4 export, a stack file without
encryptionsalt), 3 the command failed (a bug: please report it with the printed stack trace).`;

const SIG_KEY = Object.keys(SECRET_SIG)[0] as keyof typeof SECRET_SIG;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isSecret = (v: unknown) => isObject(v) && v[SIG_KEY] === SECRET_SIG[SIG_KEY];

/** `value` with every secret envelope below it replaced by the marker; counts them. */
function redacted(value: unknown, count: { secrets: number }): unknown {
  if (isSecret(value)) {
    count.secrets += 1;
    return { ...WITHHELD };
  }
  if (Array.isArray(value)) return value.map((v) => redacted(v, count));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v, count)]));
  return value;
}

/**
 * Deployment versions this reads: 3, and 4 (CLI 3.274.1 writes 4, with a `features` list, once
 * the state uses a feature such as `replaceWith`); secrets are the same envelopes in both.
 */
const VERSIONS = [3, 4];

export interface RedactedState {
  readonly document: { version: number; deployment: Record<string, unknown> } & Record<string, unknown>;
  /** How many secret values were replaced. */
  readonly secrets: number;
}

/** The export without any secret value and without its secrets provider. */
export function redactState(exported: unknown): RedactedState {
  if (!isObject(exported) || !VERSIONS.includes(exported.version as number) || !isObject(exported.deployment))
    throw new InputError(
      `not a \`pulumi stack export\` document of version ${VERSIONS.join(" or ")} (version ${JSON.stringify(isObject(exported) ? exported.version : undefined)})`,
    );
  const count = { secrets: 0 };
  const deployment = redacted(exported.deployment, count) as Record<string, unknown>;
  // The stack's encrypted data key (cloud KMS providers) or passphrase salt: no key's ciphertext stays.
  delete deployment.secrets_providers;
  return {
    document: { ...exported, version: exported.version as number, deployment },
    secrets: count.secrets,
  };
}

/** The passphrase provider's state as `pulumi stack init` wrote it into a stack file. */
export function passphraseProvider(stackFileText: string, file: string) {
  const salt = (YAML.parse(stackFileText) as { encryptionsalt?: unknown } | null)?.encryptionsalt;
  if (typeof salt !== "string" || salt === "")
    throw new InputError(
      `${file}: no encryptionsalt; run \`pulumi stack init <stack> --secrets-provider passphrase\` first`,
    );
  return { type: "passphrase", state: { salt } };
}

const OPTIONS = {
  in: { type: "string" },
  out: { type: "string" },
  "passphrase-stack-file": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

function readText(file: string | undefined): string {
  if (file === undefined) return fs.readFileSync(0, "utf8");
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  return fs.readFileSync(file, "utf8");
}

export function stateRedact(argv: readonly string[], output: Output = processOutput): number {
  return run(
    USAGE,
    (o) => {
      const values = parse(argv, OPTIONS);
      if (values.help) {
        o.out(`${USAGE}\n`);
        return;
      }
      let exported: unknown;
      try {
        exported = JSON.parse(readText(values.in));
      } catch (err) {
        if (err instanceof InputError) throw err;
        throw new InputError(`${values.in ?? "stdin"}: not JSON (${(err as Error).message})`);
      }
      const { document, secrets } = redactState(exported);
      const stackFile = values["passphrase-stack-file"];
      if (stackFile !== undefined)
        document.deployment.secrets_providers = passphraseProvider(readText(stackFile), stackFile);
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (values.out === undefined) o.out(text);
      else fs.writeFileSync(values.out, text, { mode: 0o600 });
      o.err(`state:redact: ${secrets} secret values replaced by ${WITHHELD.plaintext}\n`);
    },
    output,
  );
}

if (require.main === module) process.exitCode = stateRedact(process.argv.slice(2));
