/**
 * Auto-unseal through another Vault's transit engine (`unseal: transit`), under the mock
 * runtime: the seal stanza the chart receives, where the token comes from, and the policy the
 * unsealing Vault gives it.
 */
import * as assert from "node:assert/strict";
import { parse } from "@cdktf/hcl2json";
import { renderPolicy } from "../../../components/vault/policies";
import { requiredSecretKeys } from "../../../stacks/loader";
import { transitUnsealPolicy, transitUnsealPolicyName } from "../../../components/vault/unseal/transit";
import type { RecordedResource } from "../../../tools/offline/types";
import { ofType } from "../../support/offline";
import { recordVault, single, transitUnsealCatalog } from "./support";

type Values = {
  server: {
    ha: { raft: { config: string } };
    volumes: Array<{
      name: string;
      secret?: { secretName: string };
      projected?: { defaultMode: number; sources: Array<Record<string, unknown>> };
    }>;
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

  it("never handles the token: no config key, no Secret of its own; the operator's Secret and the program's CA ConfigMap projected read-only into one directory", () => {
    assert.deepEqual(ofType(resources, "kubernetes:core/v1:Secret"), []);
    assert.deepEqual(
      requiredSecretKeys(catalog).filter((k) => k.path.startsWith("vault.transitUnseal")),
      [],
    );
    const ca = single(
      resources,
      (r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === "vault-cluster-transit-seal-ca",
    );
    assert.deepEqual(ca.inputs.metadata, { name: "vault-transit-seal-ca", namespace: "vault" });
    assert.deepEqual(Object.keys(ca.inputs.data as object), ["ca.crt"]);
    assert.match((ca.inputs.data as Record<string, string>)["ca.crt"], /BEGIN CERTIFICATE/);
    assert.deepEqual(
      values.server.volumes.find((v) => v.name === "transit-seal"),
      {
        name: "transit-seal",
        projected: {
          defaultMode: 0o440,
          sources: [
            { secret: { name: transit.tokenSecretName, items: [{ key: "token", path: "token" }] } },
            { configMap: { name: "vault-transit-seal-ca", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          ],
        },
      },
    );
    assert.deepEqual(
      values.server.volumeMounts.find((m) => m.name === "transit-seal"),
      { name: "transit-seal", mountPath: "/vault/userconfig/transit-seal", readOnly: true },
    );
  });

  it("mounts the Secret the catalog names", async () => {
    const renamed = transitUnsealCatalog("prod");
    renamed.vault!.transitUnseal!.tokenSecretName = "unseal-token-2026";
    const recorded = await recordVault(renamed);
    const release = single(recorded, (r) => r.type === "kubernetes:helm.sh/v3:Release").inputs
      .values as Values;
    const sources = release.server.volumes.find((v) => v.name === "transit-seal")?.projected?.sources;
    assert.deepEqual(sources?.[0], {
      secret: { name: "unseal-token-2026", items: [{ key: "token", path: "token" }] },
    });
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
