/**
 * The stakater/reloader chart at the pinned version, rendered by real Helm with the values the
 * ESO component gives its Reloader release: restarts on Secret changes only, for workloads that
 * opt in, from a hardened pod that may read Secrets but never change them.
 */
import * as assert from "node:assert/strict";
import { reloaderChartValues } from "../../../components/eso/operator-values";
import { ESO_NAMESPACE } from "../../../components/eso/namespace";
import { RELOADER_CHART } from "../../../stacks/charts";
import { ENVIRONMENTS } from "../../../stacks/schema";
import { hasSchema, validateAgainstSchema } from "../../support/kubernetes-schemas";
import { recordResources, shippedCatalog } from "../../support/offline";
import type { RecordedResource } from "../../../tools/offline/types";
import { esoPlatform } from "../../unit/eso/fixtures";
import { undeclaredValues } from "./chart-values";
import { CHART_DIRS, chartVersion, helmTemplate, type K8sObject, rendered, requireCharts } from "./charts";

const isReloaderRelease = (r: RecordedResource) =>
  r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === RELOADER_CHART.chart;

interface Container {
  args: string[];
  securityContext: Record<string, unknown>;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface DeploymentSpec {
  template: {
    spec: {
      containers: Container[];
      securityContext: { runAsNonRoot?: boolean };
      serviceAccountName: string;
    };
  };
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

describe("stakater/reloader chart rendered by Helm", function () {
  before(function () {
    requireCharts(this);
  });

  it("is the version the releases pin", () => {
    assert.equal(chartVersion(CHART_DIRS.reloader), RELOADER_CHART.version);
  });

  for (const env of ENVIRONMENTS) {
    const catalog = shippedCatalog(env);
    // Decided here, not by a skip: nothing may be pending under CI=true (.mocharc.cjs).
    if (!catalog.eso?.reloader) continue; // the stack installs no Reloader
    describe(`with the ${env} stack`, () => {
      let values: unknown;
      let objects: K8sObject[];
      let release: string;
      before(async () => {
        const resources = await recordResources(() => esoPlatform(catalog), catalog, env);
        const releases = resources.filter(isReloaderRelease);
        assert.equal(releases.length, catalog.eso!.clusters.length);
        for (const r of releases) assert.deepEqual(r.inputs.values, releases[0].inputs.values);
        values = releases[0].inputs.values;
        release = String(releases[0].inputs.name);
        objects = helmTemplate(CHART_DIRS.reloader, release, ESO_NAMESPACE, values);
      });
      const deployment = () => rendered(objects, "Deployment", `${release}-reloader`).spec as DeploymentSpec;
      const container = () => deployment().template.spec.containers[0];

      it("sets only values the chart declares, and it renders valid Kubernetes objects", async () => {
        assert.deepEqual(undeclaredValues(values, CHART_DIRS.reloader), []);
        assert.deepEqual(
          objects.filter((o) => !hasSchema(o.apiVersion, o.kind)).map((o) => `${o.apiVersion} ${o.kind}`),
          [],
        );
        for (const object of objects) await validateAgainstSchema(object);
      });

      it("restarts on Secret changes only, and only workloads that opt in", () => {
        const args = container().args;
        assert.ok(args.includes("--resources-to-ignore=configmaps"), args.join(" "));
        assert.deepEqual(
          args.filter((a) => a.startsWith("--auto-reload-all")),
          [],
        );
      });

      it("runs non-root with a read-only root filesystem, no privilege escalation, no capabilities, and requests", () => {
        const pod = deployment().template.spec;
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.deepEqual(container().securityContext, {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        assert.ok(container().resources.requests?.cpu && container().resources.requests?.memory);
        assert.ok(container().resources.limits?.memory);
      });

      it("gives its service account no cloud identity, and may read Secrets but never change them", () => {
        const accounts = objects.filter((o) => o.kind === "ServiceAccount");
        assert.deepEqual(
          accounts.map((a) => a.metadata.name),
          [deployment().template.spec.serviceAccountName],
        );
        // The chart annotates its objects with the Helm release (meta.helm.sh/*); nothing else.
        const annotations = Object.keys(accounts[0].metadata.annotations ?? {});
        assert.deepEqual(
          annotations.filter((a) => !a.startsWith("meta.helm.sh/")),
          [],
        );
        const rules = objects
          .filter((o) => o.kind === "ClusterRole" || o.kind === "Role")
          .flatMap((o) => (o.rules as Rule[]).map((rule) => ({ kind: o.kind, ...rule })));
        const onSecrets = rules.filter((r) => r.apiGroups.includes("") && r.resources.includes("secrets"));
        assert.ok(onSecrets.length > 0, "Reloader watches Secrets");
        assert.deepEqual(
          onSecrets.flatMap((r) => r.verbs.filter((v) => !["get", "list", "watch"].includes(v))),
          [],
        );
        // ConfigMaps are ignored: only its own metadata ConfigMap, in its namespace.
        assert.deepEqual(
          rules.filter((r) => r.kind === "ClusterRole" && r.resources.includes("configmaps")),
          [],
        );
      });
    });
  }

  it("catches what it claims to: reload-all, ConfigMaps watched, a value the chart does not read", () => {
    const values = structuredClone(reloaderChartValues()) as { reloader: Record<string, unknown> };
    values.reloader.autoReloadAll = true;
    values.reloader.ignoreConfigMaps = false;
    const objects = helmTemplate(CHART_DIRS.reloader, RELOADER_CHART.chart, ESO_NAMESPACE, values);
    const args = (rendered(objects, "Deployment", `${RELOADER_CHART.chart}-reloader`).spec as DeploymentSpec)
      .template.spec.containers[0].args;
    assert.ok(args.includes("--auto-reload-all=true"));
    assert.ok(!args.includes("--resources-to-ignore=configmaps"));
    values.reloader.ignoreConfigmaps = true;
    assert.deepEqual(undeclaredValues(values, CHART_DIRS.reloader), ["reloader.ignoreConfigmaps"]);
  });
});
