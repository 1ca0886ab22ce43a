/**
 * A stand-in for the part of the Pulumi Cloud API that `pulumi policy publish` and `pulumi
 * policy validate-config` call, on 127.0.0.1. `validate-config` only works against a cloud
 * backend ("DIY backend does not support resource policy"), because it validates against the
 * schema of a *published* pack version, and no Pulumi Cloud is reachable from the tests.
 *
 * What is real: the CLI, its login, `publish` reading the pack's metadata and config schemas
 * from the pack's own policy server (GetAnalyzerInfo) and converting them
 * (httpstate/client.convertPolicyConfigSchema), and `validate-config` validating the file with
 * its JSON-schema validator (resource/analyzer.ValidatePolicyPackConfig). What is a stand-in:
 * this server, which keeps what `publish` posted and serves it back as the version's schema,
 * the way the service does (`GET .../versions/<v>/schema` → `{ configSchema: { <policy>:
 * <schema as published> } }`). Routes follow pkg/backend/httpstate/client of CLI v3.274.1.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

interface PublishedPolicy {
  readonly name: string;
  readonly configSchema?: unknown;
}
export interface PublishedPack {
  readonly name: string;
  readonly versionTag: string;
  readonly policies: readonly PublishedPolicy[];
}

export interface PolicyService {
  readonly url: string;
  readonly org: string;
  /** Packs as `publish` posted them, by `<name>@<versionTag>`. */
  readonly published: ReadonlyMap<string, PublishedPack>;
  /** Bytes of each uploaded pack archive, by pack name. */
  readonly uploads: ReadonlyMap<string, number>;
  /** `<METHOD> <path>` of every request, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export async function startPolicyService(org = "acme"): Promise<PolicyService> {
  const published = new Map<string, PublishedPack>();
  const uploads = new Map<string, number>();
  const requests: string[] = [];
  let base = "";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const route = (req.url ?? "").split("?")[0];
      requests.push(`${req.method} ${route}`);
      const reply = (code: number, value?: unknown) => {
        res.writeHead(code, { "Content-Type": "application/json" });
        res.end(value === undefined ? "" : JSON.stringify(value));
      };
      const packs = `/api/orgs/${org}/policypacks`;
      let m: RegExpExecArray | null;
      if (req.method === "GET" && route === "/api/user")
        return reply(200, {
          githubLogin: "policy-tester",
          name: "Policy Tester",
          email: "",
          avatarUrl: "",
          organizations: [{ githubLogin: org, name: org, avatarUrl: "" }],
        });
      if (req.method === "GET" && route === "/api/capabilities") return reply(200, { capabilities: [] });
      if (req.method === "POST" && route === packs) {
        const pack = JSON.parse(body.toString("utf8")) as PublishedPack;
        published.set(`${pack.name}@${pack.versionTag}`, pack);
        return reply(200, { version: 1, uploadURI: `${base}/upload/${pack.name}`, requiredHeaders: {} });
      }
      if (req.method === "PUT" && (m = /^\/upload\/([^/]+)$/.exec(route))) {
        uploads.set(m[1], body.length);
        return reply(200, {});
      }
      m = new RegExp(`^${packs}/([^/]+)/versions/([^/]+)(/schema|/complete)?$`).exec(route);
      const pack = m ? published.get(`${m[1]}@${m[2]}`) : undefined;
      if (m && !pack) return reply(404, { code: 404, message: `no policy pack ${m[1]}@${m[2]}` });
      if (m && pack && req.method === "POST" && m[3] === "/complete") return reply(204);
      if (m && pack && req.method === "GET" && m[3] === "/schema")
        return reply(200, {
          configSchema: Object.fromEntries(
            pack.policies.filter((p) => p.configSchema).map((p) => [p.name, p.configSchema]),
          ),
        });
      if (m && pack && req.method === "GET" && m[3] === undefined)
        return reply(200, {
          name: pack.name,
          displayName: pack.name,
          version: 1,
          versionTag: pack.versionTag,
          policies: pack.policies,
          applied: false,
        });
      reply(404, { code: 404, message: `the stand-in has no route ${req.method} ${route}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    org,
    published,
    uploads,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
