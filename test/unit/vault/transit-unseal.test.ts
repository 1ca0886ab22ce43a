/**
 * Auto-unseal through another Vault's transit engine (`unseal: transit`), under the mock
 * runtime: the seal stanza the chart receives, where the token lives, and the policy the
 * unsealing Vault gives it.
 */
import * as assert from "node:assert/strict";
import { parse } from "@cdktf/hcl2json";
import { renderPolicy } from "../../../components/vault/policies";
import { transitUnsealPolicy, transitUnsealPolicyName } from "../../../components/vault/unseal/transit";
import type { RecordedResource } from "../../../tools/offline/types";
import { ofType } from "../../support/offline";
import { recordVault, single, transitUnsealCatalog } from "./support";

type Values = {
  server: {
    ha: { raft: { config: string } };
    volumes: Array<{ name: string; secret: { secretName: string } }>;
    volumeMounts: Array<{ name: string; mountPath: string; readOnly: boolean }>;
    serviceAccount: { annotations: Record<string, string> };
  };
};

describe("VaultCluster auto-unseal through another Vault's transit engine", () => {
  const catalog = transitUnsealCatalog("prod");
  const transit = catalog.vault!.transitUnseal!;
  let resources: RecordedResource[];
  let values: Values;
  before(async () => {
    resources = await recordVault(catalog);
    values = single(resources, (r) => r.type === "kubernetes:helm.sh/v3:Release").inputs.values as Values;
  });

  it("renders a transit seal stanza: https address, mount, key, the CA to verify with, the token as a file", async () => {
    const config = (await parse("server.hcl", values.server.ha.raft.config)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(config.seal as object), ["transit"]);
    const seal = (config.seal as { transit: Array<Record<string, string>> }).transit[0];
    assert.deepEqual(seal, {
      address: "https://unseal.example.internal:8200",
      mount_path: "transit-unseal/",
      key_name: "sp-prod-unseal",
      tls_ca_cert: "/vault/userconfig/transit-seal/ca.crt",
      token: "file:///vault/userconfig/transit-seal/token",
      disable_renewal: "false",
    });
  });

  it("keeps the token out of the chart's values: a Secret of its own, mounted read-only beside the CA", () => {
    const secret = single(
      resources,
      (r) => r.type === "kubernetes:core/v1:Secret" && r.name === "vault-cluster-transit-seal",
    );
    assert.deepEqual(secret.inputs.metadata, { name: "vault-transit-seal", namespace: "vault" });
    assert.ok(secret.secretPaths.some((p) => p === "stringData" || p === "stringData.token"));
    assert.equal(
      (secret.inputs.stringData as Record<string, string>).token,
      `test-placeholder-for-${transit.tokenConfigKey}`,
    );
    assert.match((secret.inputs.stringData as Record<string, string>)["ca.crt"], /BEGIN CERTIFICATE/);
    assert.doesNotMatch(JSON.stringify(values), /test-placeholder-for/);
    assert.deepEqual(
      values.server.volumes.find((v) => v.name === "transit-seal")?.secret.secretName,
      "vault-transit-seal",
    );
    assert.deepEqual(
      values.server.volumeMounts.find((m) => m.name === "transit-seal"),
      { name: "transit-seal", mountPath: "/vault/userconfig/transit-seal", readOnly: true },
    );
  });

  it("creates no cloud key or identity for the seal", () => {
    const cloud = resources.filter((r) => /^(aws:kms|gcp:kms|azure-native:keyvault:Key)/.test(r.type));
    assert.deepEqual(
      cloud.map((r) => r.type),
      [],
    );
    assert.deepEqual(values.server.serviceAccount.annotations, {});
    assert.equal(ofType(resources, "aws:iam/role:Role").filter((r) => /unseal/.test(r.name)).length, 0);
  });

  it("gives the seal's token encrypt and decrypt on its one key, and renewal of itself, nothing else", async () => {
    assert.equal(transitUnsealPolicyName(catalog), "sp-prod-vault-unseal");
    const policy = (await parse("unseal.hcl", renderPolicy(transitUnsealPolicy(transit)))) as {
      path: Record<string, Array<{ capabilities: string[] }>>;
    };
    assert.deepEqual(
      Object.entries(policy.path)
        .map(([p, [rule]]) => `${p}: ${rule.capabilities.join(",")}`)
        .sort(),
      [
        "auth/token/lookup-self: read",
        "auth/token/renew-self: update",
        "transit-unseal/decrypt/sp-prod-unseal: update",
        "transit-unseal/encrypt/sp-prod-unseal: update",
      ],
    );
  });
});
