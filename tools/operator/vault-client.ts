/**
 * The few Vault HTTP calls the operator commands make, over TLS verified against the catalog's
 * CA (`vault.caCertFile`) with the catalog address's host name, as the Pulumi provider does: an
 * operator may connect through a port-forward (`--address https://127.0.0.1:8200`) and still
 * verify the server's certificate.
 */
import * as fs from "node:fs";
import * as https from "node:https";
import * as tls from "node:tls";
import type { Catalog } from "../../stacks/schema";
import { projectPath } from "../../stacks/loader";
import { InputError, OperationError } from "./cli";

export interface VaultEndpoint {
  /** Where to connect, e.g. the catalog's address or a port-forward. */
  readonly address: URL;
  /** PEM of the CA to trust. */
  readonly ca: string;
  /** The name the server's certificate must carry. */
  readonly serverName: string;
}

/**
 * The catalog's Vault, reached at `address` (default: the catalog's own address), verified with
 * `caFile` (default: the catalog's `vault.caCertFile`; before that is committed, the CA exported
 * from the server certificate's Secret).
 */
export function catalogEndpoint(
  catalog: Catalog,
  stack: string,
  address?: string,
  caFile?: string,
): VaultEndpoint {
  const vault = catalog.vault;
  if (!vault) throw new InputError(`stack ${stack}'s catalog has no vault section`);
  if (caFile !== undefined && !fs.existsSync(caFile))
    throw new InputError(`--ca-file ${caFile}: no such file`);
  if (!caFile && !vault.caCertFile)
    throw new InputError(
      `stack ${stack}'s catalog names no vault.caCertFile: give the CA to verify Vault with as --ca-file`,
    );
  let url: URL;
  try {
    url = new URL(address ?? vault.address);
  } catch {
    throw new InputError(`--address ${address}: not a URL`);
  }
  if (url.protocol !== "https:") throw new InputError(`--address ${url.href}: must be https://`);
  return {
    address: url,
    ca: fs.readFileSync(caFile ?? projectPath(vault.caCertFile!), "utf8"),
    serverName: new URL(vault.address).hostname,
  };
}

export interface VaultResponse {
  readonly status: number;
  readonly body: Buffer;
}

/** One request; a connection or TLS failure is an OperationError naming the address. */
export function vaultRequest(
  endpoint: VaultEndpoint,
  method: string,
  path: string,
  options: { token?: string; body?: Buffer | string; timeoutMs?: number } = {},
): Promise<VaultResponse> {
  const url = new URL(`/v1/${path}`, endpoint.address);
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method,
        ca: endpoint.ca,
        servername: endpoint.serverName,
        // The certificate names the catalog's host, whichever address the operator connects to.
        checkServerIdentity: (_host, cert) => tls.checkServerIdentity(endpoint.serverName, cert),
        headers: {
          ...(options.token ? { "X-Vault-Token": options.token } : {}),
          ...(options.body !== undefined ? { "Content-Length": Buffer.byteLength(options.body) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on("error", reject);
      },
    );
    request.on("error", (err) =>
      reject(new OperationError(`Vault at ${endpoint.address.origin} (${method} ${path}): ${err.message}`)),
    );
    if (options.timeoutMs !== undefined)
      request.setTimeout(options.timeoutMs, () =>
        request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      );
    request.end(options.body);
  });
}

/** Vault's error list from a response body, for messages. */
export function vaultErrors(response: VaultResponse): string {
  try {
    const parsed = JSON.parse(response.body.toString("utf8")) as { errors?: string[] };
    return parsed.errors?.join("; ") || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** A secret the operator gives on stdin or in a file: never as an argument (the process list shows those). */
export function readSecretInput(file: string | undefined, what: string, stdin: () => string): string {
  const text = file === undefined ? stdin() : fs.readFileSync(file, "utf8");
  const value = text.trim();
  if (!value) throw new InputError(`no ${what} on ${file === undefined ? "stdin" : file}`);
  return value;
}
