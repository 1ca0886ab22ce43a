/**
 * The pure builders: every object they produce for the shipped catalogs validates against the
 * published schemas, and the shapes that matter (auth, paths, templates) are what ESO expects.
 */
import { strict as assert } from "node:assert";
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret" with {
  "resolution-mode": "import",
};
import { externalSecretManifest, vaultDynamicSecretManifest } from "../../../components/eso/external-secrets";
import { esoNetworkPolicyManifest, httpsPort } from "../../../components/eso/network-policy";
import { secretStoreManifest } from "../../../components/eso/stores";
import { profileFor } from "../../../stacks/profiles";
import type { Catalog, Environment, SecretOf, Workload } from "../../../stacks/schema";
import { shippedCatalog } from "../../support/offline";
import { CA_BUNDLE_PEM, everyObject, vaultEndpointFor } from "./fixtures";
import { validateAgainstSchema } from "../../support/kubernetes-schemas";

function workload(catalog: Catalog, name: string): Workload {
  const found = catalog.workloads.find((w) => w.name === name);
  assert.ok(found, `no workload ${name} in the ${catalog.environment} catalog`);
  return found;
}

describe("ESO manifests", () => {
  const prod = shippedCatalog("prod");

  for (const env of ["dev", "staging", "prod"] as Environment[]) {
    it(`validate against the published schemas for every object of the ${env} catalog`, async () => {
      const objects = everyObject(shippedCatalog(env));
      assert.ok(objects.length > 10);
      for (const object of objects) await validateAgainstSchema(object);
    });
  }

  it("misspelt fields fail the type check, wrong types and enums fail the schema", async () => {
    const good = externalSecretManifest(prod, profileFor("prod"), workload(prod, "payments-api"), {
      name: "webhook-signing",
      source: "vault-kv",
      path: "payments/webhook-signing",
    });
    const typo: IExternalSecret = {
      ...good,
      // @ts-expect-error: `tsc` in CI proves the typed interfaces reject a misspelt field.
      spec: { ...good.spec, refreshIntervall: "1h" },
    };
    assert.ok(typo.spec);
    // Built as plain values (not fresh literals), as a manifest from YAML or JSON would arrive.
    const wrongEnum = { ...good, spec: { ...good.spec, target: { deletionPolicy: "Keep" } } };
    const wrongType = { ...good, spec: { ...good.spec, refreshInterval: 3600 } };
    await assert.rejects(
      validateAgainstSchema(wrongEnum),
      /deletionPolicy must be equal to one of the allowed values/,
    );
    await assert.rejects(validateAgainstSchema(wrongType), /refreshInterval must be string/);
  });

  it("authenticate Vault stores and generators as the workload with its role, audience and CA", () => {
    const w = workload(prod, "payments-api");
    const store = secretStoreManifest(prod, w, "vault", vaultEndpointFor(prod));
    const provider = store.spec?.provider.vault;
    assert.equal(store.metadata?.name, "payments-api-vault");
    assert.equal(store.metadata?.namespace, "payments");
    assert.equal(provider?.server, "https://vault.prod.example.internal:8200");
    assert.equal(provider?.path, "kv-prod");
    assert.equal(provider?.version, "v2");
    assert.equal(Buffer.from(provider?.caBundle ?? "", "base64").toString("utf8"), CA_BUNDLE_PEM);
    assert.deepEqual(provider?.auth?.kubernetes, {
      mountPath: "kubernetes-eks-prod",
      role: "payments-api",
      serviceAccountRef: { name: "payments-api", audiences: ["vault"] },
    });

    const secret = w.secrets.find((s) => s.source === "vault-database") as SecretOf<"vault-database">;
    const generator = vaultDynamicSecretManifest(prod, w, secret, vaultEndpointFor(prod));
    assert.equal(generator.spec?.path, "database-prod/creds/orders-pg-read-write");
    assert.equal(generator.spec?.method, "GET");
    assert.deepEqual(generator.spec?.provider.auth, provider?.auth);

    const reporting = workload(prod, "orders-reporting");
    const staticSecret = reporting.secrets[0] as SecretOf<"vault-database">;
    assert.equal(
      vaultDynamicSecretManifest(prod, reporting, staticSecret, vaultEndpointFor(prod)).spec?.path,
      "database-prod/static-creds/orders-pg-static-reporting",
    );
  });

  it("authenticate cloud stores through the workload's service account", () => {
    const aws = secretStoreManifest(prod, workload(prod, "payments-api"), "aws", undefined).spec?.provider
      .aws;
    assert.deepEqual(aws, {
      service: "SecretsManager",
      region: "eu-west-1",
      auth: { jwt: { serviceAccountRef: { name: "payments-api" } } },
    });
    const gcp = secretStoreManifest(prod, workload(prod, "catalog-api"), "gcp", undefined).spec?.provider
      .gcpsm;
    assert.deepEqual(gcp, {
      projectID: "example-prod-project",
      auth: {
        workloadIdentity: {
          clusterProjectID: "example-prod-project",
          clusterLocation: "europe-west1",
          clusterName: "gke-prod",
          serviceAccountRef: { name: "catalog-api" },
        },
      },
    });
    const azure = secretStoreManifest(prod, workload(prod, "identity-api"), "azure", undefined).spec?.provider
      .azurekv;
    assert.equal(azure?.authType, "WorkloadIdentity");
    assert.match(azure?.vaultUrl ?? "", /^https:\/\/sp-prod-[0-9a-f]{6}\.vault\.azure\.net$/);
    assert.deepEqual(azure?.serviceAccountRef, { name: "identity-api" });
  });

  it("compose DATABASE_URL with the engine's scheme and the catalog host, port and database", () => {
    const profile = profileFor("prod");
    const url = (name: string, secret: string) =>
      externalSecretManifest(
        prod,
        profile,
        workload(prod, name),
        workload(prod, name).secrets.find((s) => s.name === secret)!,
      ).spec?.target?.template?.data?.DATABASE_URL;
    assert.equal(
      url("payments-api", "orders-db"),
      "postgresql://{{ .username | urlquery }}:{{ .password | urlquery }}@orders.cluster-example.eu-west-1.rds.amazonaws.com:5432/orders?sslmode=verify-full",
    );
    assert.equal(
      url("ledger-service", "ledger-db"),
      "mysql://{{ .username | urlquery }}:{{ .password | urlquery }}@ledger.cluster-example.eu-west-1.rds.amazonaws.com:3306/ledger?ssl-mode=VERIFY_IDENTITY",
    );
    // A rotated cloud secret is a database login too.
    assert.match(url("payments-worker", "ledger-db") ?? "", /^mysql:\/\//);
  });

  it("mark env consumers' Secrets for Reloader and leave file consumers alone", () => {
    const profile = profileFor("prod");
    const annotations = (name: string) => {
      const w = workload(prod, name);
      return externalSecretManifest(prod, profile, w, w.secrets[0]).spec?.target?.template?.metadata
        ?.annotations;
    };
    assert.deepEqual(annotations("payments-api"), { "reloader.stakater.com/match": "true" });
    assert.deepEqual(annotations("payments-worker"), {});
  });

  it("restrict the ESO namespace's egress to DNS, the API server and HTTPS backends", () => {
    const policy = esoNetworkPolicyManifest("external-secrets", "https://vault.example.internal:8200");
    assert.deepEqual(policy.spec?.policyTypes, ["Ingress", "Egress"]);
    const ports = policy.spec?.egress?.flatMap((rule) => rule.ports?.map((p) => `${p.protocol}/${p.port}`));
    assert.deepEqual(ports, ["UDP/53", "TCP/53", "TCP/443", "TCP/6443", "TCP/8200"]);
    assert.equal(httpsPort("https://vault.example.internal"), 443);
  });
});
