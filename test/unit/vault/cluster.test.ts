/** The cluster layer under the mock runtime: Helm values, TLS, auto-unseal per cloud, protection. */
import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as fs from "node:fs";
import * as tls from "node:tls";
import { parse } from "@cdktf/hcl2json";
import { serverDnsNames } from "../../../components/vault/serverNames";
import { PROFILES } from "../../../stacks/profiles";
import { ENVIRONMENTS, type CatalogInput } from "../../../stacks/schema";
import { validateCatalog } from "../../../stacks/validate";
import type { RecordedResource } from "../../../tools/offline/types";
import { ofType, shippedCatalog, shippedCatalogInput } from "../../support/offline";
import { recordVault, single } from "./support";

type Values = {
  global: { tlsDisable: boolean };
  injector: { enabled: boolean };
  ui: { enabled: boolean };
  server: {
    ha: {
      replicas: number;
      apiAddr: string;
      raft: { config: string };
      disruptionBudget: { enabled: boolean; maxUnavailable: number };
    };
    auditStorage: { enabled: boolean; mountPath: string };
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: unknown[] } };
    resources: { requests: { cpu: string; memory: string } };
    serviceAccount: { name: string; annotations: Record<string, string> };
    extraLabels: Record<string, string>;
  };
};

const releaseOf = (resources: RecordedResource[]) =>
  single(resources, (r) => r.type === "kubernetes:helm.sh/v3:Release");
const valuesOf = (resources: RecordedResource[]) => releaseOf(resources).inputs.values as Values;

/** The server HCL as HashiCorp's parser reads it. */
async function serverConfig(values: Values): Promise<Record<string, unknown>> {
  return (await parse("server.hcl", values.server.ha.raft.config)) as Record<string, unknown>;
}

/** A catalog whose Vault runs on the given cloud's cluster and unseals with its KMS. */
function vaultOn(cloud: "gcp" | "azure"): CatalogInput {
  const input = shippedCatalogInput("prod");
  input.vault!.cluster = cloud === "gcp" ? "gke-prod" : "aks-prod";
  input.vault!.unseal = cloud;
  // S3 snapshots need Vault on AWS (their role is IRSA-bound); these catalogs move it elsewhere.
  delete input.vault!.snapshots;
  return input;
}

for (const env of ENVIRONMENTS) {
  describe(`VaultCluster of the shipped ${env} stack`, () => {
    const catalog = shippedCatalog(env);
    const profile = PROFILES[env];
    let resources: RecordedResource[];
    before(async () => {
      resources = await recordVault(catalog);
    });

    it("installs the pinned hashicorp/vault chart", () => {
      const release = releaseOf(resources);
      assert.equal(release.inputs.chart, "vault");
      assert.match(String(release.inputs.version), /^0\.34\.\d+$/);
      assert.deepEqual(release.inputs.repositoryOpts, { repo: "https://helm.releases.hashicorp.com" });
      assert.equal(release.inputs.namespace, catalog.vault!.namespace);
    });

    it("runs HA raft with the profile's replicas, a PDB keeping quorum, anti-affinity and requests", () => {
      const values = valuesOf(resources);
      assert.equal(values.server.ha.replicas, profile.vault.replicas);
      assert.deepEqual(values.server.ha.disruptionBudget, {
        enabled: true,
        maxUnavailable: Math.floor((profile.vault.replicas - 1) / 2),
      });
      assert.equal(
        values.server.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.length,
        1,
      );
      assert.ok(values.server.resources.requests.cpu && values.server.resources.requests.memory);
      assert.deepEqual(values.server.auditStorage, {
        enabled: true,
        size: "20Gi",
        mountPath: "/vault/audit",
      });
    });

    it("each server's api_addr (where standbys redirect) is its name under the headless Service, which its certificate carries", () => {
      const values = valuesOf(resources);
      const namespace = catalog.vault!.namespace;
      assert.equal(
        values.server.ha.apiAddr,
        `https://$(VAULT_K8S_POD_NAME).vault-internal.${namespace}.svc:8200`,
      );
      const names = serverDnsNames(namespace, catalog.vault!.address);
      for (let i = 0; i < profile.vault.replicas; i++) {
        const host = `vault-${i}.vault-internal.${namespace}.svc`;
        // Node's own host-name check of a certificate with those names (Vault's Go client is laxer).
        const refused = tls.checkServerIdentity(host, {
          subject: {},
          subjectaltname: names.map((n) => `DNS:${n}`).join(", "),
        } as tls.PeerCertificate);
        assert.equal(refused, undefined, `${host}: ${refused?.message}`);
      }
    });

    it("UI from the profile, injector from the catalog", () => {
      const values = valuesOf(resources);
      assert.equal(values.ui.enabled, profile.vault.ui);
      assert.equal(values.injector.enabled, catalog.vault!.injector);
    });

    it("TLS end to end: chart, listener and every retry_join with its server name", async () => {
      const values = valuesOf(resources);
      assert.equal(values.global.tlsDisable, false);
      const config = await serverConfig(values);
      const listener = (config.listener as { tcp: Array<Record<string, unknown>> }).tcp[0];
      assert.equal(listener.tls_disable, false);
      assert.equal(listener.tls_cert_file, "/vault/userconfig/tls/tls.crt");
      const raft = (config.storage as { raft: Array<{ retry_join: Array<Record<string, string>> }> }).raft[0];
      assert.equal(raft.retry_join.length, profile.vault.replicas);
      raft.retry_join.forEach((join, i) => {
        assert.equal(join.leader_api_addr, `https://vault-${i}.vault-internal:8200`);
        assert.equal(join.leader_tls_servername, `vault-${i}.vault-internal`);
        assert.equal(join.leader_ca_cert_file, "/vault/userconfig/tls/ca.crt");
      });
      assert.equal(config.ui, profile.vault.ui);
    });

    it("auto-unseals with AWS KMS through IRSA: key coordinates only in the seal stanza", async () => {
      const config = await serverConfig(valuesOf(resources));
      const key = single(resources, (r) => r.type === "aws:kms/key:Key");
      const seal = (config.seal as { awskms: Array<Record<string, string>> }).awskms[0];
      assert.deepEqual(seal, { region: catalog.aws!.region, kms_key_id: key.outputs.keyId });
      const role = single(
        resources,
        (r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-unseal-role"),
      );
      assert.deepEqual(valuesOf(resources).server.serviceAccount.annotations, {
        "eks.amazonaws.com/role-arn": role.outputs.arn,
      });
    });

    it("the seal key rotates, names no wildcard principal, and is protected per the profile", () => {
      const key = single(resources, (r) => r.type === "aws:kms/key:Key");
      assert.equal(key.inputs.enableKeyRotation, true);
      assert.equal(key.opts.protect, profile.protect);
      const policy = JSON.parse(String(key.inputs.policy)) as {
        Statement: Array<{ Principal: { AWS: string }; Action: string[] }>;
      };
      const role = single(
        resources,
        (r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-unseal-role"),
      );
      for (const s of policy.Statement) assert.ok(!JSON.stringify(s.Principal).includes('"*"'));
      const users = policy.Statement.filter((s) => s.Action.includes("kms:Decrypt"));
      assert.deepEqual(
        users.map((s) => s.Principal.AWS),
        [role.outputs.arn],
      );
      assert.deepEqual(users[0].Action, ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]);
    });

    it("only Vault's service account can assume the unseal role, which may use only that key", () => {
      const role = single(
        resources,
        (r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-unseal-role"),
      );
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
      const issuer = catalog.kubernetes.clusters
        .find((c) => c.name === catalog.vault!.cluster)!
        .oidcIssuerUrl.replace("https://", "");
      assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
        [`${issuer}:sub`]: `system:serviceaccount:${catalog.vault!.namespace}:vault`,
        [`${issuer}:aud`]: "sts.amazonaws.com",
      });
      const inline = single(
        resources,
        (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.endsWith("-unseal-policy"),
      );
      const key = single(resources, (r) => r.type === "aws:kms/key:Key");
      assert.deepEqual(JSON.parse(String(inline.inputs.policy)).Statement, [
        {
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
          Resource: key.outputs.arn,
        },
      ]);
    });

    it("hands the committed CA file (vault.caCertFile) to the Vault provider", () => {
      const provider = single(resources, (r) => r.type === "pulumi:providers:vault");
      assert.equal(provider.inputs.address, catalog.vault!.address);
      assert.match(
        fs.readFileSync(String(provider.inputs.caCertFile), "utf8"),
        /^-----BEGIN CERTIFICATE-----\n/,
      );
      // Provider inputs reach the engine as strings.
      assert.equal(provider.inputs.skipTlsVerify, "false");
    });
  });
}

describe("VaultCluster TLS sources", () => {
  it("never reads a Secret: the TLS one would put Vault's private key into state", async () => {
    // Reads are not registrations, so the recording misses them: count the calls instead.
    const read = k8s.core.v1.Secret.get;
    const reads: string[] = [];
    k8s.core.v1.Secret.get = (name, id, opts) => {
      reads.push(name);
      return read(name, id, opts);
    };
    try {
      for (const env of ENVIRONMENTS) await recordVault(shippedCatalog(env));
    } finally {
      k8s.core.v1.Secret.get = read;
    }
    assert.deepEqual(reads, []);
  });

  it("cert-manager: a Certificate for every Service and peer name, waited on until Ready", async () => {
    const catalog = shippedCatalog("prod");
    const cert = single(
      await recordVault(catalog),
      (r) => r.type === "kubernetes:cert-manager.io/v1:Certificate",
    );
    const spec = cert.inputs.spec as { dnsNames: string[]; issuerRef: { name: string }; secretName: string };
    assert.equal(spec.issuerRef.name, "internal-ca");
    for (const name of ["vault.prod.example.internal", "vault.vault.svc", "*.vault-internal"]) {
      assert.ok(spec.dnsNames.includes(name), name);
    }
    assert.deepEqual((cert.inputs.metadata as { annotations: Record<string, string> }).annotations, {
      "pulumi.com/waitFor": "condition=Ready",
    });
  });

  it("provided secret: no Certificate, the chart mounts the named Secret", async () => {
    const resources = await recordVault(shippedCatalog("staging"));
    assert.equal(ofType(resources, "kubernetes:cert-manager.io/v1:Certificate").length, 0);
    const values = releaseOf(resources).inputs.values as {
      server: { volumes: Array<{ secret: { secretName: string } }> };
    };
    assert.equal(values.server.volumes[0].secret.secretName, "vault-server-tls");
  });
});

describe("VaultCluster auto-unseal on GCP and Azure", () => {
  it("gcpckms: key ring and key, a GSA with encrypter/decrypter on that key only, Workload Identity", async () => {
    const resources = await recordVault(validateCatalog(vaultOn("gcp")));
    const config = await serverConfig(valuesOf(resources));
    const seal = (config.seal as { gcpckms: Array<Record<string, string>> }).gcpckms[0];
    assert.deepEqual(Object.keys(seal).sort(), ["crypto_key", "key_ring", "project", "region"]);
    const key = single(resources, (r) => r.type === "gcp:kms/cryptoKey:CryptoKey");
    assert.equal(key.opts.protect, true);
    assert.equal(key.inputs.rotationPeriod, `${PROFILES.prod.keyRotationDays * 86400}s`);
    const bindings = ofType(resources, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
    assert.deepEqual(bindings.map((b) => b.inputs.role).sort(), [
      "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      "roles/cloudkms.viewer",
    ]);
    for (const b of bindings) assert.equal(b.inputs.cryptoKeyId, key.id);
    const wi = single(resources, (r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember");
    assert.equal(wi.inputs.member, "serviceAccount:example-prod-project.svc.id.goog[vault/vault]");
    assert.ok(valuesOf(resources).server.serviceAccount.annotations["iam.gke.io/gcp-service-account"]);
  });

  it("azurekeyvault: an RBAC vault and key, the identity holds Crypto Service Encryption User on the key only", async () => {
    const resources = await recordVault(validateCatalog(vaultOn("azure")));
    const config = await serverConfig(valuesOf(resources));
    const seal = (config.seal as { azurekeyvault: Array<Record<string, string>> }).azurekeyvault[0];
    assert.deepEqual(Object.keys(seal).sort(), ["key_name", "tenant_id", "vault_name"]);
    const key = single(resources, (r) => r.type === "azure-native:keyvault:Key");
    const assignment = single(resources, (r) => r.type === "azure-native:authorization:RoleAssignment");
    assert.equal(assignment.inputs.scope, key.id);
    assert.match(String(assignment.inputs.roleDefinitionId), /e147488a-f6f5-4113-8e2d-b22465e65bf6$/);
    const keyVault = single(resources, (r) => r.type === "azure-native:keyvault:Vault");
    assert.ok(String(keyVault.inputs.vaultName).length <= 24);
    const props = keyVault.inputs.properties as Record<string, unknown>;
    assert.equal(props.enableRbacAuthorization, true);
    assert.equal(props.enablePurgeProtection, true);
    const values = valuesOf(resources);
    assert.equal(values.server.extraLabels["azure.workload.identity/use"], "true");
    const fic = single(
      resources,
      (r) => r.type === "azure-native:managedidentity:FederatedIdentityCredential",
    );
    assert.equal(fic.inputs.subject, "system:serviceaccount:vault:vault");
  });

  it("refuses a KMS of another cloud than the cluster's, before registering anything", async () => {
    const input = shippedCatalogInput("prod");
    input.vault!.unseal = "gcp";
    await assert.rejects(
      recordVault(validateCatalog(input)),
      /vault\.unseal: Vault runs on aws cluster "eks-prod" but unseals with gcp KMS/,
    );
  });
});

describe("VaultCluster on a cluster of one node (singleNode)", () => {
  it("only prefers the servers on different nodes, so every one of them can start", async () => {
    const input = shippedCatalogInput("dev");
    input.kubernetes.clusters.find((c) => c.name === input.vault!.cluster)!.singleNode = true;
    const affinity = valuesOf(await recordVault(validateCatalog(input))).server.affinity as unknown as {
      podAntiAffinity: Record<string, Array<{ weight: number; podAffinityTerm: { topologyKey: string } }>>;
    };
    assert.deepEqual(Object.keys(affinity.podAntiAffinity), [
      "preferredDuringSchedulingIgnoredDuringExecution",
    ]);
    const [preferred] = affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    assert.equal(preferred.weight, 100);
    assert.equal(preferred.podAffinityTerm.topologyKey, "kubernetes.io/hostname");
  });

  it("requires them on different nodes by default", async () => {
    const values = valuesOf(await recordVault(shippedCatalog("dev")));
    assert.equal(
      values.server.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.length,
      1,
    );
  });
});

describe("VaultCluster with vault.replicas above the profile (three servers in dev)", () => {
  it("runs that many servers: the release, every retry_join and the disruption budget follow", async () => {
    const input = shippedCatalogInput("dev");
    input.vault!.replicas = 3;
    assert.equal(PROFILES.dev.vault.replicas, 1, "the dev profile runs one server");
    const values = valuesOf(await recordVault(validateCatalog(input)));
    assert.equal(values.server.ha.replicas, 3);
    assert.deepEqual(values.server.ha.disruptionBudget, { enabled: true, maxUnavailable: 1 });
    const raft = ((await serverConfig(values)).storage as { raft: Array<{ retry_join: unknown[] }> }).raft[0];
    assert.equal(raft.retry_join.length, 3);
  });
});
