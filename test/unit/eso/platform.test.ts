/**
 * The ESO component under Pulumi's mock runtime with the shipped prod catalog: what it
 * registers per namespace is exactly what the catalog implies, and every Kubernetes object it
 * registers validates against the published schemas.
 */
import { strict as assert } from "node:assert";
import type { RecordedResource } from "../../../tools/offline/types";
import { ofType, recordResources, shippedCatalog } from "../../support/offline";
import { esoPlatform, identitiesFor } from "./fixtures";
import { hasSchema, validateAgainstSchema } from "../../support/kubernetes-schemas";

const T = {
  store: "kubernetes:external-secrets.io/v1:SecretStore",
  clusterStore: "kubernetes:external-secrets.io/v1:ClusterSecretStore",
  externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
  generator: "kubernetes:generators.external-secrets.io/v1alpha1:VaultDynamicSecret",
  release: "kubernetes:helm.sh/v3:Release",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
};

interface Meta {
  name: string;
  namespace?: string;
}
const meta = (r: RecordedResource) => r.inputs.metadata as Meta;
const spec = (r: RecordedResource) => r.inputs.spec as Record<string, any>;
const namesIn = (resources: RecordedResource[], namespace: string) =>
  resources
    .filter((r) => meta(r).namespace === namespace)
    .map((r) => meta(r).name)
    .sort();

describe("ExternalSecretsPlatform (mock runtime, prod catalog)", () => {
  const catalog = shippedCatalog("prod");
  let resources: RecordedResource[];
  before(async () => {
    resources = await recordResources(() => esoPlatform(catalog), catalog, "prod");
  });

  it("registers, per namespace, exactly the stores, generators and ExternalSecrets the catalog implies", () => {
    const namespaces = [...new Set(catalog.workloads.map((w) => w.namespace))];
    for (const namespace of namespaces) {
      const workloads = catalog.workloads.filter((w) => w.namespace === namespace);
      const expectedStores = workloads.flatMap((w) => {
        const backends = new Set(
          w.secrets
            .filter((s) => s.source !== "vault-database")
            .map((s) => (s.source === "vault-kv" ? "vault" : s.source)),
        );
        return [...backends].map((b) => `${w.name}-${b}`);
      });
      const expectedSecrets = workloads.flatMap((w) => w.secrets.map((s) => `${w.name}-${s.name}`));
      const expectedGenerators = workloads.flatMap((w) =>
        w.secrets.filter((s) => s.source === "vault-database").map((s) => `${w.name}-${s.name}`),
      );
      assert.deepEqual(namesIn(ofType(resources, T.store), namespace), expectedStores.sort(), namespace);
      assert.deepEqual(
        namesIn(ofType(resources, T.externalSecret), namespace),
        expectedSecrets.sort(),
        namespace,
      );
      assert.deepEqual(
        namesIn(ofType(resources, T.generator), namespace),
        expectedGenerators.sort(),
        namespace,
      );
    }
    const total = catalog.workloads.reduce((n, w) => n + w.secrets.length, 0);
    assert.equal(ofType(resources, T.externalSecret).length, total);
  });

  it("points each ExternalSecret at its own workload's store or generator, never a neighbour's", () => {
    for (const es of ofType(resources, T.externalSecret)) {
      const workload = catalog.workloads.find(
        (w) => meta(es).name.startsWith(`${w.name}-`) && w.namespace === meta(es).namespace,
      );
      assert.ok(workload, meta(es).name);
      const ref = spec(es).secretStoreRef?.name ?? spec(es).dataFrom[0].sourceRef.generatorRef.name;
      assert.ok(ref.startsWith(`${workload.name}-`), `${meta(es).name} uses ${ref}`);
    }
    for (const store of [...ofType(resources, T.store), ...ofType(resources, T.generator)]) {
      const provider = spec(store).provider;
      const ref =
        provider.vault?.auth.kubernetes.serviceAccountRef ??
        provider.aws?.auth.jwt.serviceAccountRef ??
        provider.gcpsm?.auth.workloadIdentity.serviceAccountRef ??
        provider.azurekv?.serviceAccountRef ??
        provider.auth?.kubernetes.serviceAccountRef;
      const workload = catalog.workloads.find((w) => meta(store).name.startsWith(`${w.name}-`));
      assert.deepEqual(ref.name, workload?.serviceAccount, meta(store).name);
    }
  });

  it("keeps Secrets on deletion in prod, creates them as owner, and never refreshes slower than an hour", () => {
    for (const es of ofType(resources, T.externalSecret)) {
      assert.equal(spec(es).target.deletionPolicy, "Retain");
      assert.equal(spec(es).target.creationPolicy, "Owner");
      assert.ok(["40m", "1h"].includes(spec(es).refreshInterval), spec(es).refreshInterval);
    }
  });

  it("restricts each ClusterSecretStore to the catalog's namespaces", () => {
    const stores = ofType(resources, T.clusterStore);
    assert.deepEqual(
      stores.map((s) => meta(s).name),
      catalog.eso?.clusterSecretStores.map((s) => s.name),
    );
    for (const store of stores) {
      const declared = catalog.eso?.clusterSecretStores.find((s) => s.name === meta(store).name);
      assert.deepEqual(spec(store).conditions, [{ namespaces: declared?.namespaces }]);
      assert.equal(spec(store).provider.vault.auth.kubernetes.role, `cluster-store-${declared?.name}`);
    }
  });

  it("installs ESO and Reloader pinned on every ESO cluster, the controller without cloud identity", () => {
    const releases = ofType(resources, T.release);
    const eso = releases.filter((r) => r.inputs.chart === "external-secrets");
    assert.equal(eso.length, catalog.eso?.clusters.length);
    assert.equal(releases.filter((r) => r.inputs.chart === "reloader").length, catalog.eso?.clusters.length);
    for (const release of releases) assert.match(String(release.inputs.version), /^\d+\.\d+\.\d+$/);
    for (const release of eso) {
      const values = release.inputs.values as Record<string, any>;
      assert.equal(values.installCRDs, true);
      assert.equal(values.webhook.failurePolicy, "Fail");
      assert.equal(values.webhook.create, true);
      assert.equal(values.certController.create, true);
      assert.equal(release.inputs.atomic, true);
      assert.equal(release.inputs.skipAwait, false);
      assert.equal(values.podDisruptionBudget.enabled, true);
      assert.ok(values.resources.requests.cpu && values.resources.requests.memory);
      for (const account of [
        values.serviceAccount,
        values.webhook.serviceAccount,
        values.certController.serviceAccount,
      ]) {
        assert.deepEqual(account.annotations, {});
      }
    }
  });

  it("annotates each workload's service account for exactly the clouds it reads", () => {
    for (const account of ofType(resources, T.serviceAccount)) {
      const workload = catalog.workloads.find(
        (w) => w.serviceAccount === meta(account).name && w.namespace === meta(account).namespace,
      );
      if (!workload) continue; // a ClusterSecretStore's login account
      const sources = new Set(workload.secrets.map((s) => s.source));
      const keys = Object.keys((account.inputs.metadata as { annotations: object }).annotations).sort();
      const expected = [
        ...(sources.has("aws") ? ["eks.amazonaws.com/role-arn"] : []),
        ...(sources.has("azure")
          ? ["azure.workload.identity/client-id", "azure.workload.identity/tenant-id"]
          : []),
        ...(sources.has("gcp") ? ["iam.gke.io/gcp-service-account"] : []),
      ].sort();
      assert.deepEqual(keys, expected, workload.name);
    }
  });

  it("registers only objects that validate against the published schemas", async () => {
    const objects = resources.filter(
      (r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== T.release,
    );
    const unchecked = objects
      .filter((r) => !hasSchema(r.inputs.apiVersion, r.inputs.kind))
      .map((r) => r.type);
    assert.deepEqual(unchecked, []);
    for (const object of objects) await validateAgainstSchema(object.inputs);
  });

  it("refuses, before registering anything, a workload whose cloud identity is missing", async () => {
    const identities = { ...identitiesFor(catalog), "payments-api": {} };
    await assert.rejects(
      recordResources(() => esoPlatform(catalog, { identities }), catalog),
      /payments-api.*reads aws but identities\.payments-api\.awsRoleArn is missing/,
    );
  });
});

describe("ExternalSecretsPlatform on a cluster that runs no pods, charts vendored (mock runtime, prod catalog)", () => {
  const base = shippedCatalog("prod");
  const catalog = {
    ...base,
    kubernetes: {
      chartsDirectory: "charts",
      clusters: base.kubernetes.clusters.map((c) => ({ ...c, runsPods: false })),
    },
  };
  let resources: RecordedResource[];
  before(async () => {
    resources = await recordResources(() => esoPlatform(catalog), catalog, "prod");
  });

  it("installs from the charts directory without waiting for pods, and without ESO's webhook and cert controller", () => {
    const releases = ofType(resources, T.release);
    assert.ok(releases.length > 0);
    for (const release of releases) {
      assert.match(String(release.inputs.chart), /^\.\/charts\/(external-secrets|reloader)$/);
      assert.equal(release.inputs.version, undefined);
      assert.equal(release.inputs.repositoryOpts, undefined);
      assert.equal(release.inputs.skipAwait, true);
      assert.equal(release.inputs.atomic, false);
    }
    for (const release of releases.filter((r) => r.inputs.name === "external-secrets")) {
      const values = release.inputs.values as Record<string, any>;
      assert.equal(values.webhook.create, false);
      assert.equal(values.certController.create, false);
    }
  });

  it("still gives every workload the same stores and ExternalSecrets", () => {
    assert.equal(ofType(resources, T.externalSecret).length, base.workloads.flatMap((w) => w.secrets).length);
  });
});

describe("ExternalSecretsPlatform on a cluster that names its own images (mock runtime, prod catalog)", () => {
  const base = shippedCatalog("prod");
  const images = {
    externalSecrets: "registry.example.com:5000/mirror/external-secrets:v0.16.2",
    reloader: "registry.example.com/mirror/reloader:v1.4.22",
  };
  const catalog = {
    ...base,
    kubernetes: { ...base.kubernetes, clusters: base.kubernetes.clusters.map((c) => ({ ...c, images })) },
  };
  let resources: RecordedResource[];
  before(async () => {
    resources = await recordResources(() => esoPlatform(catalog), catalog, "prod");
  });

  it("runs ESO's controller, webhook and cert controller and Reloader from those images, tag for tag", () => {
    const releases = ofType(resources, T.release);
    const eso = releases.filter((r) => r.inputs.name === "external-secrets");
    const reloader = releases.filter((r) => r.inputs.name === "reloader");
    assert.ok(eso.length > 0 && reloader.length > 0);
    const esoImage = { repository: "registry.example.com:5000/mirror/external-secrets", tag: "v0.16.2" };
    for (const release of eso) {
      const values = release.inputs.values as Record<string, any>;
      assert.deepEqual(values.image, esoImage);
      assert.deepEqual(values.webhook.image, esoImage);
      assert.deepEqual(values.certController.image, esoImage);
    }
    for (const release of reloader)
      assert.deepEqual((release.inputs.values as Record<string, any>).image, {
        repository: "registry.example.com/mirror/reloader",
        tag: "v1.4.22",
      });
  });

  it("leaves the charts' own images where the cluster names none", async () => {
    const plain = await recordResources(() => esoPlatform(base), base, "prod");
    for (const release of ofType(plain, T.release)) {
      const values = release.inputs.values as Record<string, any>;
      assert.equal(values.image, undefined);
      assert.equal(values.webhook?.image, undefined);
    }
  });
});
