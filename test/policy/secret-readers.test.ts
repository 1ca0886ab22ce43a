/**
 * pulumi-stack-restrict-secret-readers on the real prod preview with prod's policy config (its
 * one operator, by exact ARN), and one-field mutations of it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { evaluatePolicies } from "../../tools/offline/gate";
import { pulumiStackRestrictSecretReaders } from "../../policy/policies";
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

const RULE = "pulumi-stack-restrict-secret-readers";
const PROD_CONFIG = JSON.parse(
  fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.policy-config.json"), "utf8"),
) as Record<string, { operators: Array<{ principal: string; reason: string }> }>;
const DEPLOY_ROLE = "arn:aws:iam::123456789012:role/sp-prod_github-deploy";

async function all(mutate?: Mutate, config: object = PROD_CONFIG[RULE]) {
  const resources = copy();
  mutate?.(resources);
  return evaluatePolicies(resources, {
    environment: "prod",
    policies: [pulumiStackRestrictSecretReaders],
    config: { [RULE]: config },
  });
}
/** Verdicts: everything but the advisory notes of exemptions applied. */
const violations = async (mutate?: Mutate, config?: object) =>
  (await all(mutate, config)).filter((v) => !/Exempt by configuration/.test(v.message));

const ROLE = "aws:iam/role:Role";
const trustOf = (r: RecordedResource) => JSON.parse(r.outputs.assumeRolePolicy as string);

describe("pulumi-stack-restrict-secret-readers on the prod stack", function () {
  this.timeout(60_000);
  before(async () => {
    prod = (await runPreview({ stackFile: path.join(PROJECT_DIR, "Pulumi.prod.yaml") })).resources;
  });

  it("passes the shipped prod stack with its config: the deploy role is an operator by exact ARN, with its reason", async () => {
    const found = await all();
    assert.deepEqual(
      found.map((v) => v.enforcementLevel),
      ["advisory"],
    );
    assert.match(
      found[0].message,
      new RegExp(
        `IAM role ${DEPLOY_ROLE} can read .* as an operator\\. Exempt by configuration \\(exemption "${DEPLOY_ROLE}"\\): GitHub Actions deploy role of prod`,
      ),
    );
  });

  it("without the config, the deploy role is just a reader that is no workload identity (a role name admits no one)", async () => {
    const found = await violations(undefined, {});
    assert.ok(found.length > 0);
    assert.ok(
      found.every((v) => v.enforcementLevel === "mandatory" && v.message.includes("sp-prod_github-deploy")),
    );
  });

  it("takes no glob as an operator, and reports the entry it ignores", async () => {
    const found = await violations(undefined, { operators: ["arn:aws:iam::*:role/*_github-deploy"] });
    assert.ok(found.some((v) => /config operators\[0\] is ignored: it needs `principal`/.test(v.message)));
    assert.ok(found.some((v) => /sp-prod_github-deploy can read/.test(v.message)));
    const glob = await violations(undefined, {
      operators: [{ principal: "arn:aws:iam::*:role/*_github-deploy", reason: "CI" }],
    });
    assert.ok(glob.some((v) => /sp-prod_github-deploy can read/.test(v.message)));
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
      "one workload role reading another workload's secret (whatever the tags say)",
      /sp-prod-payments-api \(service account payments\/payments-api\) can read .*payments-worker-ledger-db, which workload identities of .* read too/,
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
      "a GCP workload's accessor grant on its secret raised to Secret Manager Admin (it reads too, and is no rotation function)",
      /holds roles\/secretmanager.admin, which also changes who may read the secret/,
      (rs) => {
        const grant = rs.find(
          (r) =>
            r.type === "gcp:secretmanager/secretIamMember:SecretIamMember" &&
            r.outputs.role === "roles/secretmanager.secretAccessor",
        )!;
        set(grant, "role", "roles/secretmanager.admin");
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

  it("admits a configured operator by its exact member, and says so", async () => {
    const mutate: Mutate = (rs) => {
      const wi = named(rs, "gcp:serviceaccount/iAMMember:IAMMember", "platform-gcp-wi-catalog-api");
      set(wi, "role", "roles/iam.serviceAccountViewer");
    };
    const member = (await violations(mutate)).map(
      (v) => /member (serviceAccount:\S+) can read/.exec(v.message)?.[1],
    )[0];
    assert.ok(member);
    const found = await all(mutate, {
      operators: [...PROD_CONFIG[RULE].operators, { principal: member, reason: "catalog export job" }],
    });
    assert.ok(found.every((v) => v.enforcementLevel === "advisory"));
    assert.ok(
      found.some((v) =>
        v.message.includes(`Exempt by configuration (exemption "${member}"): catalog export job`),
      ),
    );
  });

  it("admits a secret shared by two workloads only when sharedSecrets names it exactly", async () => {
    const share: Mutate = (rs) => {
      const policy = named(rs, "aws:iam/rolePolicy:RolePolicy", "platform-aws-workload-payments-api");
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
    };
    assert.ok((await violations(share)).some((v) => v.enforcementLevel === "mandatory"));
    const exempt = await all(share, {
      ...PROD_CONFIG[RULE],
      sharedSecrets: [
        { secret: "sp-prod-payments-worker-ledger-db", reason: "ledger reads shared by design" },
      ],
    });
    assert.ok(
      exempt.every((v) => v.enforcementLevel === "advisory"),
      exempt.map((v) => v.message).join("\n"),
    );
    const other = await violations(share, {
      ...PROD_CONFIG[RULE],
      sharedSecrets: [{ secret: "sp-prod-payments-worker-ledger", reason: "a near miss" }],
    });
    assert.ok(other.some((v) => v.enforcementLevel === "mandatory"));
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
