/**
 * vault-policy-forbid-privileged-workload-paths: scope from what resources do and what they
 * are attached to, never from names. Cases are foreign programs (plain @pulumi/vault
 * resources under the mock runtime, names nothing like ours) and hand-built states where a
 * value must be unknown or withheld; every evasion the issue lists is one case.
 */
import assert from "node:assert/strict";
import * as vault from "@pulumi/vault";
import { vaultPolicyForbidPrivilegedWorkloadPaths as RULE } from "../../policy/policies";
import { evaluatePolicies } from "../../tools/offline/gate";
import type { PolicyViolation, RecordedResource } from "../../tools/offline/types";
import { recordResources } from "../support/offline";
import { recorded } from "./fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: string };

const READ_ONLY = 'path "kv/data/app/config" {\n  capabilities = ["read"]\n}\n';
const SUDO = 'path "sys/auth/*" {\n  capabilities = ["create", "update", "sudo"]\n}\n';

async function check(
  resources: readonly RecordedResource[],
  exemptions?: unknown,
): Promise<{ mandatory: PolicyViolation[]; advisory: PolicyViolation[] }> {
  const found = await evaluatePolicies(resources, {
    environment: "prod",
    policies: [RULE],
    config: exemptions === undefined ? undefined : { [RULE.name]: { exemptions } },
  });
  return {
    mandatory: found.filter((v) => v.enforcementLevel === "mandatory"),
    advisory: found.filter((v) => v.enforcementLevel === "advisory"),
  };
}

/** A plain program of someone else's: one policy, and whatever attaches it. */
function program(policyName: string, text: string, attach: (name: string) => void) {
  return recordResources(() => {
    new vault.Policy("their-policy", { name: policyName, policy: text });
    attach(policyName);
  });
}

const k8sRole = (policies: string[]) =>
  new vault.kubernetes.AuthBackendRole("their-role", {
    backend: "kubernetes",
    roleName: "billing",
    boundServiceAccountNames: ["billing"],
    boundServiceAccountNamespaces: ["billing"],
    tokenPolicies: policies,
  });

const oidcRole = (policies: string[], roleType?: string) =>
  new vault.jwt.AuthBackendRole("their-oidc-role", {
    backend: "oidc",
    roleName: "admins",
    roleType,
    userClaim: "sub",
    allowedRedirectUris: ["https://vault.example.internal/ui/vault/auth/oidc/oidc/callback"],
    tokenPolicies: policies,
  });

const byType = (rs: RecordedResource[], type: string) => rs.filter((r) => r.type === type);
const setOutput = (r: RecordedResource, key: string, value: unknown) => {
  r.outputs[key] = value;
};

describe("vault-policy-forbid-privileged-workload-paths", function () {
  this.timeout(60_000);

  describe("violating and compliant", () => {
    it("passes exact read-only paths on a machine login", async () => {
      const rs = await program("billing", READ_ONLY, (n) => k8sRole([n]));
      assert.deepEqual(await check(rs), { mandatory: [], advisory: [] });
    });

    for (const [label, text] of [
      ["sudo", 'path "kv/data/app/config" {\n  capabilities = ["read", "sudo"]\n}\n'],
      ["a * glob", 'path "kv/data/*" {\n  capabilities = ["read"]\n}\n'],
      ["a + segment glob", 'path "kv/data/+/config" {\n  capabilities = ["read"]\n}\n'],
      ["a sys/ path", 'path "sys/mounts" {\n  capabilities = ["read"]\n}\n'],
      ["HCL that does not parse", 'path "x" {'],
    ])
      it(`flags ${label} on the policy resource`, async () => {
        const rs = await program("billing", text, (n) => k8sRole([n]));
        const { mandatory } = await check(rs);
        assert.equal(mandatory.length, 1, JSON.stringify(mandatory));
        assert.equal(mandatory[0].urn, byType(rs, "vault:index/policy:Policy")[0].urn);
        assert.match(mandatory[0].message, /attached to Kubernetes auth role "their-role"/);
      });

    it("passes a deny on a glob (deny grants nothing)", async () => {
      const text = `${READ_ONLY}path "sys/*" {\n  capabilities = ["deny"]\n}\n`;
      assert.deepEqual((await check(await program("billing", text, (n) => k8sRole([n])))).mandatory, []);
    });
  });

  describe("the same grant under other names, without our naming", () => {
    for (const name of ["workload-billing", "billing-reader", "ci", "WORKLOAD-x", "default-ish", "operator"])
      it(`flags sudo in a policy named ${JSON.stringify(name)} on a machine login`, async () => {
        const rs = await program(name, SUDO, (n) => k8sRole([n]));
        assert.equal((await check(rs)).mandatory.length, 1);
      });

    it("matches the attachment as Vault does: trimmed and case-insensitive", async () => {
      const rs = await program("Billing", SUDO, () => k8sRole([" billing "]));
      assert.match((await check(rs)).mandatory[0].message, /attached to Kubernetes auth role/);
    });

    it("holds Vault's own policy text rules: PATH/Capabilities in any case, legacy policy = sudo, JSON, a leading /", async () => {
      for (const text of [
        'PATH "kv/data/app" {\n  Capabilities = ["read", "sudo"]\n}\n',
        'path "kv/data/app" {\n  policy = "sudo"\n}\n',
        JSON.stringify({ path: { "kv/data/app": { capabilities: ["sudo"] } } }),
        JSON.stringify({ path: [{ "kv/data/*": [{ capabilities: ["read"] }] }] }),
        'path "/sys/auth" {\n  capabilities = ["read"]\n}\n',
      ]) {
        const rs = await program("billing", text, (n) => k8sRole([n]));
        assert.equal((await check(rs)).mandatory.length, 1, text);
      }
    });
  });

  describe("scope from attachments (split across resources)", () => {
    it("flags a privileged policy attached to nothing", async () => {
      const rs = await program("orphan", SUDO, () => undefined);
      const { mandatory } = await check(rs);
      assert.equal(mandatory.length, 1);
      assert.match(mandatory[0].message, /attached to no login in this stack/);
    });

    it("passes a privileged policy carried only by a person's login (an OIDC role)", async () => {
      const rs = await program("admins", SUDO, (n) => oidcRole([n], "oidc"));
      assert.deepEqual(await check(rs), { mandatory: [], advisory: [] });
    });

    it("takes an unset roleType as Vault does (oidc, a person's login)", async () => {
      const rs = await program("admins", SUDO, (n) => oidcRole([n]));
      assert.deepEqual((await check(rs)).mandatory, []);
    });

    it("flags it once a JWT role (roleType jwt) carries it too", async () => {
      const rs = await program("admins", SUDO, (n) => {
        oidcRole([n], "oidc");
        new vault.jwt.AuthBackendRole("their-ci", {
          backend: "jwt",
          roleName: "ci",
          roleType: "jwt",
          userClaim: "sub",
          boundAudiences: ["vault"],
          tokenPolicies: [n],
        });
      });
      const { mandatory } = await check(rs);
      assert.equal(mandatory.length, 1);
      assert.match(mandatory[0].message, /JWT\/OIDC auth role "their-ci"/);
      assert.doesNotMatch(mandatory[0].message, /their-oidc-role/);
    });

    const machineAttachers: Array<[string, (n: string) => void]> = [
      [
        "an AppRole role",
        (n) =>
          new vault.approle.AuthBackendRole("a", { backend: "approle", roleName: "a", tokenPolicies: [n] }),
      ],
      [
        "an AWS auth role",
        (n) => new vault.aws.AuthBackendRole("a", { backend: "aws", role: "a", tokenPolicies: [n] }),
      ],
      [
        "a GCP auth role",
        (n) =>
          new vault.gcp.AuthBackendRole("a", { backend: "gcp", role: "a", type: "iam", tokenPolicies: [n] }),
      ],
      [
        "an Azure auth role",
        (n) => new vault.azure.AuthBackendRole("a", { backend: "azure", role: "a", tokenPolicies: [n] }),
      ],
      [
        "a certificate auth role",
        (n) =>
          new vault.CertAuthBackendRole("a", {
            certificate: "-----BEGIN CERTIFICATE-----",
            tokenPolicies: [n],
          }),
      ],
      [
        "a token role",
        (n) => new vault.tokenauth.AuthBackendRole("a", { roleName: "a", allowedPolicies: [n] }),
      ],
      [
        "a token role's policy glob",
        () => new vault.tokenauth.AuthBackendRole("a", { roleName: "a", allowedPoliciesGlobs: ["bill*"] }),
      ],
      ["a token", (n) => new vault.Token("a", { policies: [n] })],
      ["an identity entity", (n) => new vault.identity.Entity("a", { policies: [n] })],
      [
        "an identity group (members may be machines' entities)",
        (n) => new vault.identity.Group("a", { policies: [n] }),
      ],
    ];
    for (const [label, attach] of machineAttachers)
      it(`flags a privileged policy attached by ${label} (OIDC role as well)`, async () => {
        const rs = await program("billing", SUDO, (n) => {
          oidcRole([n], "oidc");
          attach(n);
        });
        assert.equal((await check(rs)).mandatory.length, 1);
      });
  });

  // Generic writes as the engine hands them to the pack: secrets (dataJson) unwrapped.
  const write = (type: string, name: string, path: string, data: object) =>
    recorded(type, name, { path, dataJson: JSON.stringify(data) });

  describe("the same grant without a vault.Policy resource", () => {
    for (const [type, path] of [
      ["vault:generic/endpoint:Endpoint", "sys/policies/acl/billing"],
      ["vault:generic/endpoint:Endpoint", "sys/policy/billing"],
      ["vault:generic/endpoint:Endpoint", "team-a/sys/policies/acl/billing"],
      ["vault:generic/secret:Secret", "sys/policy/billing"],
      ["vault:kv/secret:Secret", "/sys/policies/acl/billing"],
    ])
      it(`flags a policy written through ${type} at ${path}`, async () => {
        const rs = [
          write(type, "w", path, { policy: SUDO }),
          ...(await recordResources(() => k8sRole(["billing"]))),
        ];
        const { mandatory } = await check(rs);
        assert.equal(mandatory.length, 1);
        assert.match(mandatory[0].message, /writing .*sys\/polic/);
      });

    it("flags a privileged policy handed out by a generic write of a Kubernetes role", async () => {
      const rs = [
        ...(await program("billing", SUDO, (n) => oidcRole([n], "oidc"))),
        write("vault:generic/endpoint:Endpoint", "role", "auth/kubernetes/role/billing", {
          bound_service_account_names: ["billing"],
          token_policies: "billing",
        }),
      ];
      const { mandatory } = await check(rs);
      assert.equal(mandatory.length, 1);
      assert.match(mandatory[0].message, /generic endpoint "role" writing auth\/kubernetes\/role\/billing/);
    });

    it("flags the built-in root policy handed to a machine login, on the role", async () => {
      const rs = await recordResources(() => k8sRole(["root"]));
      const { mandatory } = await check(rs);
      assert.equal(mandatory.length, 1);
      assert.equal(mandatory[0].urn, byType(rs, "vault:kubernetes/authBackendRole:AuthBackendRole")[0].urn);
      assert.match(mandatory[0].message, /built-in root policy/);
    });

    it("flags root in a token and in a generic token create; not in an OIDC role", async () => {
      const rs = [
        ...(await recordResources(() => {
          new vault.Token("t", { policies: ["ROOT"] });
          oidcRole(["root"], "oidc");
        })),
        write("vault:generic/endpoint:Endpoint", "c", "auth/token/create", { policies: "default,root" }),
      ];
      assert.equal((await check(rs)).mandatory.length, 2);
    });
  });

  describe("values unknown during preview", () => {
    it("keeps a policy in scope when a machine role's policy list is unknown, and reports it", async () => {
      const rs = await program("admins", SUDO, (n) => {
        oidcRole([n], "oidc");
        k8sRole(["placeholder"]);
      });
      setOutput(
        byType(rs, "vault:kubernetes/authBackendRole:AuthBackendRole")[0],
        "tokenPolicies",
        unknownStringValue,
      );
      const { mandatory, advisory } = await check(rs);
      assert.equal(mandatory.length, 1);
      assert.match(mandatory[0].message, /is unknown, so it may be attached to a machine login/);
      assert.equal(advisory.length, 1);
      assert.match(advisory[0].message, /judged when the stack is analysed again at `pulumi up`/);
    });

    it("does the same for one unknown element of the list", async () => {
      const rs = await program("admins", SUDO, (n) => {
        oidcRole([n], "oidc");
        k8sRole(["known", "placeholder"]);
      });
      setOutput(byType(rs, "vault:kubernetes/authBackendRole:AuthBackendRole")[0], "tokenPolicies", [
        "known",
        unknownStringValue,
      ]);
      assert.equal((await check(rs)).mandatory.length, 1);
    });

    it("keeps a policy whose name is unknown in scope, and never exempts it", async () => {
      const rs = await program("platform-deployer", SUDO, (n) => oidcRole([n], "oidc"));
      setOutput(byType(rs, "vault:index/policy:Policy")[0], "name", unknownStringValue);
      const exemptions = [{ policy: "platform-deployer", reason: "deployer" }];
      const { mandatory } = await check(rs, exemptions);
      assert.equal(mandatory.length, 1);
      assert.match(mandatory[0].message, /name is unknown during preview/);
    });

    it("reports a policy text unknown during preview as advisory, to be judged at up", async () => {
      const rs = await program("billing", SUDO, (n) => k8sRole([n]));
      setOutput(byType(rs, "vault:index/policy:Policy")[0], "policy", unknownStringValue);
      const { mandatory, advisory } = await check(rs);
      assert.deepEqual(mandatory, []);
      assert.equal(advisory.length, 1);
      assert.match(advisory[0].message, /policy text is unknown during preview/);
    });

    it("fails a policy text withheld as [secret] by policy analyze (it cannot be re-checked)", async () => {
      const rs = [
        write("vault:generic/endpoint:Endpoint", "w", "sys/policy/billing", {}),
        ...(await recordResources(() => k8sRole(["billing"]))),
      ];
      setOutput(rs[0], "dataJson", "[secret]");
      const { mandatory } = await check(rs);
      assert.equal(mandatory.length, 1);
      assert.match(mandatory[0].message, /cannot decrypt/);
    });
  });

  describe("exemptions", () => {
    const deployer = { policy: "platform-deployer", reason: "applies the Vault configuration" };

    it("allows an exempt policy by exact name, as an advisory note carrying the reason", async () => {
      const rs = await program("platform-deployer", SUDO, () => undefined);
      const { mandatory, advisory } = await check(rs, [deployer]);
      assert.deepEqual(mandatory, []);
      assert.equal(advisory.length, 1);
      assert.match(
        advisory[0].message,
        /Exempt by configuration \(exemption "platform-deployer"\): applies the Vault configuration/,
      );
      assert.match(advisory[0].message, /path "sys\/auth\/\*" \(sudo, glob, sys\/\)/);
    });

    for (const nearMiss of ["platform-deployer-2", "Platform-Deployer", "platform-deployer ", "platform"])
      it(`does not exempt the near miss ${JSON.stringify(nearMiss)}, and says the exemption matched nothing`, async () => {
        const rs = await program(nearMiss, SUDO, () => undefined);
        const { mandatory, advisory } = await check(rs, [deployer]);
        assert.equal(mandatory.length, 1);
        assert.equal(advisory.length, 1);
        assert.match(advisory[0].message, /exemption "platform-deployer" matched no privileged grant/);
      });

    it("ignores an exemption without a reason, and reports it", async () => {
      const rs = await program("platform-deployer", SUDO, () => undefined);
      const { mandatory } = await check(rs, [{ policy: "platform-deployer", reason: " " }]);
      assert.equal(mandatory.length, 2);
      assert.ok(mandatory.some((v) => /exemptions\[0\] is ignored/.test(v.message)));
    });

    it("exempts root on a machine login only when `root` itself is listed", async () => {
      const rs = await recordResources(() => k8sRole(["root"]));
      assert.equal((await check(rs, [deployer])).mandatory.length, 1);
      const { mandatory, advisory } = await check(rs, [{ policy: "root", reason: "lab only" }]);
      assert.deepEqual(mandatory, []);
      assert.match(advisory[0].message, /root policy .* lab only/);
    });
  });

  it("redefining the default policy is in scope: Vault attaches it to every token", async () => {
    const rs = await program("default", 'path "kv/*" {\n  capabilities = ["read"]\n}\n', (n) =>
      oidcRole([n], "oidc"),
    );
    assert.equal((await check(rs)).mandatory.length, 1);
  });

  it("judges a state written by hand (plain recorded resources) alike", async () => {
    const rs = [
      recorded("vault:index/policy:Policy", "p", { name: "x", policy: SUDO }),
      recorded("vault:appRole/authBackendRole:AuthBackendRole", "r", { roleName: "r", tokenPolicies: ["x"] }),
    ];
    const { mandatory } = await check(rs);
    assert.equal(mandatory.length, 1);
    assert.match(mandatory[0].message, /attached to AppRole role "r"/);
  });
});
