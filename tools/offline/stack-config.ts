/**
 * Reads Pulumi.yaml and a stack file and turns them into the configuration map the Pulumi
 * language host hands a program: `"<namespace>:<key>"` → string, structured values
 * JSON-encoded, plus the list of keys that hold secrets. Secure values cannot be decrypted
 * offline, so each becomes a placeholder that the program still receives as a secret.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

export interface StackConfig {
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export class StackFileError extends Error {
  override name = "StackFileError";
}

function readYaml(file: string): unknown {
  if (!fs.existsSync(file)) throw new StackFileError(`${file}: no such file`);
  try {
    return YAML.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new StackFileError(`${file}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isSecure = (v: unknown): v is { secure: string } =>
  isRecord(v) && Object.keys(v).length === 1 && typeof v.secure === "string";

export function placeholderSecret(key: string): string {
  return `offline-placeholder-for-${key}`;
}

/** Replaces every `{ secure: … }` leaf; reports whether there was one. */
function replaceSecure(value: unknown, key: string): [unknown, boolean] {
  if (isSecure(value)) return [placeholderSecret(key), true];
  if (Array.isArray(value)) {
    const parts = value.map((v) => replaceSecure(v, key));
    return [parts.map(([v]) => v), parts.some(([, s]) => s)];
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, replaceSecure(v, key)] as const);
    return [Object.fromEntries(entries.map(([k, [v]]) => [k, v])), entries.some(([, [, s]]) => s)];
  }
  return [value, false];
}

function encode(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function readStackConfig(projectDir: string, stackFile: string, stackName?: string): StackConfig {
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  const projectDoc = readYaml(projectFile);
  if (!isRecord(projectDoc) || typeof projectDoc.name !== "string") {
    throw new StackFileError(`${projectFile}: missing project name`);
  }
  const project = projectDoc.name;
  const stack = stackName ?? path.basename(stackFile).replace(/^Pulumi\.(.+)\.ya?ml$/, "$1");
  const stackDoc = readYaml(stackFile) ?? {};
  if (!isRecord(stackDoc)) throw new StackFileError(`${stackFile}: expected a mapping at the top level`);
  const qualify = (key: string) => (key.includes(":") ? key : `${project}:${key}`);

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const set = (key: string, raw: unknown) => {
    const [value, secret] = replaceSecure(raw, key);
    config[qualify(key)] = encode(value);
    if (secret) secretKeys.push(qualify(key));
  };
  // Project-level defaults first; the stack file overrides them.
  if (isRecord(projectDoc.config)) {
    for (const [key, decl] of Object.entries(projectDoc.config)) {
      if (isRecord(decl) && "value" in decl) set(key, decl.value);
      else if (isRecord(decl) && "default" in decl) set(key, decl.default);
      else if (!isRecord(decl)) set(key, decl);
    }
  }
  if (stackDoc.config !== undefined && !isRecord(stackDoc.config)) {
    throw new StackFileError(`${stackFile}: config must be a mapping`);
  }
  for (const [key, value] of Object.entries(stackDoc.config ?? {})) set(key, value);
  return { project, stack, config, secretKeys: [...new Set(secretKeys)] };
}
