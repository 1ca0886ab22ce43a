/**
 * The hashicorp/vault chart at the pinned version, rendered by real Helm with the values the
 * VaultCluster component gives its release for each shipped stack: what Kubernetes would
 * receive, not what we meant to ask for.
 */
import * as assert from "node:assert/strict";
import { parse } from "@cdktf/hcl2json";
import { VAULT_CHART } from "../../../stacks/charts";
import { VAULT_IMAGE } from "../../../components/vault/helmValues";
import {
  AUDIT_MOUNT,
  RELEASE_NAME,
  TLS_MOUNT,
  TRANSIT_SEAL_MOUNT,
} from "../../../components/vault/serverNames";
import { TRANSIT_SEAL_CA_CONFIG_MAP } from "../../../components/vault/unseal/transit";
import { PROFILES } from "../../../stacks/profiles";
import { type Cloud, ENVIRONMENTS } from "../../../stacks/schema";
import { hasSchema, validateAgainstSchema } from "../../support/kubernetes-schemas";
import { ofType, shippedCatalog } from "../../support/offline";
import { recordVault, transitUnsealCatalog } from "../../unit/vault/support";
import { undeclaredValues } from "./chart-values";
import { CHART_DIRS, chartVersion, helmTemplate, type K8sObject, rendered, requireCharts } from "./charts";

const SEAL_STANZA = { aws: "awskms", gcp: "gcpckms", azure: "azurekeyvault", transit: "transit" } as const;

interface Container {
  name: string;
  image: string;
  env: Array<{ name: string; value?: string }>;
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  resources: { requests?: Record<string, string> };
}
interface StatefulSetSpec {
  replicas: number;
  template: {
    spec: {
      containers: Container[];
      volumes: Array<{ name: string; secret?: { secretName: string }; projected?: unknown }>;
      affinity: {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: Array<{ topologyKey: string }> };
      };
      serviceAccountName: string;
    };
  };
  volumeClaimTemplates: Array<{
    metadata: { name: string };
    spec: { resources: { requests: { storage: string } } };
  }>;
}

describe("hashicorp/vault chart rendered by Helm", function () {
  before(function () {
    requireCharts(this);
  });

  it("is the version the release pins", () => {
    assert.equal(chartVersion(CHART_DIRS.vault), VAULT_CHART.version);
  });

  for (const env of ENVIRONMENTS) {
    describe(`with the ${env} stack's values`, () => {
      const catalog = shippedCatalog(env);
      const profile = PROFILES[env];
      let values: unknown;
      let objects: K8sObject[];
      before(async () => {
        const release = ofType(await recordVault(catalog), "kubernetes:helm.sh/v3:Release");
        assert.equal(release.length, 1);
        values = release[0].inputs.values;
        objects = helmTemplate(CHART_DIRS.vault, RELEASE_NAME, catalog.vault!.namespace, values);
      });
      const statefulSet = () => rendered(objects, "StatefulSet", RELEASE_NAME).spec as StatefulSetSpec;
      const server = () => statefulSet().template.spec.containers.find((c) => c.name === "vault")!;

      it("sets only values the chart declares", () => {
        assert.deepEqual(undeclaredValues(values, CHART_DIRS.vault), []);
      });

      it("renders only objects that validate against the Kubernetes schemas", async () => {
        assert.deepEqual(
          objects.filter((o) => !hasSchema(o.apiVersion, o.kind)).map((o) => `${o.apiVersion} ${o.kind}`),
          [],
        );
        for (const object of objects) await validateAgainstSchema(object);
      });

      it("hands Vault a server config HashiCorp's HCL parser accepts: TLS listener, raft, seal, each once", async () => {
        const hcl = String(
          (rendered(objects, "ConfigMap", `${RELEASE_NAME}-config`).data as Record<string, string>)[
            "extraconfig-from-values.hcl"
          ],
        );
        // HCL 2 refuses an attribute set twice; the chart appends its own disable_mlock.
        const config = (await parse("vault.hcl", hcl)) as Record<string, unknown>;
        assert.equal(config.disable_mlock, true);
        const listener = (config.listener as { tcp: Array<Record<string, unknown>> }).tcp[0];
        assert.equal(listener.tls_disable, false);
        const raft = (config.storage as { raft: Array<{ retry_join: unknown[] }> }).raft[0];
        assert.equal(raft.retry_join.length, profile.vault.replicas);
        assert.deepEqual(Object.keys(config.seal as object), [SEAL_STANZA[catalog.vault!.unseal!]]);
      });

      it("runs the pinned image, the profile's replicas, over HTTPS with the CA, spread one per node", () => {
        const spec = statefulSet();
        assert.equal(server().image, `${VAULT_IMAGE.repository}:${VAULT_IMAGE.tag}`);
        assert.equal(spec.replicas, profile.vault.replicas);
        const env = Object.fromEntries(server().env.map((e) => [e.name, e.value]));
        assert.match(env.VAULT_ADDR ?? "", /^https:\/\//);
        assert.match(env.VAULT_API_ADDR ?? "", /^https:\/\//);
        assert.match(env.VAULT_CLUSTER_ADDR ?? "", /^https:\/\//);
        assert.equal(env.VAULT_CACERT, `${TLS_MOUNT}/ca.crt`);
        const antiAffinity =
          spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
        assert.deepEqual(
          antiAffinity.map((term) => term.topologyKey),
          ["kubernetes.io/hostname"],
        );
        assert.ok(server().resources.requests?.cpu && server().resources.requests?.memory);
      });

      it("mounts the TLS secret read-only and gives the audit log its own volume", () => {
        const spec = statefulSet();
        const tls = spec.template.spec.volumes.find((v) => v.secret);
        assert.ok(tls?.secret?.secretName, "a secret volume for the server certificate");
        assert.deepEqual(
          server().volumeMounts.find((m) => m.name === tls.name),
          { name: tls.name, mountPath: TLS_MOUNT, readOnly: true },
        );
        assert.equal(server().volumeMounts.find((m) => m.name === "audit")?.mountPath, AUDIT_MOUNT);
        assert.deepEqual(
          spec.volumeClaimTemplates.map((t) => t.metadata.name),
          ["data", "audit"],
        );
      });

      it("keeps raft quorum through a drain: PodDisruptionBudget of a minority", () => {
        const pdb = rendered(objects, "PodDisruptionBudget", RELEASE_NAME).spec as { maxUnavailable: number };
        assert.equal(pdb.maxUnavailable, Math.floor((profile.vault.replicas - 1) / 2));
      });

      it("gives the server's service account the cloud identity for auto-unseal, nothing static", () => {
        const account = rendered(objects, "ServiceAccount", RELEASE_NAME);
        assert.equal(statefulSet().template.spec.serviceAccountName, RELEASE_NAME);
        const annotations = Object.keys(account.metadata.annotations ?? {});
        const expected = {
          aws: "eks.amazonaws.com/role-arn",
          gcp: "iam.gke.io/gcp-service-account",
          azure: "azure.workload.identity/client-id",
        }[catalog.vault!.unseal as Cloud]; // the shipped stacks unseal with their cloud's KMS
        assert.deepEqual(annotations, [expected]);
        const secretEnv = server().env.filter((e) =>
          /SECRET|ACCESS_KEY|CLIENT_SECRET|CREDENTIALS/.test(e.name),
        );
        assert.deepEqual(secretEnv, []);
      });

      it("grants the server's service account only TokenReview delegation cluster-wide and pod labelling in its namespace", () => {
        type Binding = K8sObject & {
          roleRef: { kind: string; name: string };
          subjects: Array<{ name: string }>;
        };
        const isServer = (b: Binding) => b.subjects.some((subject) => subject.name === RELEASE_NAME);
        const bindings = objects.filter((o): o is Binding => o.kind.endsWith("RoleBinding")).filter(isServer);
        // Kubernetes auth reviews workload tokens with Vault's own token: system:auth-delegator.
        assert.deepEqual(
          bindings.filter((b) => b.kind === "ClusterRoleBinding").map((b) => b.roleRef.name),
          ["system:auth-delegator"],
        );
        for (const b of bindings) {
          assert.deepEqual(b.subjects, [
            { kind: "ServiceAccount", name: RELEASE_NAME, namespace: catalog.vault!.namespace },
          ]);
        }
        // service_registration "kubernetes" labels the pods active/standby; nothing else.
        const roles = bindings
          .filter((b) => b.kind === "RoleBinding")
          .map((b) => rendered(objects, b.roleRef.kind, b.roleRef.name));
        assert.deepEqual(
          roles
            .flatMap((r) => r.rules as Array<{ apiGroups: string[]; resources: string[] }>)
            .map((rule) => ({
              apiGroups: rule.apiGroups,
              resources: rule.resources,
            })),
          [{ apiGroups: [""], resources: ["pods"] }],
        );
      });

      it(`serves the UI only where the profile allows it (${env}: ${profile.vault.ui ? "on" : "off"}) and no injector unless asked`, () => {
        const services = objects.filter((o) => o.kind === "Service").map((o) => o.metadata.name);
        assert.equal(services.includes(`${RELEASE_NAME}-ui`), profile.vault.ui);
        const injector = objects.filter((o) => o.metadata.name.startsWith(`${RELEASE_NAME}-agent-injector`));
        assert.equal(injector.length > 0, catalog.vault!.injector);
      });
    });
  }

  describe("with unseal: transit (prod catalog unsealed by another Vault)", () => {
    const catalog = transitUnsealCatalog("prod");
    let values: unknown;
    let objects: K8sObject[];
    before(async () => {
      values = ofType(await recordVault(catalog), "kubernetes:helm.sh/v3:Release")[0].inputs.values;
      objects = helmTemplate(CHART_DIRS.vault, RELEASE_NAME, catalog.vault!.namespace, values);
    });

    it("sets only values the chart declares, and renders objects that validate", async () => {
      assert.deepEqual(undeclaredValues(values, CHART_DIRS.vault), []);
      for (const object of objects) await validateAgainstSchema(object);
    });

    it("hands Vault a transit seal reading its token (the operator's Secret) and CA (the program's ConfigMap) from one projected directory the pods mount", async () => {
      const hcl = String(
        (rendered(objects, "ConfigMap", `${RELEASE_NAME}-config`).data as Record<string, string>)[
          "extraconfig-from-values.hcl"
        ],
      );
      const config = (await parse("vault.hcl", hcl)) as {
        seal: Record<string, Array<Record<string, string>>>;
      };
      assert.deepEqual(Object.keys(config.seal), ["transit"]);
      const seal = config.seal.transit[0];
      assert.equal(seal.token, `file://${TRANSIT_SEAL_MOUNT}/token`);
      assert.equal(seal.tls_ca_cert, `${TRANSIT_SEAL_MOUNT}/ca.crt`);
      assert.match(seal.address, /^https:\/\//);
      const pod = (rendered(objects, "StatefulSet", RELEASE_NAME).spec as StatefulSetSpec).template.spec;
      const volume = pod.volumes.find((v) => v.name === "transit-seal");
      assert.ok(volume, "a volume of the transit seal");
      assert.deepEqual(volume.projected, {
        defaultMode: 0o440,
        sources: [
          { secret: { name: "vault-transit-seal", items: [{ key: "token", path: "token" }] } },
          { configMap: { name: TRANSIT_SEAL_CA_CONFIG_MAP, items: [{ key: "ca.crt", path: "ca.crt" }] } },
        ],
      });
      const server = pod.containers.find((c) => c.name === "vault")!;
      assert.deepEqual(
        server.volumeMounts.find((m) => m.name === volume.name),
        { name: volume.name, mountPath: TRANSIT_SEAL_MOUNT, readOnly: true },
      );
      // Nothing of the token in what the chart renders: no VAULT_TOKEN variable, no literal.
      assert.deepEqual(
        server.env.filter((e) => e.name === "VAULT_TOKEN"),
        [],
      );
      assert.doesNotMatch(JSON.stringify(objects), /test-placeholder-for/);
    });
  });

  it("catches what it claims to: a config attribute set twice, and a value the chart does not read", async () => {
    const catalog = shippedCatalog("prod");
    const release = ofType(await recordVault(catalog), "kubernetes:helm.sh/v3:Release")[0];
    const values = structuredClone(release.inputs.values) as { server: { ha: Record<string, unknown> } };
    const raft = values.server.ha.raft as { config: string };
    // Chart 0.32+ appends its disable_mlock only when the config lacks one, so a duplicate of
    // an attribute of ours stands in for the one older charts made.
    raft.config = `cluster_name = "other"\n${raft.config}`;
    const objects = helmTemplate(CHART_DIRS.vault, RELEASE_NAME, catalog.vault!.namespace, values);
    const hcl = (rendered(objects, "ConfigMap", `${RELEASE_NAME}-config`).data as Record<string, string>)[
      "extraconfig-from-values.hcl"
    ];
    await assert.rejects(parse("vault.hcl", hcl), /Attribute redefined/);
    values.server.ha.replica = 3;
    assert.deepEqual(undeclaredValues(values, CHART_DIRS.vault), ["server.ha.replica"]);
  });
});
