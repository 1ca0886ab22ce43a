/**
 * Secret Manager's REST surface (v1, as the Node client's `fallback` mode speaks it), in memory,
 * for the rotation function's tests: access, list, addVersion, enable/disable. Nothing else.
 * It follows the real API where the function relies on it: `latest` is the newest version and
 * fails when that is not enabled, lists are newest first, enums are encoded as numbers
 * (`$alt=json;enum-encoding=int`), createTime is the server's clock. Faults can be injected on
 * one method: fail before applying it, or apply it and then drop the response.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { OAuth2Client } from "google-auth-library";
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";

const STATE = { ENABLED: 1, DISABLED: 2 } as const;

interface Version {
  readonly number: number;
  state: number;
  readonly createTime: string;
  readonly data: string;
}

export type Fault = { readonly method: "addVersion" | "disable"; readonly when: "before" | "after" };

export class FakeSecretManager {
  private readonly secrets = new Map<string, Version[]>();
  private server?: http.Server;
  private fault?: Fault;
  readonly calls: string[] = [];

  async start(): Promise<SecretManagerServiceClient> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: "test-token", expiry_date: Date.now() + 3600_000 });
    return new SecretManagerServiceClient({
      fallback: true,
      apiEndpoint: "127.0.0.1",
      port: (this.server.address() as AddressInfo).port,
      protocol: "http",
      authClient: auth,
    } as ConstructorParameters<typeof SecretManagerServiceClient>[0]);
  }

  /** Closes the server; resolves at once when it was never started (a skipped suite's `after`). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  /** Creates `projects/test/secrets/<id>` with one version holding `value`. */
  create(id: string, value: string): string {
    const name = `projects/test/secrets/${id}`;
    this.secrets.set(name, []);
    this.add(name, value);
    return name;
  }

  inject(fault: Fault): void {
    this.fault = fault;
  }

  versions(secretName: string): ReadonlyArray<Readonly<Version>> {
    return this.secrets.get(secretName) ?? [];
  }

  enabledCount(secretName: string): number {
    return this.versions(secretName).filter((v) => v.state === STATE.ENABLED).length;
  }

  private add(secretName: string, data: string): Version {
    const versions = this.secrets.get(secretName)!;
    const version = {
      number: versions.length + 1,
      state: STATE.ENABLED,
      createTime: new Date().toISOString(),
      data: Buffer.from(data).toString("base64"),
    };
    versions.push(version);
    return version;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    const url = new URL(req.url ?? "/", "http://fake");
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    const error = (code: number, status: string, message: string) =>
      reply(code, { error: { code, status, message } });
    if (req.headers.authorization !== "Bearer test-token") return error(401, "UNAUTHENTICATED", "no token");

    const match = /^\/v1\/(projects\/[^/]+\/secrets\/[^/:]+)(?:\/versions(?:\/([^/:]+))?)?(?::(\w+))?$/.exec(
      url.pathname,
    );
    const versions = match ? this.secrets.get(match[1]) : undefined;
    if (!match || !versions) return error(404, "NOT_FOUND", `no such resource ${url.pathname}`);
    const [, secretName, versionRef, verb] = match;
    const method = verb ?? (url.pathname.endsWith("/versions") ? "list" : "get");
    this.calls.push(method);
    const json = (v: Version) => ({
      name: `${secretName}/versions/${v.number}`,
      state: v.state,
      createTime: v.createTime,
    });

    const fault = this.fault?.method === method ? this.fault : undefined;
    if (fault) this.fault = undefined;
    if (fault?.when === "before") return error(500, "INTERNAL", "injected fault before applying");
    const respond = (status: number, payload: unknown): void => {
      if (fault?.when === "after") req.socket.destroy();
      else reply(status, payload);
    };

    if (method === "list") {
      const filter = url.searchParams.get("filter");
      const listed = versions.filter((v) => filter !== "state:ENABLED" || v.state === STATE.ENABLED);
      return respond(200, { versions: [...listed].reverse().map(json), totalSize: listed.length });
    }
    if (method === "addVersion") {
      const data = (JSON.parse(body) as { payload?: { data?: string } }).payload?.data ?? "";
      return respond(200, json(this.add(secretName, Buffer.from(data, "base64").toString())));
    }
    const version =
      versionRef === "latest"
        ? versions[versions.length - 1]
        : versions.find((v) => v.number === Number(versionRef));
    if (!version) return error(404, "NOT_FOUND", `no version ${versionRef}`);
    if (method === "access") {
      if (version.state !== STATE.ENABLED) return error(400, "FAILED_PRECONDITION", "version is not enabled");
      return respond(200, { name: json(version).name, payload: { data: version.data } });
    }
    if (method === "disable" || method === "enable") {
      version.state = method === "disable" ? STATE.DISABLED : STATE.ENABLED;
      return respond(200, json(version));
    }
    return error(400, "INVALID_ARGUMENT", `unsupported method ${method}`);
  }
}
