/**
 * The external-secrets chart at the pinned version, rendered by real Helm with the values the
 * ESO component gives its release, and every ExternalSecret, store and generator the component
 * registers checked against that version's own CRD schemas, under the API server's strict
 * field validation.
 */
import * as assert from "node:assert/strict";
import type { ValidateFunction } from "ajv";
import { ESO_NAMESPACE } from "../../../components/eso/namespace";
import { ESO_CHART } from "../../../stacks/charts";
import { ENVIRONMENTS } from "../../../stacks/schema";
import { hasSchema, validateAgainstSchema } from "../../support/kubernetes-schemas";
import { recordResources, shippedCatalog } from "../../support/offline";
import type { RecordedResource } from "../../../tools/offline/types";
import { esoPlatform } from "../../unit/eso/fixtures";
import { undeclaredValues } from "./chart-values";
import {
  CHART_DIRS,
  chartSource,
  chartVersion,
  crdValidators,
  helmTemplate,
  type K8sObject,
  rendered,
  requireCharts,
} from "./charts";

const RELEASE_NAME = "external-secrets";
const isEsoRelease = (r: RecordedResource) =>
  r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === ESO_CHART.chart;
const isEsoObject = (r: RecordedResource) => /^kubernetes:[\w.]*external-secrets\.io\//.test(r.type);

interface DeploymentSpec {
  replicas: number;
  template: { spec: { containers: Array<{ args: string[] }> } };
}

function check(
  validators: Map<string, ValidateFunction>,
  object: { apiVersion: string; kind: string },
): string[] {
  const validate = validators.get(`${object.apiVersion}/${object.kind}`);
  if (!validate) return [`${object.apiVersion} ${object.kind} is not served by the chart's CRDs`];
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("external-secrets chart rendered by Helm, and our objects against its CRDs", function () {
  let validators: Map<string, ValidateFunction>;
  before(function () {
    requireCharts(this);
    validators = crdValidators(CHART_DIRS.esoCrds);
  });

  it("is the version the releases pin, and the CRDs are that release's", () => {
    assert.equal(chartVersion(CHART_DIRS.externalSecrets), ESO_CHART.version);
    assert.equal(chartSource(CHART_DIRS.esoCrds), `eso-crds-${ESO_CHART.version}`);
  });

  for (const env of ENVIRONMENTS) {
    describe(`with the ${env} stack`, () => {
      const catalog = shippedCatalog(env);
      let resources: RecordedResource[];
      let values: unknown;
      let objects: K8sObject[];
      before(async () => {
        resources = await recordResources(() => esoPlatform(catalog), catalog, env);
        const releases = resources.filter(isEsoRelease);
        assert.equal(releases.length, catalog.eso!.clusters.length, "one release per ESO cluster");
        for (const r of releases) assert.deepEqual(r.inputs.values, releases[0].inputs.values);
        values = releases[0].inputs.values;
        objects = helmTemplate(CHART_DIRS.externalSecrets, RELEASE_NAME, ESO_NAMESPACE, values);
      });

      it("sets only values the chart declares, and it renders valid Kubernetes objects", async () => {
        assert.deepEqual(undeclaredValues(values, CHART_DIRS.externalSecrets), []);
        assert.deepEqual(
          objects.filter((o) => !hasSchema(o.apiVersion, o.kind)).map((o) => `${o.apiVersion} ${o.kind}`),
          [],
        );
        for (const object of objects) await validateAgainstSchema(object);
      });

      it("runs two controllers with one leader and two webhooks, each kept by a PodDisruptionBudget", () => {
        const controller = rendered(objects, "Deployment", RELEASE_NAME).spec as DeploymentSpec;
        assert.equal(controller.replicas, 2);
        assert.ok(controller.template.spec.containers[0].args.includes("--enable-leader-election=true"));
        const webhook = rendered(objects, "Deployment", `${RELEASE_NAME}-webhook`).spec as DeploymentSpec;
        assert.equal(webhook.replicas, 2);
        for (const name of [`${RELEASE_NAME}-pdb`, `${RELEASE_NAME}-webhook-pdb`]) {
          assert.equal(
            (rendered(objects, "PodDisruptionBudget", name).spec as { minAvailable: number }).minAvailable,
            1,
          );
        }
      });

      it("validating webhooks fail closed", () => {
        const webhooks = objects
          .filter((o) => o.kind === "ValidatingWebhookConfiguration")
          .flatMap((o) => o.webhooks as Array<{ name: string; failurePolicy?: string }>);
        assert.ok(webhooks.length >= 3);
        // admissionregistration.k8s.io/v1 defaults an absent failurePolicy to Fail.
        assert.deepEqual(
          webhooks.filter((w) => (w.failurePolicy ?? "Fail") !== "Fail").map((w) => w.name),
          [],
        );
      });

      it("gives ESO's own service accounts no cloud identity", () => {
        const accounts = objects.filter((o) => o.kind === "ServiceAccount");
        assert.equal(accounts.length, 3);
        for (const account of accounts)
          assert.deepEqual(account.metadata.annotations ?? {}, {}, account.metadata.name);
      });

      it("registers ExternalSecrets, stores and generators the pinned CRDs accept, field for field", () => {
        const ours = resources
          .filter(isEsoObject)
          .map((r) => r.inputs as { apiVersion: string; kind: string });
        assert.ok(ours.length >= catalog.workloads.length, "every workload has ESO objects");
        const refused = ours.flatMap((o) =>
          check(validators, o).map(
            (e) => `${o.kind} ${(o as { metadata?: { name?: string } }).metadata?.name}: ${e}`,
          ),
        );
        assert.deepEqual(refused, []);
      });
    });
  }

  it("catches what it claims to: an unknown field, a value outside an enum, a kind the CRDs do not serve", async () => {
    const catalog = shippedCatalog("prod");
    const resources = await recordResources(() => esoPlatform(catalog), catalog, "prod");
    const external = resources.find((r) => r.type === "kubernetes:external-secrets.io/v1:ExternalSecret")!;
    const base = external.inputs as { apiVersion: string; kind: string; spec: Record<string, unknown> };
    assert.deepEqual(check(validators, base), []);
    const misspelt = structuredClone(base);
    misspelt.spec.refreshIntervall = "1h";
    assert.match(check(validators, misspelt).join(), /must NOT have additional properties/);
    const badPolicy = structuredClone(base);
    badPolicy.spec.target = { ...(badPolicy.spec.target as object), creationPolicy: "Sometimes" };
    assert.match(check(validators, badPolicy).join(), /must be equal to one of the allowed values/);
    assert.match(
      check(validators, { ...base, apiVersion: "external-secrets.io/v1beta1" }).join(),
      /not served/,
    );
  });
});
