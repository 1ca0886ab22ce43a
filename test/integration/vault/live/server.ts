/**
 * A real Vault server for the tests: the binary scripts/vault-env.sh builds from HashiCorp's
 * source, in dev mode (in-memory storage, unsealed, HTTP on 127.0.0.1), with a root token
 * generated per run and never printed. Under CI=true a missing binary is a failure.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { missingEngine } from "../../engines";

export const VAULT_BINARY = path.join(__dirname, "..", "..", "..", "..", ".integration", "bin", "vault");

export function requireVault(ctx: Mocha.Context): void {
  if (fs.existsSync(VAULT_BINARY)) return;
  const message = `no Vault binary at ${VAULT_BINARY}; build it with scripts/vault-env.sh`;
  missingEngine(ctx, message);
}

/** A Vault API error: the HTTP status and Vault's `errors`, never the request body. */
export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly apiPath: string,
    readonly errors: readonly string[],
  ) {
    super(`${method} ${apiPath}: ${status} ${errors.join("; ")}`);
  }
}

/** The HTTP API with one token. Vault has no maintained Node client; fetch is all it needs. */
export class VaultClient {
  constructor(
    readonly address: string,
    readonly token: string,
  ) {}

  withToken(token: string): VaultClient {
    return new VaultClient(this.address, token);
  }

  async request<T = Record<string, unknown>>(method: string, apiPath: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.address}/v1/${apiPath}`, {
      method,
      headers: { "X-Vault-Token": this.token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as { errors?: string[] } & T) : ({} as T);
    if (!response.ok) {
      throw new VaultError(response.status, method, apiPath, (parsed as { errors?: string[] }).errors ?? []);
    }
    return parsed;
  }

  read<T = Record<string, unknown>>(
    apiPath: string,
  ): Promise<{ data: T; lease_id?: string; auth?: VaultAuth }> {
    return this.request("GET", apiPath);
  }

  write<T = Record<string, unknown>>(
    apiPath: string,
    body: unknown = {},
  ): Promise<{ data?: T; auth?: VaultAuth; lease_id?: string }> {
    return this.request("POST", apiPath, body);
  }
}

export interface VaultAuth {
  readonly client_token: string;
  readonly policies: string[];
  readonly token_policies: string[];
  readonly lease_duration: number;
  readonly metadata?: Record<string, string>;
}

export interface VaultServer {
  readonly root: VaultClient;
  /** The server's process id. */
  readonly pid: number;
  /** The HTTPS listener's address, when started with a certificate. */
  readonly tlsAddress?: string;
  stop(): Promise<void>;
}

/** A server certificate (PEM files) for an extra HTTPS listener beside the dev listener. */
export interface ListenerCertificate {
  readonly certFile: string;
  readonly keyFile: string;
}

export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A Vault server process writing its log to `logFile`; `stop` ends it and waits. */
export interface VaultProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited, whoever ended it. */
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

/** `detached`: the server outlives this process (npm run local:up), which does not wait for it. */
export function spawnVault(
  args: readonly string[],
  env: Record<string, string>,
  logFile: string,
  { detached = false }: { detached?: boolean } = {},
): VaultProcess {
  const log = fs.openSync(logFile, "a", 0o600);
  const child = spawn(VAULT_BINARY, [...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", log, log],
    detached,
  });
  if (detached) child.unref();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopped: Promise<void> | undefined;
  return {
    child,
    exited,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null) child.kill("SIGTERM");
        await exited;
        fs.closeSync(log);
      })();
      return stopped;
    },
  };
}

/**
 * A dev-mode server on an HTTP loopback listener (the tests' API client); with `tls`, also an
 * HTTPS listener with that certificate, for clients that must verify Vault's CA, on `tlsHost`
 * (default the loopback address; the node's bridge address when pods must reach it).
 */
export async function startVault(
  workDir: string,
  tls?: ListenerCertificate,
  options: { detached?: boolean; tlsHost?: string } = {},
): Promise<VaultServer> {
  const port = await freePort();
  // Vault reserves the `hvs.` prefix for tokens it generates itself.
  const rootToken = randomBytes(24).toString("hex");
  const logFile = path.join(workDir, "vault.log");
  const extra: string[] = [];
  let tlsAddress: string | undefined;
  if (tls) {
    const tlsHost = options.tlsHost ?? "127.0.0.1";
    const tlsPort = await freePort(tlsHost);
    const config = path.join(workDir, "tls-listener.hcl");
    fs.writeFileSync(
      config,
      `listener "tcp" {\n  address = "${tlsHost}:${tlsPort}"\n  tls_cert_file = ${JSON.stringify(tls.certFile)}\n  tls_key_file = ${JSON.stringify(tls.keyFile)}\n}\n`,
    );
    extra.push(`-config=${config}`);
    tlsAddress = `https://${tlsHost}:${tlsPort}`;
  }
  // The token goes in through the environment, not argv, so `ps` does not show it.
  const server = spawnVault(
    ["server", "-dev", `-dev-listen-address=127.0.0.1:${port}`, "-dev-no-store-token", ...extra],
    { VAULT_DEV_ROOT_TOKEN_ID: rootToken, HOME: workDir, VAULT_LOG_LEVEL: "warn" },
    logFile,
    options,
  );
  const root = new VaultClient(`http://127.0.0.1:${port}`, rootToken);
  let last = "";
  for (let attempt = 0; ; attempt++) {
    try {
      const health = await fetch(`${root.address}/v1/sys/health`);
      if (health.ok) break;
      last = `sys/health answered ${health.status}`;
    } catch (err) {
      last = String((err as { cause?: Error }).cause?.message ?? err); // not listening yet
    }
    if (server.child.exitCode !== null || attempt > 100) {
      await server.stop();
      throw new Error(`Vault did not start (${last}); see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { root, pid: server.child.pid!, tlsAddress, stop: () => server.stop() };
}
