/**
 * npm run -s preview:stack-file -- --stack-file Pulumi.<stack>.yaml
 *
 * Prepares a checkout's stack file for a preview that must hold no key of the stack
 * (scripts/ci/preview-redacted.sh): rewrites the file without its secrets provider
 * (`secretsprovider`, `encryptedkey`, `encryptionsalt`) and without every `secure:` value, and
 * prints the config keys that held one, one per line, in `pulumi config set --path` syntax. The
 * caller then initialises the stack with a passphrase of its own and sets each of those keys to
 * a stand-in. Comments and every other value stay as they were.
 */
import * as fs from "node:fs";
import * as YAML from "yaml";
import { InputError, type Output, parse, processOutput, run } from "./cli";

export const USAGE = `usage: npm run -s preview:stack-file -- --stack-file <Pulumi.<stack>.yaml>

Rewrites the stack file without its secrets provider and its secure values, and prints the
config keys that held a secure value (one per line, \`pulumi config set --path\` syntax).

  --stack-file <path>  the stack file to rewrite (in place)
  -h, --help           this text

Exit codes: 0 done, 2 invalid input (arguments, no such file, not a stack file), 3 the command
failed (a bug: please report it with the printed stack trace).`;

const PROVIDER_KEYS = ["secretsprovider", "encryptedkey", "encryptionsalt"];

/** One step of a config path as `pulumi config set --path` reads it. */
function step(key: string | number, first: boolean): string {
  if (typeof key === "number") return `[${key}]`;
  if (/^[^.[\]"]+$/.test(key)) return first ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

/** The stack file without secrets provider and secure values, and the keys that held one. */
export function withoutSecureValues(text: string, file: string): { text: string; keys: string[] } {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw new InputError(`${file}: not YAML (${doc.errors[0].message})`);
  if (!YAML.isMap(doc.contents)) throw new InputError(`${file}: not a stack file (no top-level map)`);
  for (const key of PROVIDER_KEYS) doc.delete(key);
  const config = doc.get("config");
  const keys: string[] = [];
  const secure: Array<Array<string | number>> = [];
  const visit = (node: unknown, at: Array<string | number>) => {
    if (YAML.isMap(node)) {
      const entries = node.items.map((pair) => [
        YAML.isScalar(pair.key) ? pair.key.value : pair.key,
        pair.value,
      ]);
      if (entries.length === 1 && entries[0][0] === "secure") {
        secure.push(at);
        return;
      }
      for (const [k, v] of entries) visit(v, [...at, String(k)]);
    } else if (YAML.isSeq(node)) node.items.forEach((v, i) => visit(v, [...at, i]));
  };
  if (config !== undefined) {
    if (!YAML.isMap(config)) throw new InputError(`${file}: config is not a map`);
    visit(config, []);
  }
  for (const at of secure) {
    doc.deleteIn(["config", ...at]);
    keys.push(at.map((k, i) => step(k, i === 0)).join(""));
  }
  return { text: doc.toString(), keys };
}

const OPTIONS = {
  "stack-file": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

export function previewStackFile(argv: readonly string[], output: Output = processOutput): number {
  return run(
    USAGE,
    (o) => {
      const values = parse(argv, OPTIONS);
      if (values.help) {
        o.out(`${USAGE}\n`);
        return;
      }
      const file = values["stack-file"];
      if (file === undefined) throw new InputError("give --stack-file");
      if (!fs.existsSync(file)) throw new InputError(`--stack-file ${file}: no such file`);
      const { text, keys } = withoutSecureValues(fs.readFileSync(file, "utf8"), file);
      fs.writeFileSync(file, text);
      o.out(keys.map((k) => `${k}\n`).join(""));
    },
    output,
  );
}

if (require.main === module) process.exitCode = previewStackFile(process.argv.slice(2));
