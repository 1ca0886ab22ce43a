/**
 * Derives, from the workflow file and from what the program creates, what the identities of a
 * pull request's preview job can reach (issue 23): the job's code is the pull request's, so
 * whatever its identities may read, the pull request can print.
 *
 * - preview.yml (parsed with `yaml`): which AWS role and Vault JWT role the same-repository
 *   preview job takes, that it has no Pulumi Cloud token, no repository secret and no GitHub
 *   environment, and that it previews through scripts/ci/preview-redacted.sh (no stack key).
 * - AWS: that role's inline policy as the AWS component creates it for the shipped catalogs,
 *   evaluated by iam-simulate with the key and secret policies: no kms:Decrypt (or other use)
 *   of the stack-config key, no GetSecretValue on any secret (the database admin logins
 *   included), no write.
 * - Vault: the JWT role of that name on `jwt-github` as the Vault component creates it, and the
 *   HCL of every policy it carries (read by the HCL parser): no read of secret data or database
 *   credentials, no token creation beyond a child of its own, no write anywhere else. A role the
 *   program does not define is refused by Vault at login, which reaches nothing.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseHcl } from "@cdktf/hcl2json";
import * as YAML from "yaml";
import { planAws } from "../../../components/aws/plan";
import type { PolicyDocument } from "../../../components/aws/policies";
import { vaultNames } from "../../../stacks/naming";
import type { Catalog, Environment } from "../../../stacks/schema";
import type { RecordedResource } from "../../../tools/offline/types";
import { type AwsGraph, recordAws } from "../../support/aws-graph";
import { PROJECT_DIR, loadedStackFor, ofType, shippedCatalog } from "../../support/offline";
import { recordVault } from "../../unit/vault/support";
import { decide } from "../aws/simulate";

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}
interface Job {
  readonly if?: string;
  readonly environment?: unknown;
  readonly env?: Record<string, unknown>;
  readonly steps: Step[];
}

const WORKFLOW = ".github/workflows/preview.yml";

/** The job of preview.yml that runs for same-repository pull requests (the one with identities). */
function previewJob(): Job {
  const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, WORKFLOW), "utf8")) as {
    jobs: Record<string, Job>;
  };
  const jobs = Object.values(doc.jobs).filter((j) =>
    /head\.repo\.full_name\s*==\s*github\.repository/.test(j.if ?? ""),
  );
  assert.equal(jobs.length, 1, `${WORKFLOW}: one job for same-repository pull requests`);
  return jobs[0];
}

const action = (step: Step) => step.uses?.replace(/@.*$/, "");
const stepsOf = (job: Job, name: string) => job.steps.filter((s) => action(s) === name);

/** Which of the component's GitHub roles an AWS `role-to-assume` expression names. */
function awsRoleKind(expression: string): "preview" | "drift" | "deploy" {
  const kind =
    /\]\.(preview|drift|deploy)\s*}}\s*$/.exec(expression)?.[1] ??
    /AWS_(PREVIEW|DRIFT|DEPLOY)_ROLE_ARN/.exec(expression)?.[1]?.toLowerCase();
  if (!kind) throw new Error(`${WORKFLOW}: cannot tell which AWS role ${expression} names`);
  return kind as "preview" | "drift" | "deploy";
}

describe(`the identities of ${WORKFLOW}'s pull-request job, derived from the workflow and the program`, () => {
  const job = previewJob();
  const text = JSON.stringify(job);

  it("has no Pulumi Cloud token, no repository secret and no GitHub environment", () => {
    assert.deepEqual(stepsOf(job, "pulumi/auth-actions"), [], "no Pulumi Cloud token exchange");
    assert.doesNotMatch(text, /PULUMI_ACCESS_TOKEN/, "no Pulumi access token");
    assert.doesNotMatch(text, /secrets\./, "no repository or environment secret");
    assert.equal(
      job.environment,
      undefined,
      "no environment (its variables and identities are the deploy's)",
    );
    for (const step of stepsOf(job, "pulumi/actions"))
      assert.deepEqual(
        Object.keys(step.with ?? {}).sort(),
        ["pulumi-version"],
        "pulumi/actions only installs the CLI",
      );
  });

  it("previews through scripts/ci/preview-redacted.sh, which holds no stack key", () => {
    const runs = job.steps.map((s) => s.run ?? "");
    assert.ok(
      runs.some((r) => r.includes("scripts/ci/preview-redacted.sh")),
      "a step runs preview-redacted.sh",
    );
    const direct = runs
      .flatMap((r) => r.split("\n"))
      .filter((line) => /^\s*(\S+=\S*\s+)*pulumi\s/.test(line));
    assert.deepEqual(direct, [], "no step runs pulumi itself");
    const script = fs.readFileSync(path.join(PROJECT_DIR, "scripts/ci/preview-redacted.sh"), "utf8");
    for (const line of [
      'export PULUMI_BACKEND_URL="file://$work/backend"',
      "unset PULUMI_ACCESS_TOKEN",
      'pulumi stack init "$stack" --secrets-provider passphrase',
      "npm run -s preview:stack-file",
    ])
      assert.ok(script.includes(line), `preview-redacted.sh: ${line}`);
  });

  for (const environment of ["prod", "staging"] as Environment[]) {
    describe(`AWS, shipped ${environment} catalog (iam-simulate)`, () => {
      const catalog = shippedCatalog(environment);
      const plan = planAws(
        catalog,
        loadedStackFor(catalog).profile,
        new Set(loadedStackFor(catalog).secrets.keys()),
      );
      const account = plan.settings.accountId;
      const region = plan.settings.region;
      let g: AwsGraph;
      before(async () => {
        g = await recordAws(catalog);
      });

      const assumed = () => {
        const steps = stepsOf(job, "aws-actions/configure-aws-credentials");
        assert.equal(steps.length, 1, "one AWS identity");
        const kind = awsRoleKind(String(steps[0].with?.["role-to-assume"]));
        const role = g.roles.get(`${plan.namePrefix}_github-${kind}`);
        assert.ok(role, `the component creates no ${kind} role`);
        return role;
      };
      const as = (action: string, resource: string, resourcePolicy?: PolicyDocument, context = {}) =>
        decide({
          principal: assumed().arn,
          action,
          resource,
          accountId: account,
          identityPolicies: assumed().policies,
          resourcePolicy,
          context,
        });

      it("cannot use the stack-config key", async () => {
        const alias = plan.settings.github?.configKeyAlias ?? "alias/secrets-platform-config";
        const configKey = `arn:aws:kms:${region}:${account}:key/0f0e0d0c-0b0a-0908-0706-050403020100`;
        // The most permissive key policy a config key has: KMS's default, which defers to IAM.
        const keyPolicy: PolicyDocument = {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Default",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${account}:root` },
              Action: ["kms:*"],
              Resource: "*",
            },
          ],
        };
        for (const action of ["kms:Decrypt", "kms:ReEncryptFrom", "kms:CreateGrant", "kms:GenerateDataKey"])
          assert.notEqual(
            await as(action, configKey, keyPolicy, { "kms:ResourceAliases": [alias] }),
            "Allowed",
            action,
          );
      });

      it("cannot read any secret value, the database admin logins included", async () => {
        assert.ok(g.secrets.size > 0);
        assert.ok(Object.keys(plan.rotationRoleArns).length > 0, "the catalog has admin-login secrets");
        for (const s of g.secrets.values()) {
          assert.notEqual(await as("secretsmanager:GetSecretValue", s.arn, s.policy), "Allowed", s.name);
          assert.notEqual(
            await as("kms:Decrypt", g.key.arn, g.key.policy, {
              "kms:ViaService": `secretsmanager.${region}.amazonaws.com`,
              "kms:CallerAccount": account,
            }),
            "Allowed",
          );
        }
      });

      it("cannot write", async () => {
        const any = [...g.secrets.values()][0];
        const writes: Array<[string, string, PolicyDocument | undefined]> = [
          ["secretsmanager:PutSecretValue", any.arn, any.policy],
          ["secretsmanager:UpdateSecret", any.arn, any.policy],
          ["secretsmanager:DeleteSecret", any.arn, any.policy],
          ["secretsmanager:PutResourcePolicy", any.arn, any.policy],
          ["secretsmanager:RotateSecret", any.arn, any.policy],
          [
            "secretsmanager:CreateSecret",
            `arn:aws:secretsmanager:${region}:${account}:secret:${plan.namePrefix}-x-AbCdEf`,
            undefined,
          ],
          ["kms:PutKeyPolicy", g.key.arn, g.key.policy],
          ["kms:ScheduleKeyDeletion", g.key.arn, g.key.policy],
          ...[...g.roles.values()].flatMap((r): Array<[string, string, undefined]> => [
            ["iam:PutRolePolicy", r.arn, undefined],
            ["iam:UpdateAssumeRolePolicy", r.arn, undefined],
            ["iam:PassRole", r.arn, undefined],
          ]),
          ["iam:CreateRole", `arn:aws:iam::${account}:role/${plan.namePrefix}-x`, undefined],
          [
            "lambda:UpdateFunctionCode",
            `arn:aws:lambda:${region}:${account}:function:${plan.namePrefix}-rotation-x`,
            undefined,
          ],
        ];
        for (const [action, resource, policy] of writes)
          assert.notEqual(await as(action, resource, policy), "Allowed", `${action} ${resource}`);
      });
    });
  }

  describe("Vault, shipped prod catalog (HCL parser)", () => {
    const catalog = shippedCatalog("prod");
    let resources: RecordedResource[];
    before(async () => {
      resources = await recordVault(catalog);
    });

    const login = () => {
      const steps = stepsOf(job, "hashicorp/vault-action");
      assert.equal(steps.length, 1, "one Vault login");
      const w = steps[0].with ?? {};
      assert.equal(w.method, "jwt", "a JWT login with the job's ID token (no stored Vault token)");
      assert.equal(w.token, undefined);
      return { mount: String(w.path), role: String(w.role) };
    };

    /** The rules of every policy the role carries (none when the program has no such role). */
    async function rulesOfRole(): Promise<{ role?: RecordedResource; rules: Rule[] }> {
      const { mount, role } = login();
      const roles = ofType(resources, "vault:jwt/authBackendRole:AuthBackendRole").filter(
        (r) => r.inputs.backend === mount && r.inputs.roleName === role,
      );
      assert.ok(roles.length <= 1);
      if (roles.length === 0) return { rules: [] };
      const rules: Rule[] = [];
      for (const name of roles[0].inputs.tokenPolicies as string[]) {
        const policy = ofType(resources, "vault:index/policy:Policy").find((p) => p.inputs.name === name);
        assert.ok(policy, `role ${role} carries policy ${name}, which the program does not create`);
        rules.push(...(await hclRules(String(policy.inputs.policy))));
      }
      return { role: roles[0], rules };
    }

    it("logs in as a role that reads no secret and writes nothing", async () => {
      const { role, rules } = await rulesOfRole();
      if (!role) {
        // Vault refuses a login to a role that does not exist: the job holds no Vault token.
        assert.ok(
          !ofType(resources, "vault:jwt/authBackendRole:AuthBackendRole").some(
            (r) => r.inputs.roleName === login().role,
          ),
        );
        return;
      }
      const forbidden = forbiddenPaths(catalog);
      for (const [p, caps] of forbidden)
        for (const c of caps) assert.ok(!grants(rules, p, c), `role ${login().role} may ${c} ${p}`);
      const writes = ["create", "update", "patch", "delete"];
      for (const rule of rules) {
        const written = rule.capabilities.filter((c) => writes.includes(c));
        if (!SELF_SERVICE.includes(rule.path))
          assert.deepEqual(written, [], `role ${login().role} may ${written.join(", ")} on ${rule.path}`);
        // sudo adds no operation, it opens root-protected paths to the operations granted.
        if (rule.capabilities.includes("sudo"))
          assert.deepEqual(written, [], `role ${login().role} may sudo with writes on ${rule.path}`);
      }
    });
  });
});

interface Rule {
  readonly path: string;
  readonly capabilities: readonly string[];
}

/** Paths a token may write to for itself only (renew, revoke, a child with a subset of its policies). */
const SELF_SERVICE = ["auth/token/renew-self", "auth/token/revoke-self", "auth/token/create"];

async function hclRules(hcl: string): Promise<Rule[]> {
  const parsed = (await parseHcl("policy.hcl", hcl)) as {
    path?: Record<string, Array<{ capabilities?: string[] }>>;
  };
  return Object.entries(parsed.path ?? {}).flatMap(([p, blocks]) =>
    blocks.map((b) => ({ path: p, capabilities: b.capabilities ?? [] })),
  );
}

/** Whether a Vault ACL path (with `+` segments and a trailing `*`) covers a request path. */
function covers(rulePath: string, requestPath: string): boolean {
  const pattern = rulePath
    .split(/(\+|\*$)/)
    .map((part) => (part === "+" ? "[^/]+" : part === "*" ? ".*" : part.replace(/[.?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}$`).test(requestPath);
}

/**
 * Whether any rule covering the path grants the capability. Vault applies only the most
 * specific match; taking any match over-approximates what the token may do, which is the safe
 * side for a proof that it may not.
 */
function grants(rules: readonly Rule[], requestPath: string, capability: string): boolean {
  return rules.some(
    (r) =>
      covers(r.path, requestPath) && !r.capabilities.includes("deny") && r.capabilities.includes(capability),
  );
}

/** What a preview identity must never reach: secret data, credentials, tokens of other policies. */
function forbiddenPaths(catalog: Catalog): Array<[string, string[]]> {
  const kv = vaultNames.kvMount(catalog);
  const db = vaultNames.databaseMount(catalog);
  return [
    [`${kv}/data/some/secret`, ["read"]],
    [`${kv}/metadata/some/secret`, ["delete", "update"]],
    [`${db}/creds/some-role`, ["read", "update"]],
    [`${db}/static-creds/some-role`, ["read"]],
    [`${db}/rotate-root/some-database`, ["update"]],
    [`${db}/config/some-database`, ["update"]],
    ["auth/token/create-orphan", ["update"]],
    ["auth/token/create/some-role", ["update"]],
    ["auth/token/lookup", ["update", "read"]],
    ["auth/jwt-github/role/deploy", ["update"]],
    ["sys/policies/acl/platform-deployer", ["update"]],
    ["sys/auth/jwt-github", ["update", "delete"]],
    ["sys/mounts/x", ["update"]],
  ];
}
