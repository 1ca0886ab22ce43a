/**
 * AwsSecrets under the mock runtime: the complete IAM surface, documents in the graph equal
 * to the pure functions' output for the graph's own (realistic) ARNs, every number from the
 * profile, protection in prod, no secret value outside secret inputs, early argument errors.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { AwsSecrets } from "../../../components/aws";
import { unexpectedReadPattern } from "../../../components/aws/audit";
import { planAws } from "../../../components/aws/plan";
import {
  GITHUB_OIDC_URL,
  alertTopicPolicy,
  deployRolePolicy,
  driftRolePolicy,
  keyPolicy,
  podIdentityTrustPolicy,
  previewRolePolicy,
  secretArnInRegion,
  secretResourcePolicy,
  SECRET_METADATA_ACTIONS,
  SECRET_READ_ACTIONS,
  SECRET_ROTATION_ACTIONS,
  serviceAccountSubject,
  webIdentityTrustPolicy,
  workloadPolicy,
} from "../../../components/aws/policies";
import { type GithubJobClaims, githubTrustPolicy } from "../../../components/aws/ci";
import { awsNames, cloudSecretName, workloadIdentityName } from "../../../stacks/naming";
import { profileFor } from "../../../stacks/profiles";
import type { Catalog, CatalogInput } from "../../../stacks/schema";
import { validateCatalog } from "../../../stacks/validate";
import { SECRET_MARKERS } from "../../support/secret-leaks";
import { runOffline } from "../../../tools/offline/runtime";
import { type AwsGraph, awsGraph, recordAws } from "../../support/aws-graph";
import {
  loadedStackFor,
  ofType,
  recordResources,
  shippedCatalog,
  shippedCatalogInput,
} from "../../support/offline";

const ARN = {
  role: /^arn:aws:iam::123456789012:role\/sp-(prod|dev)[-_][a-z0-9_-]+$/,
  secret: /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:sp-prod[-/][a-z0-9/-]+-[0-9a-f]{6}$/,
  key: /^arn:aws:kms:eu-west-1:123456789012:key\/mrk-[0-9a-f]{32}$/,
};

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Every string leaf of the inputs with its dotted path (the recorder's path syntax). */
function leaves(value: unknown, path = ""): Array<[string, string]> {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** The prod catalog with its aws section edited. */
function variant(edit: (aws: NonNullable<CatalogInput["aws"]>) => void): Catalog {
  const input = shippedCatalogInput("prod");
  edit(input.aws!);
  return validateCatalog(input);
}

describe("AwsSecrets (mock runtime)", () => {
  describe("shipped prod catalog", () => {
    const catalog = shippedCatalog("prod");
    const profile = profileFor("prod");
    const plan = planAws(catalog, profile, new Set(loadedStackFor(catalog).secrets.keys()));
    let g: AwsGraph;
    let component: AwsSecrets;
    before(async () => {
      g = awsGraph(
        await recordResources(() => {
          component = new AwsSecrets("aws", loadedStackFor(catalog));
        }, catalog),
      );
    });
    const preview = "sp-prod_github-preview";
    const drift = "sp-prod_github-drift";
    const deploy = "sp-prod_github-deploy";
    const workloadRoles = ["sp-prod-payments-api", "sp-prod-payments-worker", "sp-prod-orders-reporting"];

    it("creates exactly the workload and CI roles, each with one inline policy, and no other IAM objects", () => {
      assert.deepEqual([...g.roles.keys()].sort(), [...workloadRoles, deploy, drift, preview].sort());
      for (const role of g.roles.values()) {
        assert.match(role.arn, ARN.role);
        assert.equal(role.policies.length, 1, role.name);
      }
      const iamTypes = new Set(g.resources.filter((r) => r.type.startsWith("aws:iam/")).map((r) => r.type));
      assert.deepEqual([...iamTypes].sort(), [
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
      ]);
      assert.deepEqual(
        [...g.oidcProviders.keys()].sort(),
        [
          GITHUB_OIDC_URL,
          catalog.kubernetes.clusters.find((c) => c.name === "eks-prod")!.oidcIssuerUrl,
        ].sort(),
      );
    });

    it("gives each workload the trust and permissions the pure functions derive for its ARNs", () => {
      const replicaKey = ofType(g.resources, "aws:kms/replicaKey:ReplicaKey")[0];
      for (const w of plan.workloads) {
        const role = g.roles.get(w.roleName)!;
        const issuer = w.cluster.oidcIssuerUrl;
        assert.deepEqual(
          role.trust,
          webIdentityTrustPolicy({
            providerArn: g.oidcProviders.get(issuer)!,
            issuerUrl: issuer,
            subject: serviceAccountSubject(w.workload.namespace, w.workload.serviceAccount),
          }),
        );
        const arns = w.secrets.map((s) => g.secrets.get(s.name)!.arn);
        arns.forEach((arn) => assert.match(arn, ARN.secret));
        assert.deepEqual(
          role.policies[0],
          workloadPolicy({
            secretArns: arns.flatMap((a) => plan.regions.map((r) => secretArnInRegion(a, r))),
            keyArns: [g.key.arn, String(replicaKey.outputs.arn)],
            regions: plan.regions,
          }),
        );
      }
    });

    it("writes the key policy, secret policies and CI policies the pure functions derive", () => {
      const [previewArn, driftArn, deployArn] = [preview, drift, deploy].map((r) => g.roles.get(r)!.arn);
      const managers = [...catalog.aws!.operatorRoleArns, deployArn];
      const readers = workloadRoles.map((n) => g.roles.get(n)!.arn);
      assert.match(g.key.arn, ARN.key);
      assert.deepEqual(
        g.key.policy,
        keyPolicy({
          accountId: "123456789012",
          regions: plan.regions,
          administratorArns: managers,
          writerArns: [...managers, ...Object.values(plan.rotationRoleArns)],
          readerArns: readers,
          auditorArns: [previewArn, driftArn],
        }),
      );
      for (const s of plan.secrets) {
        const graph = g.secrets.get(s.name)!;
        assert.equal(graph.blockPublicPolicy, true);
        assert.deepEqual(
          graph.policy,
          secretResourcePolicy({
            managerArns: managers,
            limited: [
              {
                sid: "ReadersOnlyRead",
                principalArns: [g.roles.get(workloadIdentityName(catalog, s.workload))!.arn],
                actions: SECRET_READ_ACTIONS,
              },
              {
                sid: "AuditorsOnlyDescribe",
                principalArns: [previewArn, driftArn],
                actions: SECRET_METADATA_ACTIONS,
              },
              {
                sid: "RotationOnlyRotates",
                principalArns: s.rotation ? [s.rotation.roleArn] : [],
                actions: SECRET_ROTATION_ACTIONS,
              },
            ],
          }),
          s.name,
        );
      }
      const scope = {
        accountId: "123456789012",
        regions: plan.regions,
        namePrefix: "sp-prod",
        oidcIssuerUrls: [plan.irsaClusters[0].oidcIssuerUrl, GITHUB_OIDC_URL],
        podIdentity: false,
        rotationVpc: true,
        configKeyAlias: "alias/secrets-platform-prod-config",
      };
      assert.deepEqual(g.roles.get(preview)!.policies[0], previewRolePolicy(scope));
      assert.deepEqual(g.roles.get(drift)!.policies[0], driftRolePolicy(scope));
      assert.deepEqual(g.roles.get(deploy)!.policies[0], deployRolePolicy(scope));
      const githubProvider = g.oidcProviders.get(GITHUB_OIDC_URL)!;
      const repo = "example-org/secrets-platform";
      const trust = (claims: GithubJobClaims) => githubTrustPolicy(githubProvider, claims);
      assert.deepEqual(
        g.roles.get(deploy)!.trust,
        trust({
          sub: `repo:${repo}:environment:prod`,
          job_workflow_ref: `${repo}/.github/workflows/deploy-stack.yml@refs/heads/main`,
          ref: "refs/heads/main",
        }),
      );
      assert.deepEqual(
        g.roles.get(drift)!.trust,
        trust({
          sub: `repo:${repo}:ref:refs/heads/main`,
          job_workflow_ref: `${repo}/.github/workflows/drift.yml@refs/heads/main`,
        }),
      );
      assert.deepEqual(g.roles.get(preview)!.trust, trust({ sub: `repo:${repo}:pull_request` }));
      assert.deepEqual(g.roles.get(deploy)!.trust.Statement[0].Condition, {
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": `repo:${repo}:environment:prod`,
          "token.actions.githubusercontent.com:job_workflow_ref": `${repo}/.github/workflows/deploy-stack.yml@refs/heads/main`,
          "token.actions.githubusercontent.com:ref": "refs/heads/main",
        },
      });
    });

    it("creates the admin-login secret of each rotated database, readable by the rotation role only", () => {
      for (const db of plan.rotatedDatabases) {
        const admin = g.secrets.get(awsNames.databaseAdminSecret(catalog, db))!;
        assert.ok(admin, db.name);
        const limited = admin.policy.Statement.find((s) => s.Sid === "ReadersOnlyRead")!;
        assert.deepEqual(limited.Condition, {
          ArnEquals: { "aws:PrincipalArn": [plan.rotationRoleArns[db.name]] },
        });
        assert.ok(!admin.policy.Statement.some((s) => s.Sid === "RotationOnlyRotates"));
      }
      assert.deepEqual(plan.rotatedDatabases.map((d) => d.name).sort(), ["ledger-mysql", "orders-pg"]);
    });

    it("takes every number from the profile and encrypts every secret with the environment key", () => {
      const key = g.key.inputs;
      assert.equal(key.enableKeyRotation, true);
      assert.equal(key.rotationPeriodInDays, profile.keyRotationDays);
      assert.equal(key.deletionWindowInDays, profile.recoveryWindowDays);
      const [replica] = ofType(g.resources, "aws:kms/replicaKey:ReplicaKey");
      assert.equal(replica.inputs.region, "eu-central-1");
      assert.equal(replica.inputs.deletionWindowInDays, profile.recoveryWindowDays);
      const [alias] = ofType(g.resources, "aws:kms/alias:Alias");
      assert.equal(alias.inputs.name, "alias/sp-prod-secrets");
      for (const s of ofType(g.resources, "aws:secretsmanager/secret:Secret")) {
        assert.equal(s.inputs.recoveryWindowInDays, profile.recoveryWindowDays, s.name);
        assert.equal(s.inputs.kmsKeyId, g.key.arn, s.name);
        assert.deepEqual(
          s.inputs.replicas,
          [{ region: "eu-central-1", kmsKeyId: replica.outputs.arn }],
          s.name,
        );
        const tags = s.inputs.tags as Record<string, string>;
        assert.equal(tags["cost-center"], "platform-security");
        assert.equal(tags.environment, "prod");
      }
      for (const s of plan.secrets) {
        assert.equal(s.name, cloudSecretName(catalog, s.workload, s.secret));
        assert.equal(g.secrets.get(s.name)!.tags.workload, s.workload.name);
      }
    });

    it("protects keys and secrets in prod (profile.protect)", () => {
      const stateful = g.resources.filter((r) =>
        ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:secretsmanager/secret:Secret"].includes(
          r.type,
        ),
      );
      assert.equal(stateful.length, 2 + plan.secrets.length + plan.rotatedDatabases.length);
      for (const r of stateful) assert.equal(r.opts.protect, true, r.name);
    });

    it("passes no secret value outside secret inputs, and does pass the generated ones as secrets", () => {
      let secretHits = 0;
      for (const r of g.resources) {
        for (const [path, value] of leaves(r.inputs)) {
          if (!SECRET_MARKERS.some((m) => value.includes(m))) continue;
          const covered = r.secretPaths.some(
            (p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`),
          );
          assert.ok(covered, `${r.type} ${r.name} input ${path} holds a secret value in plain text`);
          secretHits++;
        }
      }
      // Two rotated secrets with generated passwords, two admin logins from config.
      assert.equal(secretHits, 4);
    });

    it("exposes the identities, secret names and rotation inputs other components need", async () => {
      assert.deepEqual(
        Object.keys(component.workloadIdentities).sort(),
        plan.workloads.map((w) => w.workload.name).sort(),
      );
      const roleArn = await valueOf(component.workloadIdentities["payments-api"].awsRoleArn!);
      assert.equal(roleArn, g.roles.get("sp-prod-payments-api")!.arn);
      assert.equal(
        await valueOf(component.secretRefs["payments-api/stripe-api-key"].name),
        "sp-prod-payments-api-stripe-api-key",
      );
      assert.deepEqual(Object.keys(component.rotatedSecrets).sort(), [
        "orders-reporting/warehouse-db",
        "payments-worker/ledger-db",
      ]);
      const rotated = component.rotatedSecrets["payments-worker/ledger-db"];
      assert.equal(rotated.database, "ledger-mysql");
      assert.equal(await valueOf(rotated.keyArn), g.key.arn);
      assert.equal(
        await valueOf(rotated.adminSecretArn),
        g.secrets.get("sp-prod/database-admin/ledger-mysql")!.arn,
      );
      assert.deepEqual(component.rotationFunctionRoleArns, {
        "ledger-mysql": "arn:aws:iam::123456789012:role/sp-prod_rotation-ledger-mysql",
        "orders-pg": "arn:aws:iam::123456789012:role/sp-prod_rotation-orders-pg",
      });
    });

    it("alerts through EventBridge on reads by any principal the catalog does not name", () => {
      const [rule] = ofType(g.resources, "aws:cloudwatch/eventRule:EventRule");
      assert.equal(rule.inputs.state, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
      const expected = [
        ...catalog.aws!.operatorRoleArns,
        g.roles.get(deploy)!.arn,
        ...workloadRoles.map((n) => g.roles.get(n)!.arn),
        ...Object.values(plan.rotationRoleArns),
      ];
      assert.deepEqual(
        JSON.parse(String(rule.inputs.eventPattern)),
        unexpectedReadPattern({
          accountId: "123456789012",
          region: "eu-west-1",
          namePrefix: "sp-prod",
          expectedRoleArns: expected,
        }),
      );
      const [topicPolicy] = ofType(g.resources, "aws:sns/topicPolicy:TopicPolicy");
      const [topic] = ofType(g.resources, "aws:sns/topic:Topic");
      assert.deepEqual(
        JSON.parse(String(topicPolicy.inputs.policy)),
        alertTopicPolicy({ topicArn: String(topic.outputs.arn), ruleArn: String(rule.outputs.arn) }),
      );
    });
  });

  it("leaves dev unprotected and without CI roles when the catalog has no aws.github", async () => {
    const g = await recordAws(shippedCatalog("dev"));
    for (const r of g.resources.filter((x) => x.custom)) assert.equal(r.opts.protect, false, r.name);
    assert.deepEqual([...g.roles.keys()], ["sp-dev-payments-api"]);
    assert.ok(!g.oidcProviders.has(GITHUB_OIDC_URL));
    const admin = g.key.policy.Statement.find((s) => s.Sid === "KeyAdministration")!;
    assert.deepEqual(admin.Principal, { AWS: ["arn:aws:iam::123456789012:role/platform-security-admin"] });
    assert.ok(!g.key.policy.Statement.some((s) => s.Sid === "ReadKeyMetadata"));
    assert.equal(ofType(g.resources, "aws:kms/replicaKey:ReplicaKey").length, 0);
  });

  it("uses EKS Pod Identity when asked: service trust pinned by session tags, one association per workload", async () => {
    const catalog = variant((aws) => (aws.workloadIdentity = "pod-identity"));
    const resources = await recordResources(() => new AwsSecrets("aws", loadedStackFor(catalog)), catalog);
    const g = awsGraph(resources);
    assert.deepEqual([...g.oidcProviders.keys()], [GITHUB_OIDC_URL]);
    const associations = ofType(resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation");
    assert.equal(associations.length, 3);
    for (const a of associations) {
      const role = g.roles.get(`sp-prod-${a.inputs.serviceAccount}`)!;
      assert.equal(a.inputs.roleArn, role.arn);
      assert.equal(a.inputs.clusterName, "eks-prod");
      assert.deepEqual(
        role.trust,
        podIdentityTrustPolicy({
          accountId: "123456789012",
          clusterName: "eks-prod",
          namespace: String(a.inputs.namespace),
          serviceAccount: String(a.inputs.serviceAccount),
        }),
      );
    }
    const deployPolicy = g.roles.get("sp-prod_github-deploy")!.policies[0];
    assert.ok(deployPolicy.Statement.some((s) => s.Sid === "PassOwnRolesToPodIdentity"));
  });

  it("reuses an existing GitHub OIDC provider instead of creating a second one", async () => {
    const catalog = shippedCatalog("prod");
    const existing = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    const resources = await recordResources(
      () => new AwsSecrets("aws", { ...loadedStackFor(catalog), githubOidcProviderArn: existing }),
      catalog,
    );
    const g = awsGraph(resources);
    assert.ok(!g.oidcProviders.has(GITHUB_OIDC_URL));
    assert.deepEqual(g.roles.get("sp-prod_github-preview")!.trust.Statement[0].Principal, {
      Federated: existing,
    });
  });

  describe("bad arguments fail before any resource, naming the key", () => {
    const message = (catalog: Catalog, edit: (s: ReturnType<typeof loadedStackFor>) => object = (s) => s) => {
      const s = edit(loadedStackFor(catalog)) as ReturnType<typeof loadedStackFor>;
      try {
        planAws(s.catalog, s.profile, new Set(s.secrets.keys()));
      } catch (err) {
        return (err as Error).message;
      }
      return "no error";
    };

    it("no aws section", () => {
      const catalog = { ...shippedCatalog("prod"), aws: undefined };
      assert.match(message(catalog), /catalog\.aws: is not set/);
    });
    it("a profile of another environment", () => {
      const catalog = shippedCatalog("prod");
      assert.match(
        message(catalog, (s) => ({ ...s, profile: profileFor("dev") })),
        /profile\.environment: is "dev"/,
      );
    });
    it("a replica Region equal to the primary", () => {
      const catalog = variant((aws) => (aws.replicaRegions = ["eu-central-1", "eu-west-1"]));
      assert.match(
        message(catalog),
        /aws\.replicaRegions\[1\]: eu-west-1 is listed twice or is the primary Region/,
      );
    });
    it("an operator role of another account", () => {
      const catalog = variant((aws) => aws.operatorRoleArns.push("arn:aws:iam::999999999999:role/outsider"));
      assert.match(message(catalog), /aws\.operatorRoleArns\[1\]: .* is not in account 123456789012/);
    });
    it("a rotated database whose admin password was not passed", () => {
      const catalog = shippedCatalog("prod");
      const edit = (s: ReturnType<typeof loadedStackFor>) => ({
        ...s,
        secrets: new Map([...s.secrets].filter(([k]) => k !== "ledgerDbAdminPassword")),
      });
      assert.match(
        message(catalog, edit),
        /databases\[1\]\.adminPasswordConfigKey: no secret config value ledgerDbAdminPassword/,
      );
    });
    it("registers nothing when it throws", async () => {
      const catalog = { ...shippedCatalog("prod"), aws: undefined };
      const run = await runOffline({
        project: "secrets-platform",
        stack: "test",
        config: {},
        secretKeys: [],
        program: () => new AwsSecrets("aws", loadedStackFor(catalog)),
      });
      assert.match(String(run.error?.message), /^AwsSecrets: catalog\.aws: /);
      assert.deepEqual(
        run.resources.map((r) => r.type),
        ["pulumi:pulumi:Stack"],
      );
    });
  });
});
