import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as YAML from "yaml";
import { evaluatePolicies } from "../../tools/offline/gate";
import type { Environment } from "../../stacks/schema";
import { accessGrants } from "../../stacks/access";
import { runPreview } from "../../tools/offline/preview";
import { renderMarkdownReport } from "../../tools/offline/markdown-report";
import type { AccessMapEntry } from "../../components/access-map";
import { PROJECT_DIR, recordResources, shippedCatalog } from "../support/offline";
import { previewCli } from "../support/preview-cli";

describe("policy gate over the shipped stacks", function () {
  this.timeout(300_000);

  for (const stack of ["dev", "staging", "prod"] as Environment[]) {
    it(`${stack}: zero mandatory violations, and the access map covers every grant of the catalog`, async () => {
      const result = await runPreview({ stackFile: path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`) });
      const mandatory = result.document.policyViolations.filter((v) => v.enforcementLevel === "mandatory");
      assert.deepEqual(mandatory, []);
      const accessMap = result.document.outputs.accessMap as AccessMapEntry[];
      const grants = accessGrants(shippedCatalog(stack));
      assert.deepEqual(
        accessMap.map((e) => `${e.workload}/${e.secret}`).sort(),
        grants.map((g) => g.id).sort(),
      );
      for (const entry of accessMap) {
        if (entry.backend === "aws") assert.match(entry.identity, /^arn:aws:iam::\d{12}:role\/sp-/);
        if (entry.backend === "gcp") assert.match(entry.identity, /@[a-z0-9-]+\.iam\.gserviceaccount\.com$/);
        if (entry.backend === "vault") assert.match(entry.identity, /^vault role auth\/kubernetes-/);
      }
      const report = renderMarkdownReport(
        stack,
        result.resources,
        result.document.policyViolations,
        accessMap,
        1,
      );
      assert.match(report, /```mermaid\nflowchart LR\n/);
      assert.match(report, /### Policy verdict/);
    });
  }

  it("a prod catalog with an AWS secret nobody rotates trips the rotation policy and exits 1", async () => {
    const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"));
    const catalog = doc.config["secrets-platform:catalog"];
    delete catalog.workloads[0].secrets[1].issuerRotation; // payments-api/stripe-api-key
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sp-gate-")), "Pulumi.bad.yaml");
    fs.writeFileSync(file, YAML.stringify(doc));
    // Prod's policy config beside it, without the exemption that followed the catalog's issuerRotation.
    const config = JSON.parse(
      fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.policy-config.json"), "utf8"),
    );
    const rule = config["aws-secretsmanager-require-rotation"] as { exemptions: Array<{ secret: string }> };
    rule.exemptions = rule.exemptions.filter((e) => e.secret !== "sp-prod-payments-api-stripe-api-key");
    fs.writeFileSync(path.join(path.dirname(file), "Pulumi.bad.policy-config.json"), JSON.stringify(config));
    const report = path.join(path.dirname(file), "report.md");
    const { code, stdout } = await previewCli("--stack-file", file, "--json", "--report", report);
    assert.equal(code, 1);
    const violations = JSON.parse(stdout).policyViolations as Array<{
      policyName: string;
      urn?: string;
      enforcementLevel: string;
    }>;
    const rotation = violations.filter(
      (v) => v.policyName === "aws-secretsmanager-require-rotation" && v.enforcementLevel === "mandatory",
    );
    assert.equal(rotation.length, 1);
    assert.equal(rotation[0].enforcementLevel, "mandatory");
    assert.match(rotation[0].urn ?? "", /payments-api-stripe-api-key/);
    assert.match(fs.readFileSync(report, "utf8"), /\| mandatory \| `aws-secretsmanager-require-rotation` \|/);
  });

  it("someone else's insecure program trips the expected policies", async () => {
    const resources = await recordResources(() => {
      new aws.kms.Key("no-rotation", { enableKeyRotation: false });
      new aws.iam.Policy("wildcard", {
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }],
        }),
      });
      new aws.secretsmanager.Secret("default-key", { recoveryWindowInDays: 7 });
      new k8s.core.v1.Secret("literal", {
        metadata: { namespace: "payments" },
        stringData: { password: "x" },
      });
      new k8s.apiextensions.CustomResource("never-refreshed", {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { namespace: "payments" },
        spec: {
          refreshInterval: "0s",
          secretStoreRef: { name: "s", kind: "SecretStore" },
          target: { name: "t" },
          data: [],
        },
      });
    });
    const violated = new Set(
      (await evaluatePolicies(resources, { environment: "prod" })).map((v) => v.policyName),
    );
    for (const expected of [
      "aws-kms-require-key-rotation",
      "aws-iam-forbid-wildcard-secret-actions",
      "aws-secretsmanager-require-cmk",
      "aws-secretsmanager-require-recovery-window",
      "aws-secretsmanager-require-rotation",
      "kubernetes-core-forbid-literal-secret-data",
      "kubernetes-externalsecrets-limit-refresh-interval",
      "pulumi-resource-require-protect",
    ]) {
      assert.ok(violated.has(expected), `${expected} not reported; got ${[...violated].join(", ")}`);
    }
  });
});
