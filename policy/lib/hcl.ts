/**
 * Vault policy HCL, parsed with HashiCorp's own parser (`@cdktf/hcl2json`, Go compiled to
 * WebAssembly). Parses are cached by text: a stack repeats few distinct policies, and the
 * gate evaluates every policy resource of thousands-resource stacks.
 */
import { parse } from "@cdktf/hcl2json";

export interface VaultPathRule {
  readonly path: string;
  readonly capabilities: readonly string[];
}

const cache = new Map<string, Promise<VaultPathRule[]>>();

export function vaultPolicyRules(text: string): Promise<VaultPathRule[]> {
  let rules = cache.get(text);
  if (!rules) {
    rules = parse("policy.hcl", text).then(toRules);
    cache.set(text, rules);
  }
  return rules;
}

function toRules(doc: Record<string, unknown>): VaultPathRule[] {
  const paths = (doc.path ?? {}) as Record<string, Array<{ capabilities?: string[] }>>;
  return Object.entries(paths).flatMap(([path, blocks]) =>
    blocks.map((block) => ({ path, capabilities: block.capabilities ?? [] })),
  );
}
