/**
 * vault-kubernetes-forbid-wildcard-bindings on foreign programs: the same wildcard login
 * through a Kubernetes role, a JWT role of type jwt, or the same role written through a
 * generic endpoint, under any name; values unknown during preview or withheld.
 */
import assert from "node:assert/strict";
import * as vault from "@pulumi/vault";
import { vaultKubernetesForbidWildcardBindings as RULE } from "../../policy/policies";
import { evaluatePolicies } from "../../tools/offline/gate";
import type { RecordedResource } from "../../tools/offline/types";
import { recordResources } from "../support/offline";
import { recorded } from "./fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: string };

const levels = async (resources: readonly RecordedResource[]) =>
  (await evaluatePolicies(resources, { environment: "prod", policies: [RULE] })).map(
    (v) => `${v.enforcementLevel}: ${v.message}`,
  );

const k8s = (args: Partial<vault.kubernetes.AuthBackendRoleArgs>) =>
  recordResources(
    () =>
      new vault.kubernetes.AuthBackendRole("anything", {
        backend: "k8s",
        roleName: "anything",
        boundServiceAccountNames: ["billing"],
        boundServiceAccountNamespaces: ["billing"],
        ...args,
      }),
  );
const jwt = (args: Partial<vault.jwt.AuthBackendRoleArgs>) =>
  recordResources(
    () =>
      new vault.jwt.AuthBackendRole("anything", { backend: "jwt", roleName: "x", userClaim: "sub", ...args }),
  );
const generic = (path: string, data: object | string) => [
  recorded("vault:generic/endpoint:Endpoint", "anything", {
    path,
    dataJson: typeof data === "string" ? data : JSON.stringify(data),
  }),
];

describe("vault-kubernetes-forbid-wildcard-bindings", function () {
  this.timeout(60_000);

  it("passes exact bindings, whatever the role is called", async () => {
    assert.deepEqual(await levels(await k8s({})), []);
    assert.deepEqual(
      await levels(
        generic("auth/k8s/role/x", {
          bound_service_account_names: "billing",
          bound_service_account_namespaces: ["billing"],
        }),
      ),
      [],
    );
  });

  it("flags a glob service account, a * namespace, and a namespace label selector", async () => {
    assert.equal((await levels(await k8s({ boundServiceAccountNames: ["bill-*"] }))).length, 1);
    assert.equal((await levels(await k8s({ boundServiceAccountNamespaces: ["*"] }))).length, 1);
    assert.match(
      (await levels(await k8s({ boundServiceAccountNamespaceSelector: '{"matchLabels":{"a":"b"}}' })))[0],
      /matches namespaces by label/,
    );
  });

  it("flags the same role written through a generic endpoint, in Vault's comma-separated form too", async () => {
    const found = await levels(
      generic("auth/kubernetes/role/x", {
        bound_service_account_names: "billing,*",
        bound_service_account_namespaces: "billing",
      }),
    );
    assert.equal(found.length, 1);
    assert.match(found[0], /^mandatory: auth\/kubernetes\/role\/x bound_service_account_names contains "\*"/);
  });

  it("fails a role write whose data policy analyze withholds ([secret])", async () => {
    assert.match(
      (await levels(generic("auth/kubernetes/role/x", "[secret]")))[0],
      /^mandatory: .*cannot decrypt/,
    );
  });

  it("flags a JWT machine role that binds no subject or claim, or a glob claim; not an OIDC role", async () => {
    assert.match((await levels(await jwt({ roleType: "jwt", boundAudiences: ["vault"] })))[0], /any token/);
    assert.match(
      (
        await levels(
          await jwt({
            roleType: "jwt",
            boundClaimsType: "glob",
            boundClaims: { sub: "system:serviceaccount:*" },
          }),
        )
      )[0],
      /glob/,
    );
    assert.deepEqual(
      await levels(await jwt({ roleType: "jwt", boundSubject: "system:serviceaccount:a:b" })),
      [],
    );
    assert.deepEqual(
      await levels(await jwt({ roleType: "oidc", allowedRedirectUris: ["https://x/cb"] })),
      [],
    );
    assert.equal(
      (await levels(generic("auth/jwt/role/x", { role_type: "jwt", bound_audiences: ["vault"] }))).length,
      1,
    );
  });

  it("does not pass a service-account list unknown during preview: advisory, judged at up", async () => {
    const rs = await k8s({});
    rs.find(
      (r) => r.type === "vault:kubernetes/authBackendRole:AuthBackendRole",
    )!.inputs.boundServiceAccountNames = unknownStringValue;
    const found = await levels(rs);
    assert.equal(found.length, 1);
    assert.match(found[0], /^advisory: can't run policy .* during preview/);
  });
});
