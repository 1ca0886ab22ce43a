/**
 * Key Vault's secrets REST surface (get latest, get a version, set), in memory, for the rotation
 * function's tests, reached by the real `SecretClient`. It answers an unauthenticated request
 * with Key Vault's bearer challenge, as the service does, so the client's challenge policy runs;
 * the token comes from a fake credential. Faults can be injected on the next set: fail before
 * applying it, or apply it and drop the reply.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { SecretClient } from "@azure/keyvault-secrets";

interface Version {
  readonly id: string;
  readonly value: string;
  readonly created: number;
  readonly exp?: number;
  readonly contentType?: string;
  readonly tags?: Record<string, string>;
}

const CHALLENGE =
  'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"';

export class FakeKeyVault {
  private readonly secrets = new Map<string, Version[]>();
  private server?: http.Server;
  private fault?: "before" | "after";
  private base = "";

  async start(): Promise<SecretClient> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    const credential = {
      getToken: async () => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3600_000 }),
    };
    return new SecretClient(this.base, credential, {
      allowInsecureConnection: true,
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
    });
  }

  /** Closes the server; resolves at once when it was never started (a skipped suite's `after`). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  /** Stores a version with the given creation time and expiry (seconds since the epoch). */
  put(name: string, value: string, times: { created?: number; exp?: number } = {}): Version {
    const versions = this.secrets.get(name) ?? [];
    const version = {
      id: randomBytes(16).toString("hex"),
      value,
      created: times.created ?? Math.floor(Date.now() / 1000),
      exp: times.exp,
    };
    versions.push(version);
    this.secrets.set(name, versions);
    return version;
  }

  versions(name: string): readonly Version[] {
    return this.secrets.get(name) ?? [];
  }

  failNextSet(when: "before" | "after"): void {
    this.fault = when;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(payload));
    };
    if (req.headers.authorization !== "Bearer test-token") {
      return reply(401, { error: { code: "Unauthorized" } }, { "www-authenticate": CHALLENGE });
    }
    const url = new URL(req.url ?? "/", this.base);
    const [collection, name, versionId] = url.pathname.split("/").filter(Boolean);
    if (collection !== "secrets" || !name) return reply(404, { error: { code: "NotFound" } });
    const bundle = (v: Version) => ({
      value: v.value,
      id: `${this.base}/secrets/${name}/${v.id}`,
      contentType: v.contentType,
      tags: v.tags,
      attributes: { enabled: true, created: v.created, updated: v.created, exp: v.exp },
    });

    if (req.method === "PUT") {
      const fault = this.fault;
      this.fault = undefined;
      if (fault === "before") return reply(500, { error: { code: "InternalError", message: "injected" } });
      const input = JSON.parse(body) as {
        value: string;
        contentType?: string;
        tags?: Record<string, string>;
        attributes?: { exp?: number };
      };
      const version = {
        ...this.put(name, input.value, { exp: input.attributes?.exp }),
        contentType: input.contentType,
        tags: input.tags,
      };
      this.secrets.get(name)!.splice(-1, 1, version);
      if (fault === "after") req.socket.destroy();
      else reply(200, bundle(version));
      return;
    }
    const versions = this.secrets.get(name) ?? [];
    const version = versionId ? versions.find((v) => v.id === versionId) : versions.at(-1);
    if (!version) return reply(404, { error: { code: "SecretNotFound", message: `no secret ${name}` } });
    return reply(200, bundle(version));
  }
}
