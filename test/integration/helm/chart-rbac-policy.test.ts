/**
 * kubernetes-rbac-restrict-secret-access against the RBAC that the pinned ESO and Reloader
 * charts really render (real Helm, our stacks' values): a team that installs them through
 * `helm.sh/v4:Chart` (which registers each rendered object) sees the controllers' Secret access
 * refused until its config names their service accounts exactly, with a reason; then only
 * advisory notes remain: the ESO controller, its cert controller and Reloader, as
 * policy/docs/scope.md documents (the webhook's account only reviews tokens and access).
 */
import * as assert from "node:assert/strict";
import { ESO_NAMESPACE } from "../../../components/eso/namespace";
import { ESO_CHART, RELOADER_CHART } from "../../../stacks/charts";
import { kubernetesRbacRestrictSecretAccess as RULE } from "../../../policy/policies";
import { evaluatePolicies } from "../../../tools/offline/gate";
import type { RecordedResource } from "../../../tools/offline/types";
import { recordResources, shippedCatalog } from "../../support/offline";
import { recorded } from "../../policy/fixtures";
import { esoPlatform } from "../../unit/eso/fixtures";
import { CHART_DIRS, helmTemplate, type K8sObject, requireCharts } from "./charts";

/** Rendered objects as `helm.sh/v4:Chart` registers them: one resource per object, typed by its group/version/kind. */
function asResources(objects: readonly K8sObject[]): RecordedResource[] {
  return objects.map((o, i) => {
    const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["core", o.apiVersion];
    return recorded(`kubernetes:${group}/${version}:${o.kind}`, `${o.kind}-${o.metadata.name}-${i}`, o);
  });
}

const accountsIn = (messages: readonly string[]) =>
  [...new Set(messages.flatMap((m) => /service account (\S+?\/\S+?) /.exec(m)?.[1] ?? []))].sort();

describe("the RBAC rule on the ESO and Reloader charts as Helm renders them", function () {
  this.timeout(120_000);
  let resources: RecordedResource[];
  /** The service accounts the charts render, but the webhook's (token and access reviews only). */
  let controllers: string[];

  before(async function () {
    requireCharts(this);
    const catalog = shippedCatalog("prod");
    const recordedStack = await recordResources(() => esoPlatform(catalog), catalog, "prod");
    const release = (chart: string) =>
      recordedStack.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === chart);
    const eso = release(ESO_CHART.chart)!;
    const reloader = release(RELOADER_CHART.chart);
    const objects = helmTemplate(
      CHART_DIRS.externalSecrets,
      "external-secrets",
      ESO_NAMESPACE,
      eso.inputs.values,
    );
    if (reloader)
      objects.push(
        ...helmTemplate(
          CHART_DIRS.reloader,
          String(reloader.inputs.name),
          ESO_NAMESPACE,
          reloader.inputs.values,
        ),
      );
    resources = asResources(objects);
    controllers = objects
      .filter((o) => o.kind === "ServiceAccount" && o.metadata.name !== "external-secrets-webhook")
      .map((o) => `${o.metadata.namespace ?? ESO_NAMESPACE}/${o.metadata.name}`)
      .sort();
    assert.ok(controllers.includes(`${ESO_NAMESPACE}/external-secrets`), controllers.join(", "));
    if (reloader)
      assert.ok(
        controllers.some((a) => a.endsWith("-reloader")),
        controllers.join(", "),
      );
  });

  async function run(config?: object) {
    const found = await evaluatePolicies(resources, {
      environment: "prod",
      policies: [RULE],
      config: config && { [RULE.name]: config },
    });
    return {
      mandatory: found.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message),
      advisory: found.filter((v) => v.enforcementLevel === "advisory").map((v) => v.message),
    };
  }

  const expected = () => controllers;

  it("refuses the controllers' Secret access without a config, naming exactly their service accounts", async () => {
    const { mandatory } = await run();
    assert.ok(mandatory.length > 0);
    assert.deepEqual(accountsIn(mandatory), expected(), mandatory.join("\n"));
    assert.ok(
      mandatory.some((m) => /secrets/.test(m)),
      mandatory.join("\n"),
    );
  });

  it("passes with those service accounts named exactly, each reported with its reason", async () => {
    const serviceAccounts = expected().map((serviceAccount) => ({
      serviceAccount,
      reason: `controller of ${serviceAccount}: reads and writes Secrets by design`,
    }));
    const { mandatory, advisory } = await run({ serviceAccounts });
    assert.deepEqual(mandatory, []);
    for (const { serviceAccount } of serviceAccounts)
      assert.ok(
        advisory.some(
          (m) => m.includes(`service account ${serviceAccount} `) && /Exempt by configuration/.test(m),
        ),
        `${serviceAccount}: ${advisory.join("\n")}`,
      );
  });
});
