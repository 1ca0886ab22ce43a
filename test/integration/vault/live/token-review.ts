/**
 * The one Kubernetes API call Vault's Kubernetes auth makes: a TokenReview of the token a
 * workload presents. Answers as the API server does for service-account tokens: authenticated
 * when the token is valid, as `system:serviceaccount:<namespace>:<name>`, and, when the review
 * names audiences, only if the token carries one of them (echoed in `status.audiences`); a
 * token of another cluster is not authenticated.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeIssuers } from "./issuer";

export interface FakeTokenReview {
  readonly url: string;
  close(): Promise<void>;
}

/** The API server of the cluster whose service-account tokens `issuerUrl` issues. */
export async function startTokenReview(issuers: FakeIssuers, issuerUrl: string): Promise<FakeTokenReview> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/apis/authentication.k8s.io/v1/tokenreviews") {
        res.writeHead(404).end();
        return;
      }
      const review = JSON.parse(body) as { spec: { token: string; audiences?: string[] } };
      const verified = issuers.verify(review.spec.token);
      // An API server knows only its own cluster's tokens.
      const claims = verified?.iss === issuerUrl ? verified : undefined;
      const tokenAudiences = ([] as string[]).concat((claims?.aud as string | string[] | undefined) ?? []);
      const wanted = review.spec.audiences ?? [];
      const audiences = wanted.length ? wanted.filter((a) => tokenAudiences.includes(a)) : tokenAudiences;
      const subject = String(claims?.sub ?? "");
      const authenticated = !!claims && subject.startsWith("system:serviceaccount:") && audiences.length > 0;
      const [, , namespace, name] = subject.split(":");
      res.writeHead(201, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({
          apiVersion: "authentication.k8s.io/v1",
          kind: "TokenReview",
          status: authenticated
            ? {
                authenticated: true,
                user: {
                  username: subject,
                  uid: `uid-${namespace}-${name}`,
                  groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`],
                },
                audiences,
              }
            : { authenticated: false, error: "invalid bearer token" },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
