/**
 * Vault ACL policy text, read as Vault reads it. The HCL is parsed with HashiCorp's own
 * parser (`@cdktf/hcl2json`, Go compiled to WebAssembly); parses are cached by text: a stack
 * repeats few distinct policies, and the gate evaluates every policy of thousands-resource
 * stacks.
 *
 * Vault parses policies with HCL 1 (which also reads JSON), and differs from a plain HCL 2
 * reading in ways a policy could hide a grant behind, so this module follows Vault
 * (`vault/policy.go`, `parseACLPolicyWithTemplating` / `parsePaths` in Vault 1.21):
 * - keys match case-insensitively (`PATH "sys/*" { Capabilities = ["sudo"] }` is a grant);
 * - the legacy `policy = "deny" | "read" | "write" | "sudo"` of a path expands to capabilities
 *   (`sudo` includes `sudo`);
 * - JSON text (`{"path": {"sys/*": {"capabilities": ["sudo"]}}}`) is a policy too;
 * - a leading `/` of a path is dropped.
 *
 * The same reading serves Vault's server configuration (`lib/vault-config.ts`), which Vault
 * also parses with HCL 1 and case-insensitive keys.
 */
import { parse } from "@cdktf/hcl2json";
import { isRecord } from "./values";

export interface VaultPathRule {
  readonly path: string;
  /** Capabilities granted, lower-cased, with the legacy `policy` field expanded. */
  readonly capabilities: readonly string[];
}

/** Vault's expansion of the pre-0.9 `policy` field of a path block. */
const LEGACY_POLICY: Readonly<Record<string, readonly string[]>> = {
  deny: ["deny"],
  read: ["read", "list"],
  write: ["create", "read", "update", "delete", "list"],
  sudo: ["create", "read", "update", "delete", "list", "sudo"],
};

const cache = new Map<string, Promise<Record<string, unknown>>>();

/** The path rules of a policy text; rejects with the parser's message when Vault could not read it either. */
export async function vaultPolicyRules(text: string): Promise<VaultPathRule[]> {
  return toRules(await parseVaultDocument(text));
}

/**
 * A Vault HCL 1 or JSON document (a policy, a server configuration) as nested records, blocks
 * as HCL 2 gives them (`listener "tcp" {…}` → `{ listener: { tcp: [{…}] } }`); rejects with the
 * parser's message when the text is neither. Cached by text.
 */
export function parseVaultDocument(text: string): Promise<Record<string, unknown>> {
  let doc = cache.get(text);
  if (!doc) {
    doc = parseDocument(text);
    cache.set(text, doc);
  }
  return doc;
}

async function parseDocument(text: string): Promise<Record<string, unknown>> {
  if (text.trimStart().startsWith("{")) {
    try {
      const json: unknown = JSON.parse(text);
      if (isRecord(json)) return json;
    } catch {
      // Not JSON after all: HCL's parser reports what is wrong with it.
    }
  }
  return parse("policy.hcl", text);
}

/** The value under `key`, matched case-insensitively as HCL 1 does; several matches are all kept. */
export function valuesOf(record: Record<string, unknown>, key: string): unknown[] {
  return Object.entries(record)
    .filter(([k]) => k.toLowerCase() === key)
    .map(([, v]) => v);
}

/** Blocks as HCL 2 (`[{...}]`), HCL 1 JSON (`{...}` or `[{...}]`) give them. */
export function blocksOf(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.map(String) : [];
}

function toRules(doc: Record<string, unknown>): VaultPathRule[] {
  const rules: VaultPathRule[] = [];
  for (const pathsValue of valuesOf(doc, "path")) {
    // `path "<p>" { ... }` arrives as { "<p>": [block] }; JSON may also give [{ "<p>": {...} }].
    for (const paths of blocksOf(pathsValue)) {
      for (const [path, blocks] of Object.entries(paths)) {
        for (const block of blocksOf(blocks)) {
          const capabilities = valuesOf(block, "capabilities").flatMap(strings);
          for (const legacy of valuesOf(block, "policy").flatMap(strings))
            capabilities.push(...(LEGACY_POLICY[legacy.toLowerCase()] ?? [legacy]));
          rules.push({
            path: path.startsWith("/") ? path.slice(1) : path,
            capabilities: capabilities.map((c) => c.toLowerCase()),
          });
        }
      }
    }
  }
  return rules;
}
