/**
 * The deployed IAM documents of the shipped prod and staging catalogs, evaluated by an IAM
 * simulator: each workload reads its own secrets and nothing else, cannot write or delete,
 * cannot use the key outside Secrets Manager; its trust admits exactly its service account;
 * strangers are denied by the secret policies; the CI roles do only what their branch needs.
 */
import * as assert from "node:assert/strict";
import { planAws } from "../../../components/aws/plan";
import {
  type PolicyDocument,
  GITHUB_OIDC_URL,
  issuerHost,
  secretsManagerEndpoint,
  serviceAccountSubject,
} from "../../../components/aws/policies";
import { awsNames } from "../../../stacks/naming";
import type { Environment } from "../../../stacks/schema";
import { type AwsGraph, recordAws } from "../../support/aws-graph";
import { loadedStackFor, shippedCatalog } from "../../support/offline";
import { type Decision, decide } from "./simulate";

const ALLOWED: Decision = "Allowed";
const allowAll = (actions: string[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "Broad", Effect: "Allow", Action: actions, Resource: "*" }],
});

for (const environment of ["prod", "staging"] as Environment[]) {
  describe(`AWS IAM of the shipped ${environment} catalog, evaluated by iam-simulate`, function () {
    const catalog = shippedCatalog(environment);
    const stack = loadedStackFor(catalog);
    const plan = planAws(catalog, stack.profile, new Set(stack.secrets.keys()));
    const account = plan.settings.accountId;
    const region = plan.settings.region;
    let g: AwsGraph;

    before(async () => {
      g = await recordAws(catalog);
    });

    const role = (name: string) => {
      const r = g.roles.get(name);
      if (!r) throw new Error(`no role ${name}`);
      return r;
    };
    const secret = (name: string) => {
      const s = g.secrets.get(name);
      if (!s) throw new Error(`no secret ${name}`);
      return s;
    };
    const onSecret = (principal: string, action: string, name: string, identityPolicies: PolicyDocument[]) =>
      decide({
        principal,
        action,
        resource: secret(name).arn,
        accountId: account,
        identityPolicies,
        resourcePolicy: secret(name).policy,
      });
    const decrypt = (
      principal: string,
      identityPolicies: PolicyDocument[],
      context: Record<string, string>,
    ) =>
      decide({
        principal,
        action: "kms:Decrypt",
        resource: g.key.arn,
        accountId: account,
        identityPolicies,
        resourcePolicy: g.key.policy,
        context: { "kms:CallerAccount": account, ...context },
      });

    it("derives at least one workload with an aws secret (the proofs below are not vacuous)", () => {
      assert.ok(plan.workloads.length >= 1);
    });

    for (const w of plan.workloads) {
      describe(`workload ${w.workload.name}`, () => {
        const ownNames = w.secrets.map((s) => s.name);

        it("may GetSecretValue and DescribeSecret on each of its own secrets", async () => {
          const r = role(w.roleName);
          for (const name of ownNames) {
            assert.equal(
              await onSecret(r.arn, "secretsmanager:GetSecretValue", name, r.policies),
              ALLOWED,
              name,
            );
            assert.equal(
              await onSecret(r.arn, "secretsmanager:DescribeSecret", name, r.policies),
              ALLOWED,
              name,
            );
          }
        });

        it("is denied GetSecretValue on every other secret of the environment", async () => {
          const r = role(w.roleName);
          const others = [...g.secrets.keys()].filter((n) => !ownNames.includes(n));
          assert.ok(others.length > 0, "another secret to try");
          for (const name of others) {
            assert.notEqual(
              await onSecret(r.arn, "secretsmanager:GetSecretValue", name, r.policies),
              ALLOWED,
              name,
            );
          }
        });

        it("is denied PutSecretValue and DeleteSecret on its own secrets, even with a broad identity policy", async () => {
          const r = role(w.roleName);
          for (const name of ownNames) {
            for (const action of ["secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret"]) {
              // The secret policy already denies it explicitly: its readers may only read.
              assert.equal(
                await onSecret(r.arn, action, name, r.policies),
                "ExplicitlyDenied",
                `${action} ${name}`,
              );
              const broad = [...r.policies, allowAll(["secretsmanager:*"])];
              assert.equal(
                await onSecret(r.arn, action, name, broad),
                "ExplicitlyDenied",
                `${action} ${name}`,
              );
            }
          }
        });

        it("may kms:Decrypt only through Secrets Manager and only for its own secrets", async () => {
          const r = role(w.roleName);
          const via = { "kms:ViaService": secretsManagerEndpoint(region) };
          for (const name of ownNames) {
            const ctx = { ...via, "kms:EncryptionContext:SecretARN": secret(name).arn };
            assert.equal(await decrypt(r.arn, r.policies, ctx), ALLOWED, name);
            const direct = { "kms:EncryptionContext:SecretARN": secret(name).arn };
            assert.equal(
              await decrypt(r.arn, r.policies, direct),
              "ImplicitlyDenied",
              `${name} without ViaService`,
            );
            const s3 = { ...direct, "kms:ViaService": `s3.${region}.amazonaws.com` };
            assert.equal(await decrypt(r.arn, r.policies, s3), "ImplicitlyDenied", `${name} via S3`);
          }
          const other = [...g.secrets.values()].find((s) => !ownNames.includes(s.name))!;
          const foreign = { ...via, "kms:EncryptionContext:SecretARN": other.arn };
          assert.equal(
            await decrypt(r.arn, r.policies, foreign),
            "ImplicitlyDenied",
            "another secret's context",
          );
        });

        it("is assumable only by its own service account's token with aud sts.amazonaws.com", async () => {
          const r = role(w.roleName);
          const issuer = w.cluster.oidcIssuerUrl;
          const provider = g.oidcProviders.get(issuer)!;
          const host = issuerHost(issuer);
          const assume = (principal: string, sub: string, aud: string, keyHost = host) =>
            decide({
              principal,
              action: "sts:AssumeRoleWithWebIdentity",
              resource: r.arn,
              accountId: account,
              resourcePolicy: r.trust,
              context: { [`${keyHost}:sub`]: sub, [`${keyHost}:aud`]: aud },
            });
          const { namespace, serviceAccount } = w.workload;
          const own = serviceAccountSubject(namespace, serviceAccount);
          assert.equal(await assume(provider, own, "sts.amazonaws.com"), ALLOWED);
          for (const sub of [
            serviceAccountSubject(namespace, `${serviceAccount}-other`),
            serviceAccountSubject(`${namespace}-other`, serviceAccount),
            serviceAccountSubject(namespace, "default"),
          ]) {
            assert.equal(await assume(provider, sub, "sts.amazonaws.com"), "ImplicitlyDenied", sub);
          }
          assert.equal(
            await assume(provider, own, "https://kubernetes.default.svc"),
            "ImplicitlyDenied",
            "aud",
          );
          const github = g.oidcProviders.get(GITHUB_OIDC_URL);
          if (github) {
            const ghHost = issuerHost(GITHUB_OIDC_URL);
            assert.equal(
              await assume(github, own, "sts.amazonaws.com", ghHost),
              "ImplicitlyDenied",
              "other issuer",
            );
          }
        });
      });
    }

    it("denies a stranger in the same account every secret, whatever its identity policy grants", async () => {
      const stranger = `arn:aws:iam::${account}:role/stranger`;
      for (const s of g.secrets.values()) {
        for (const action of ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]) {
          const d = await onSecret(stranger, action, s.name, [allowAll(["secretsmanager:*"])]);
          assert.equal(d, "ExplicitlyDenied", `${action} ${s.name}`);
        }
      }
      const ctx = { "kms:ViaService": secretsManagerEndpoint(region) };
      assert.equal(await decrypt(stranger, [allowAll(["kms:*"])], ctx), "ImplicitlyDenied", "key");
    });

    it("lets each database's rotation role rotate that database's secrets and only read its admin login", async () => {
      const broad = [allowAll(["secretsmanager:*"])];
      const rotated = plan.secrets.filter((s) => s.rotation);
      assert.ok(rotated.length > 0);
      for (const s of rotated) {
        const { roleArn, database } = s.rotation!;
        const admin = awsNames.databaseAdminSecret(catalog, database);
        const expect: Array<[string, string, Decision]> = [
          ["secretsmanager:PutSecretValue", s.name, ALLOWED],
          ["secretsmanager:UpdateSecretVersionStage", s.name, ALLOWED],
          ["secretsmanager:DeleteSecret", s.name, "ExplicitlyDenied"],
          ["secretsmanager:GetSecretValue", admin, ALLOWED],
          ["secretsmanager:PutSecretValue", admin, "ExplicitlyDenied"],
        ];
        for (const [action, name, decision] of expect) {
          assert.equal(await onSecret(roleArn, action, name, broad), decision, `${action} ${name}`);
        }
        const writeKey = { "kms:ViaService": secretsManagerEndpoint(region) };
        assert.equal(
          await decide({
            principal: roleArn,
            action: "kms:GenerateDataKey",
            resource: g.key.arn,
            accountId: account,
            identityPolicies: [allowAll(["kms:*"])],
            resourcePolicy: g.key.policy,
            context: { "kms:CallerAccount": account, ...writeKey },
          }),
          ALLOWED,
        );
        // Every secret that is not this database's is closed to its rotation role.
        const foreign = [...g.secrets.keys()].filter(
          (n) => n !== admin && !rotated.some((r) => r.name === n && r.rotation!.database === database),
        );
        for (const name of foreign) {
          const d = await onSecret(roleArn, "secretsmanager:GetSecretValue", name, broad);
          assert.equal(d, "ExplicitlyDenied", `${roleArn} on ${name}`);
        }
      }
    });

    describe("GitHub Actions roles", () => {
      const repo = plan.settings.github!.repository;
      const branch = plan.settings.github!.deployBranch;
      const preview = `${plan.namePrefix}_github-preview`;
      const drift = `${plan.namePrefix}_github-drift`;
      const deploy = `${plan.namePrefix}_github-deploy`;
      const ghHost = issuerHost(GITHUB_OIDC_URL);
      const other = environment === "prod" ? "staging" : "prod";
      /** The claims of a job's ID token that AWS STS exposes (GitHub's default `sub` template). */
      const token = (t: { context: string; workflow: string; ref: string; environment?: string }) => ({
        sub: `repo:${repo}:${t.environment ? `environment:${t.environment}` : t.context}`,
        job_workflow_ref: `${repo}/.github/workflows/${t.workflow}@${t.ref}`,
        ref: t.ref,
        repository: repo,
        ...(t.environment ? { environment: t.environment } : {}),
      });
      const onMain = `refs/heads/${branch}`;
      const prRef = "refs/pull/42/merge";
      const pullRequest = token({ context: "pull_request", workflow: "preview.yml", ref: prRef });
      const driftRun = token({ context: `ref:${onMain}`, workflow: "drift.yml", ref: onMain });
      const deployJob = token({ context: "", workflow: "deploy-stack.yml", ref: onMain, environment });
      const assume = (name: string, claims: Record<string, string>, aud = "sts.amazonaws.com") =>
        decide({
          principal: g.oidcProviders.get(GITHUB_OIDC_URL)!,
          action: "sts:AssumeRoleWithWebIdentity",
          resource: role(name).arn,
          accountId: account,
          resourcePolicy: role(name).trust,
          context: Object.fromEntries(
            Object.entries({ ...claims, aud }).map(([k, v]) => [`${ghHost}:${k}`, v]),
          ),
        });
      const asRole = (
        name: string,
        action: string,
        resource: string,
        context?: Readonly<Record<string, string | string[]>>,
      ) =>
        decide({
          principal: role(name).arn,
          action,
          resource,
          accountId: account,
          identityPolicies: role(name).policies,
          // KMS honours identity policies only where the key policy lets it.
          resourcePolicy: resource === g.key.arn ? g.key.policy : undefined,
          context,
        });

      it("each role trusts exactly its kind of job", async () => {
        assert.equal(await assume(preview, pullRequest), ALLOWED);
        assert.equal(await assume(drift, driftRun), ALLOWED);
        assert.equal(await assume(deploy, deployJob), ALLOWED);
        for (const [name, claims] of [
          [preview, driftRun],
          [preview, deployJob],
          [drift, pullRequest],
          [drift, deployJob],
          [deploy, pullRequest],
          [deploy, driftRun],
        ] as const) {
          assert.equal(await assume(name, claims), "ImplicitlyDenied", `${name} ${claims.sub}`);
        }
        for (const name of [preview, drift, deploy]) {
          const claims = { [preview]: pullRequest, [drift]: driftRun, [deploy]: deployJob }[name];
          assert.equal(
            await assume(name, claims, "https://github.com/example-org"),
            "ImplicitlyDenied",
            "aud",
          );
          const fork = {
            ...claims,
            sub: claims.sub.replace(repo, "someone/fork"),
            repository: "someone/fork",
          };
          assert.equal(await assume(name, fork), "ImplicitlyDenied", `${name} from another repository`);
        }
      });

      it("deploy refuses another environment, another workflow, another branch and pull requests", async () => {
        const refused: Array<[string, Record<string, string>]> = [
          [
            "the deploy workflow in another environment",
            {
              ...deployJob,
              ...token({ context: "", workflow: "deploy-stack.yml", ref: onMain, environment: other }),
            },
          ],
          [
            "another workflow naming this environment",
            token({ context: "", workflow: "ci.yml", ref: onMain, environment }),
          ],
          [
            "the deploy workflow dispatched from another branch",
            token({ context: "", workflow: "deploy-stack.yml", ref: "refs/heads/feature", environment }),
          ],
          [
            "a pull request's job naming this environment",
            token({ context: "", workflow: "preview.yml", ref: prRef, environment }),
          ],
          [
            "a pull request's edited deploy workflow",
            token({ context: "", workflow: "deploy-stack.yml", ref: prRef, environment }),
          ],
          ["the right subject without a job_workflow_ref", { sub: deployJob.sub, ref: onMain }],
        ];
        for (const [what, claims] of refused) {
          assert.equal(await assume(deploy, claims), "ImplicitlyDenied", what);
        }
      });

      it("drift refuses other workflows of the deploy branch and the drift workflow of other branches", async () => {
        const refused: Array<[string, Record<string, string>]> = [
          ["ci on the deploy branch", token({ context: `ref:${onMain}`, workflow: "ci.yml", ref: onMain })],
          [
            "drift on a feature branch",
            token({ context: "ref:refs/heads/feature", workflow: "drift.yml", ref: "refs/heads/feature" }),
          ],
          [
            "drift in an environment",
            token({ context: "", workflow: "drift.yml", ref: onMain, environment }),
          ],
        ];
        for (const [what, claims] of refused) {
          assert.equal(await assume(drift, claims), "ImplicitlyDenied", what);
        }
      });

      for (const [name, label] of [
        [preview, "preview"],
        [drift, "drift"],
      ] as const) {
        it(`${label} reads metadata but cannot read values or write anything`, async () => {
          const any = [...g.secrets.values()][0];
          assert.equal(
            await onSecret(role(name).arn, "secretsmanager:DescribeSecret", any.name, role(name).policies),
            ALLOWED,
          );
          assert.equal(
            await onSecret(role(name).arn, "secretsmanager:GetSecretValue", any.name, role(name).policies),
            "ExplicitlyDenied",
            "the secret policy denies values to everyone but its readers",
          );
          const newSecret = `arn:aws:secretsmanager:${region}:${account}:secret:${plan.namePrefix}-new-AbCdEf`;
          const denied: Array<[string, string]> = [
            ["secretsmanager:GetSecretValue", any.arn],
            ["secretsmanager:PutSecretValue", any.arn],
            ["secretsmanager:DeleteSecret", any.arn],
            ["secretsmanager:PutResourcePolicy", any.arn],
            ["secretsmanager:RotateSecret", any.arn],
            ["secretsmanager:CreateSecret", newSecret],
            ["kms:Decrypt", g.key.arn],
            ["kms:PutKeyPolicy", g.key.arn],
            ["iam:PassRole", role(name).arn],
            ["iam:PutRolePolicy", role(name).arn],
            ["iam:UpdateAssumeRolePolicy", role(deploy).arn],
            ["iam:CreateRole", `arn:aws:iam::${account}:role/${plan.namePrefix}-new`],
          ];
          for (const [action, resource] of denied) {
            assert.equal(await asRole(name, action, resource), "ImplicitlyDenied", action);
          }
        });
      }

      it("deploy writes only names of its own environment", async () => {
        const other = environment === "prod" ? "sp-staging" : "sp-prod";
        const secretArn = (p: string) => `arn:aws:secretsmanager:${region}:${account}:secret:${p}-new-AbCdEf`;
        assert.equal(
          await asRole(deploy, "secretsmanager:CreateSecret", secretArn(plan.namePrefix)),
          ALLOWED,
        );
        assert.equal(
          await asRole(deploy, "secretsmanager:CreateSecret", secretArn(other)),
          "ImplicitlyDenied",
        );
        const roleArn = (n: string) => `arn:aws:iam::${account}:role/${n}`;
        assert.equal(await asRole(deploy, "iam:CreateRole", roleArn(`${plan.namePrefix}-new`)), ALLOWED);
        assert.equal(await asRole(deploy, "iam:CreateRole", roleArn(`${other}-new`)), "ImplicitlyDenied");
        assert.equal(await asRole(deploy, "iam:CreateRole", roleArn("admin")), "ImplicitlyDenied");
        assert.equal(
          await asRole(deploy, "iam:PassRole", roleArn(`${plan.namePrefix}-new`)),
          "ImplicitlyDenied",
        );
        assert.equal(
          await asRole(deploy, "kms:Decrypt", g.key.arn),
          "ImplicitlyDenied",
          "decrypt outside Secrets Manager",
        );
      });

      it("deploy manages this environment's rotation functions, and passes them only the rotation roles", async () => {
        const other = environment === "prod" ? "sp-staging" : "sp-prod";
        const fn = (n: string) => `arn:aws:lambda:${region}:${account}:function:${n}`;
        const logs = (n: string) => `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/${n}`;
        const ours = `${plan.namePrefix}-rotation-orders-pg`;
        for (const action of ["lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:AddPermission"]) {
          assert.equal(await asRole(deploy, action, fn(ours)), ALLOWED, action);
          assert.equal(await asRole(deploy, action, fn(`${other}-rotation-orders-pg`)), "ImplicitlyDenied");
          assert.equal(await asRole(preview, action, fn(ours)), "ImplicitlyDenied", `preview ${action}`);
        }
        assert.equal(await asRole(deploy, "logs:CreateLogGroup", logs(ours)), ALLOWED);
        assert.equal(await asRole(deploy, "logs:CreateLogGroup", logs(`${other}-x`)), "ImplicitlyDenied");
        assert.equal(await asRole(preview, "lambda:GetFunction", fn(ours)), ALLOWED);
        const anySecret = [...g.secrets.values()][0].arn;
        assert.equal(await asRole(deploy, "secretsmanager:RotateSecret", anySecret), ALLOWED);
        assert.equal(await asRole(preview, "secretsmanager:RotateSecret", anySecret), "ImplicitlyDenied");

        const rotationRole = plan.rotationRoleArns[plan.rotatedDatabases[0].name];
        const passTo = (service: string, roleArn = rotationRole) =>
          asRole(deploy, "iam:PassRole", roleArn, { "iam:PassedToService": service });
        assert.equal(await passTo("lambda.amazonaws.com"), ALLOWED);
        assert.equal(await passTo("ec2.amazonaws.com"), "ImplicitlyDenied");
        assert.equal(await passTo("lambda.amazonaws.com", role(deploy).arn), "ImplicitlyDenied");
      });

      it("drift and deploy decrypt the stack config only with the key carrying its alias; preview never", async () => {
        const alias = plan.settings.github!.configKeyAlias;
        const configKey = `arn:aws:kms:${region}:${account}:key/0f0e0d0c-0b0a-0908-0706-050403020100`;
        // The config key predates the stack; its key policy is KMS's default, which delegates to IAM.
        const defaultKeyPolicy: PolicyDocument = {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Enable IAM User Permissions",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${account}:root` },
              Action: ["kms:*"],
              Resource: "*",
            },
          ],
        };
        const onConfigKey = (name: string, action: string, aliases: string[]) =>
          decide({
            principal: role(name).arn,
            action,
            resource: configKey,
            accountId: account,
            identityPolicies: role(name).policies,
            resourcePolicy: defaultKeyPolicy,
            context: { "kms:ResourceAliases": aliases },
          });
        if (alias === undefined) {
          // A stack without an awskms:// secrets provider: no CI role may decrypt any key directly.
          for (const name of [preview, drift, deploy]) {
            assert.equal(
              await onConfigKey(name, "kms:Decrypt", ["alias/anything"]),
              "ImplicitlyDenied",
              name,
            );
          }
          return;
        }
        for (const action of ["kms:Decrypt", "kms:ReEncryptFrom", "kms:CreateGrant", "kms:Encrypt"]) {
          assert.equal(await onConfigKey(preview, action, [alias]), "ImplicitlyDenied", `preview ${action}`);
        }
        for (const name of [drift, deploy]) {
          assert.equal(await onConfigKey(name, "kms:Decrypt", [alias]), ALLOWED, name);
          assert.equal(
            await onConfigKey(name, "kms:Decrypt", ["alias/someone-elses-key"]),
            "ImplicitlyDenied",
            name,
          );
          assert.equal(await onConfigKey(name, "kms:Encrypt", [alias]), "ImplicitlyDenied", name);
        }
      });
    });
  });
}
