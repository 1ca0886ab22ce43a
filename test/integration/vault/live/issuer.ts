/**
 * Stand-ins for the token issuers Vault's JWT/OIDC auth methods trust (a GKE or AKS cluster's
 * service-account issuer, GitHub Actions, the operators' identity provider): an OpenID
 * discovery document and a JWKS on 127.0.0.1, and RS256 tokens signed with the issuer's key.
 * Vault fetches the discovery document and keys itself, exactly as from the real issuers.
 */
import { createSign, createVerify, generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeIssuers {
  /** The issuer URL standing in for `realIssuer` (created on first use). */
  urlFor(realIssuer: string): string;
  /** A signed token from the issuer standing in for `realIssuer`. */
  sign(realIssuer: string, claims: Record<string, unknown>): string;
  /** The claims of a token one of these issuers signed, unexpired; undefined for any other. */
  verify(token: string): Record<string, unknown> | undefined;
  close(): Promise<void>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export async function startIssuers(): Promise<FakeIssuers> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...(publicKey.export({ format: "jwk" }) as object), kid, use: "sig", alg: "RS256" };
  const slugs = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const [, slug, ...rest] = (req.url ?? "").split("/");
    const issuer = `${origin}/${slug}`;
    const route = rest.join("/");
    const json = (body: unknown) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (route === ".well-known/openid-configuration") {
      return json({
        issuer,
        jwks_uri: `${issuer}/keys`,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ["code", "id_token"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (route === "keys") return json({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const urlFor = (realIssuer: string) => {
    let slug = slugs.get(realIssuer);
    if (!slug) slugs.set(realIssuer, (slug = `issuer-${slugs.size}`));
    return `${origin}/${slug}`;
  };
  return {
    urlFor,
    sign(realIssuer, claims) {
      const now = Math.floor(Date.now() / 1000);
      const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
      const payload = base64url(
        JSON.stringify({ iss: urlFor(realIssuer), iat: now, nbf: now, exp: now + 300, ...claims }),
      );
      const signature = createSign("RSA-SHA256")
        .update(`${header}.${payload}`)
        .sign(privateKey as KeyObject);
      return `${header}.${payload}.${base64url(signature)}`;
    },
    verify(token) {
      const [header, payload, signature] = token.split(".");
      if (!signature) return undefined;
      const valid = createVerify("RSA-SHA256")
        .update(`${header}.${payload}`)
        .verify(publicKey, Buffer.from(signature, "base64url"));
      if (!valid) return undefined;
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<
        string,
        unknown
      >;
      return Number(claims.exp) > Date.now() / 1000 ? claims : undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
