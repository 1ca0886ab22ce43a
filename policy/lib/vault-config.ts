/**
 * Vault server configuration wherever a program writes it as text: a ConfigMap's or Secret's
 * values (mounted as the server's `-config` file or directory), the `VAULT_LOCAL_CONFIG`
 * variable, the Helm chart's `server.*.config`. Whether a value is a Vault configuration is
 * decided by its content, never by a key or resource name: a value that parses (HCL or JSON, as
 * Vault reads both) into a document with a `listener` block.
 *
 * Read as Vault 1.21 reads it (`internalshared/configutil/listener.go`):
 * - keys match case-insensitively (HCL 1's decoder and `ObjectList.Filter`);
 * - a listener's type is its label (`listener "tcp" {…}`, lower-cased) or its `type` attribute;
 * - `tls_disable` goes through `parseutil.ParseBool` (mapstructure's weak decoding): true, any
 *   non-zero number, and the strings strconv.ParseBool reads as true (`1`, `t`, `T`, `true`,
 *   `TRUE`, `True`) disable TLS; a string it cannot read stops Vault from starting.
 *
 * Vault Agent and Vault Proxy read the same listener syntax; a plain-HTTP listener on a loopback
 * address is how an agent serves the application beside it, so an Agent/Proxy configuration (one
 * of their stanzas and none of the server's) is judged only on listeners reachable from outside
 * the pod. A Boundary configuration (`controller`/`worker`, none of the server's stanzas) is not
 * Vault's.
 */
import { blocksOf, parseVaultDocument, valuesOf } from "./hcl";
import { isRecord, isRedacted } from "./values";

/** Top-level stanzas only a Vault server reads: their presence makes a document a server's. */
const SERVER_STANZAS = [
  "storage",
  "backend",
  "ha_storage",
  "ha_backend",
  "seal",
  "api_addr",
  "cluster_addr",
  "ui",
  "service_registration",
  "plugin_directory",
  "default_lease_ttl",
  "max_lease_ttl",
  "raw_storage_endpoint",
  "disable_clustering",
];
/** Top-level stanzas of Vault Agent and Vault Proxy configurations, which servers do not read. */
const AGENT_STANZAS = [
  "auto_auth",
  "cache",
  "api_proxy",
  "template",
  "template_config",
  "vault",
  "exec",
  "env_template",
];
/** Top-level stanzas of Boundary's controller and worker configurations. */
const BOUNDARY_STANZAS = ["controller", "worker"];

/** A `tcp` listener that serves plain HTTP. */
export interface PlainListener {
  readonly address: string;
  /** `tls_disable` as written. */
  readonly setting: unknown;
}

export type VaultConfigReading =
  /** Not a Vault configuration with a listener (or not one that serves Vault's API). */
  | { readonly kind: "none" }
  /** Text with a `listener` stanza that neither HCL nor JSON parses. */
  | { readonly kind: "unparsed" }
  | { readonly kind: "config"; readonly plain: readonly PlainListener[] };

/** Vault's `parseutil.ParseBool` (mapstructure weak decoding) of `tls_disable`. */
export function vaultTrue(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  return typeof value === "string" && ["1", "t", "T", "true", "TRUE", "True"].includes(value);
}

/** A listener address only the pod itself reaches; unset is Vault's default, 127.0.0.1:8200. */
function loopback(address: string): boolean {
  const host = address
    .replace(/:\d+$/, "")
    .replace(/^\[(.*)\]$/, "$1")
    .toLowerCase();
  return host === "" || host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A `listener` stanza written in HCL (`listener "tcp" {`, `listener tcp {`, `listener {`) or JSON (`"listener":`). */
const LISTENER_STANZA = /(^|[\s{,[])"?listener"?\s*(("[^"\n]*"|[\w-]+)\s*)?[{:=]/i;

/**
 * Each `listener` or `seal` block with its type: label-less blocks carry `type`, labelled ones
 * are keyed by it.
 */
export function typedBlocks(
  doc: Record<string, unknown>,
  stanza: "listener" | "seal",
): Array<{ type: string; body: Record<string, unknown> }> {
  const found: Array<{ type: string; body: Record<string, unknown> }> = [];
  const typed = (body: Record<string, unknown>, label: string) => {
    const type = valuesOf(body, "type").find((t) => typeof t === "string");
    found.push({ type: String(type ?? label).toLowerCase(), body });
  };
  for (const value of valuesOf(doc, stanza))
    for (const block of blocksOf(value)) {
      // A block body has attributes; `{ "<type>": {…} }` has only nested blocks.
      const isBody = Object.values(block).some((v) => blocksOf(v).length === 0);
      if (isBody) typed(block, "");
      else
        for (const [label, inner] of Object.entries(block))
          for (const body of blocksOf(inner)) typed(body, label);
    }
  return found;
}

const has = (doc: Record<string, unknown>, stanzas: readonly string[]) =>
  stanzas.some((s) => valuesOf(doc, s).length > 0);

/**
 * Reads a value as Vault configuration: text (HCL or JSON) or an already structured document
 * (the chart accepts `server.*.config` as an object and renders it as JSON).
 */
export async function readVaultConfig(value: unknown): Promise<VaultConfigReading> {
  let doc: Record<string, unknown>;
  if (isRecord(value)) doc = value;
  else if (typeof value !== "string") return { kind: "none" };
  else
    try {
      doc = await parseVaultDocument(value);
    } catch {
      return LISTENER_STANZA.test(value) ? { kind: "unparsed" } : { kind: "none" };
    }
  const all = typedBlocks(doc, "listener");
  if (all.length === 0) return { kind: "none" };
  const server = has(doc, SERVER_STANZAS);
  if (!server && has(doc, BOUNDARY_STANZAS)) return { kind: "none" };
  const agent = !server && has(doc, AGENT_STANZAS);
  const plain: PlainListener[] = [];
  for (const { type, body } of all) {
    if (type !== "tcp") continue;
    const setting = valuesOf(body, "tls_disable").find(vaultTrue);
    if (setting === undefined) continue;
    const address = valuesOf(body, "address").find((a) => typeof a === "string") as string | undefined;
    if (agent && loopback(address ?? "")) continue;
    plain.push({ address: address ?? "127.0.0.1:8200", setting });
  }
  return { kind: "config", plain };
}

/** One line per plain listener, or why the value could not be judged; none when it serves TLS. */
export async function plainHttpFindings(value: unknown): Promise<string[]> {
  const reading = await readVaultConfig(value);
  if (reading.kind === "unparsed")
    return [
      "has a `listener` stanza but does not parse as Vault configuration, so that it serves TLS cannot be verified",
    ];
  if (reading.kind === "none") return [];
  return reading.plain.map(
    (l) =>
      `sets tls_disable = ${JSON.stringify(l.setting)} on the tcp listener at ${l.address}: Vault listens in plain HTTP`,
  );
}

/**
 * Every @pulumi/kubernetes resource that holds string data a pod can mount as files, and its
 * fields: plain text or base64 (test/policy/sdk-resource-types.test.ts derives the list from the
 * SDK's declarations, all API versions).
 */
export const CONFIG_DATA_FIELDS: Readonly<
  Record<string, { readonly text: string[]; readonly base64: string[] }>
> = {
  "kubernetes:core/v1:ConfigMap": { text: ["data"], base64: ["binaryData"] },
  "kubernetes:core/v1:ConfigMapPatch": { text: ["data"], base64: ["binaryData"] },
  "kubernetes:core/v1:Secret": { text: ["stringData"], base64: ["data"] },
  "kubernetes:core/v1:SecretPatch": { text: ["stringData"], base64: ["data"] },
};

/**
 * Each value of a ConfigMap's or Secret's data, decoded, with where it is (`data.server.hcl`).
 * A value `pulumi policy analyze` withholds as `[secret]` is not read: a Secret's data always is
 * a secret there, and what it holds (a Vault configuration or not) cannot be told.
 */
export function dataValues(
  type: string,
  props: Record<string, unknown>,
): Array<{ where: string; text: string }> {
  const fields = CONFIG_DATA_FIELDS[type];
  const found: Array<{ where: string; text: string }> = [];
  for (const [field, decode] of [
    ...fields.text.map((f) => [f, false] as const),
    ...fields.base64.map((f) => [f, true] as const),
  ]) {
    const values = props[field];
    if (!isRecord(values)) continue;
    for (const [key, value] of Object.entries(values)) {
      if (typeof value !== "string" || isRedacted(value)) continue;
      found.push({
        where: `${field}.${key}`,
        text: decode ? Buffer.from(value, "base64").toString("utf8") : value,
      });
    }
  }
  return found;
}
