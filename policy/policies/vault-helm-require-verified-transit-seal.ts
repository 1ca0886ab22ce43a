import { controls, pciDss } from "../lib/frameworks";
import { parseVaultDocument, valuesOf } from "../lib/hcl";
import { type PlatformResourcePolicy, validateResourceOfToken } from "../lib/policy";
import { atPath, isRecord } from "../lib/values";
import { CONFIG_DATA_FIELDS, dataValues, typedBlocks, vaultTrue } from "../lib/vault-config";
import { chartServerConfig, validateVaultHelmValues } from "../lib/vault-helm";

/**
 * What is wrong with each `seal "transit"` of a Vault server configuration (text or document);
 * none when it has no transit seal or does not parse (vault-helm-require-tls reports that).
 *
 * Read as go-kms-wrapping's transit wrapper (v2.0.13, Vault 1.21) reads it: `token` is the token
 * itself unless it names a source (`file://<path>`, `env://<VAR>`, resolved by `ParsePaths`);
 * without `token` the wrapper uses VAULT_TOKEN. A configuration kept in a Secret may hold the
 * token itself (`inSecret`): it is then as protected as a token file.
 */
async function transitSealFindings(config: unknown, inSecret = false): Promise<string[]> {
  let doc: Record<string, unknown>;
  if (isRecord(config)) doc = config;
  else if (typeof config !== "string") return [];
  else
    try {
      doc = await parseVaultDocument(config);
    } catch {
      return [];
    }
  const findings: string[] = [];
  for (const { type, body } of typedBlocks(doc, "seal")) {
    if (type !== "transit") continue;
    const address = valuesOf(body, "address").find((a) => typeof a === "string") as string | undefined;
    if (address === undefined)
      findings.push(
        "has a transit seal without `address` (VAULT_ADDR decides), so that it uses https cannot be verified",
      );
    else if (!/^https:\/\//i.test(address))
      findings.push(`has a transit seal at ${address}: the unsealing Vault must be reached over https`);
    if (valuesOf(body, "tls_skip_verify").some(vaultTrue))
      findings.push(
        "has a transit seal with tls_skip_verify: the unsealing Vault's certificate is not verified",
      );
    for (const token of inSecret ? [] : valuesOf(body, "token"))
      if (typeof token !== "string" || !/^(file|env):\/\//.test(token))
        findings.push(
          "has a transit seal whose `token` is the token itself: name a mounted file (file://…) or a variable set from a Secret (env://…)",
        );
  }
  return findings;
}

export const vaultHelmRequireVerifiedTransitSeal: PlatformResourcePolicy = {
  name: "vault-helm-require-verified-transit-seal",
  description:
    "A Vault server that auto-unseals through another Vault's transit engine (`seal \"transit\"`) must reach it over https with certificate verification (an https `address`, no `tls_skip_verify`) and must not hold the seal's token in plain configuration: the stanza's `token` may only name a file (`file://…`, a mounted Secret) or a variable (`env://…`), and the Vault Helm chart's plain `server.extraEnvironmentVars` may not set VAULT_TOKEN. Checked in the chart's server config (any release or chart of it) and in every ConfigMap's and Secret's values that hold a Vault configuration (a Secret may hold the token itself).",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: pciDss("4.2.1", "Strong cryptography protects data in transit."),
  tags: controls("pci-dss:8.3.2", "soc2:CC6.1"),
  remediationSteps:
    'Give the transit seal `address = "https://…"` and `tls_ca_cert` of the unsealing Vault\'s CA (no `tls_skip_verify`), put its token in a Kubernetes Secret mounted into the server pods and set `token = "file://<mounted path>"` (what `vault.unseal: transit` renders), or pass VAULT_TOKEN through `server.extraSecretEnvironmentVars`.',
  validateResource: [
    ...validateVaultHelmValues(async (values, _args, report) => {
      const { path, value } = chartServerConfig(values);
      for (const finding of await transitSealFindings(value)) report(`${path} ${finding}.`);
      const env = atPath(values, "server.extraEnvironmentVars");
      if (isRecord(env) && Object.keys(env).some((name) => name.toUpperCase() === "VAULT_TOKEN"))
        report(
          "server.extraEnvironmentVars sets VAULT_TOKEN in plain values: use server.extraSecretEnvironmentVars (a Secret) or a mounted token file.",
        );
    }),
    ...Object.keys(CONFIG_DATA_FIELDS).map((type) =>
      validateResourceOfToken(type, async (props, _args, report) => {
        for (const { where, text } of dataValues(type, props))
          for (const finding of await transitSealFindings(text, type.includes(":Secret")))
            report(`${where} ${finding}.`);
      }),
    ),
  ],
};
