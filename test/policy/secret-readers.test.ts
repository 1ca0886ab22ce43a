/** pulumi-stack-restrict-secret-readers on the real prod preview, and one-field mutations of it. */
import assert from "node:assert/strict";
import * as path from "node:path";
import { evaluatePolicies } from "../../tools/offline/gate";
import { pulumiStackRestrictSecretReaders } from "../../policy/policies";
import { DEFAULT_OPERATORS } from "../../policy/policies/pulumi-stack-restrict-secret-readers";
import { PROJECT_DIR, runPreview } from "../../tools/offline/preview";
import type { RecordedResource } from "../../tools/offline/types";

type Mutate = (resources: RecordedResource[]) => void;

let prod: RecordedResource[];
const copy = (): RecordedResource[] => structuredClone(prod);
const named = (rs: RecordedResource[], type: string, name: string) => {
  const r = rs.find((x) => x.type === type && x.name === name);
  assert.ok(r, `${type} ${name} in the prod preview`);
  return r;
};
/** The stack policy sees outputs (inputs plus computed values): mutate both alike. */
const set = (r: RecordedResource, key: string, value: unknown) => {
  r.inputs[key] = value;
  r.outputs[key] = value;
};

async function violations(mutate?: Mutate) {
  const resources = copy();
  mutate?.(resources);
  return evaluatePolicies(resources, { environment: "prod", policies: [pulumiStackRestrictSecretReaders] });
}

const ROLE = "aws:iam/role:Role";
const trustOf = (r: RecordedResource) => JSON.parse(r.outputs.assumeRolePolicy as string);

describe("pulumi-stack-restrict-secret-readers on the prod stack", function () {
  this.timeout(60_000);
  before(async () => {
    prod = (await runPreview({ stackFile: path.join(PROJECT_DIR, "Pulumi.prod.yaml") })).resources;
  });

  it("passes the shipped prod stack", async () => {
    assert.deepEqual(await violations(), []);
  });

  const cases: [string, RegExp, Mutate][] = [
    [
      "a workload role whose trust takes any service account of the namespace",
      /sp-prod-payments-api can read .*not a workload identity/,
      (rs) => {
        const role = named(rs, ROLE, "platform-aws-workload-payments-api");
        const trust = trustOf(role);
        const cond = trust.Statement[0].Condition;
        cond.StringLike = { [Object.keys(cond.StringEquals)[0]]: "system:serviceaccount:payments:*" };
        delete cond.StringEquals[Object.keys(cond.StringEquals)[0]];
        set(role, "assumeRolePolicy", JSON.stringify(trust));
      },
    ],
    [
      "a CI preview role (GitHub OIDC, not a workload) granted GetSecretValue on a workload secret",
      /sp-prod_github-preview can read .*payments-worker-ledger-db/,
      (rs) => {
        const policy = named(rs, "aws:iam/rolePolicy:RolePolicy", "platform-aws-github-preview");
        const secret = named(
          rs,
          "aws:secretsmanager/secret:Secret",
          "platform-aws-secret-payments-worker-ledger-db",
        );
        const doc = JSON.parse(policy.outputs.policy as string);
        doc.Statement.push({
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: secret.outputs.arn,
        });
        set(policy, "policy", JSON.stringify(doc));
      },
    ],
    [
      "one workload role reading another workload's secret",
      /payments-api .*payments-worker-ledger-db of workload payments-worker|2 workloads/,
      (rs) => {
        const policy = named(rs, "aws:iam/rolePolicy:RolePolicy", "platform-aws-workload-payments-api");
        const doc = JSON.parse(policy.outputs.policy as string);
        doc.Statement[0].Resource = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sp-prod-payments-*";
        set(policy, "policy", JSON.stringify(doc));
      },
    ],
    [
      "a GCP accessor binding to a service account without Workload Identity",
      /sp-prod-catalog-api@.* \(no roles\/iam.workloadIdentityUser/,
      (rs) => {
        const wi = named(rs, "gcp:serviceaccount/iAMMember:IAMMember", "platform-gcp-wi-catalog-api");
        set(wi, "role", "roles/iam.serviceAccountViewer");
      },
    ],
    [
      "an Azure Secrets User assignment to a principal with no federated credential",
      /principal .* no federated credential/,
      (rs) => {
        const fic = named(
          rs,
          "azure-native:managedidentity:FederatedIdentityCredential",
          "platform-azure-federation-notifications",
        );
        set(fic, "resourceName", "some-other-identity");
      },
    ],
  ];
  for (const [change, message, mutate] of cases) {
    it(`flags ${change}`, async () => {
      const found = await violations(mutate);
      assert.ok(found.length > 0, "no violation");
      assert.ok(
        found.some((v) => v.enforcementLevel === "mandatory" && message.test(v.message)),
        found.map((v) => v.message).join("\n"),
      );
    });
  }

  it("admits a configured operator", async () => {
    const mutate: Mutate = (rs) => {
      const wi = named(rs, "gcp:serviceaccount/iAMMember:IAMMember", "platform-gcp-wi-catalog-api");
      set(wi, "role", "roles/iam.serviceAccountViewer");
    };
    const resources = copy();
    mutate(resources);
    const found = await evaluatePolicies(resources, {
      environment: "prod",
      policies: [pulumiStackRestrictSecretReaders],
      config: {
        "pulumi-stack-restrict-secret-readers": {
          operators: [...DEFAULT_OPERATORS, "serviceAccount:sp-prod-catalog-api@*"],
        },
      },
    });
    assert.deepEqual(found, []);
  });

  it("reports an unknown ARN as advisory, keeping what it could judge", async () => {
    const { unknownStringValue } = require("@pulumi/policy/proxy"); // eslint-disable-line @typescript-eslint/no-require-imports
    const found = await violations((rs) => {
      named(
        rs,
        "aws:secretsmanager/secret:Secret",
        "platform-aws-secret-payments-api-stripe-api-key",
      ).outputs.arn = unknownStringValue;
    });
    assert.deepEqual(
      found.map((v) => v.enforcementLevel),
      ["advisory"],
    );
    assert.match(found[0].message, /can't run policy 'pulumi-stack-restrict-secret-readers' during preview/);
  });
});
