/**
 * The GitHub workflows keep their promises: the Node that CI runs everywhere, deploys in order
 * through GitHub environments with OIDC only and one deploy per stack at a time, drift checks
 * whose token can only touch issues, and a dependency-update configuration for every
 * ecosystem here. (actionlint checks the syntax in .ci/run.)
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

const PROJECT_DIR = path.join(__dirname, "..", "..", "..");
const WORKFLOWS = path.join(PROJECT_DIR, ".github", "workflows");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  with?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = (file: string): Workflow => YAML.parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
const allSteps = () =>
  fs
    .readdirSync(WORKFLOWS)
    .filter((f) => f.endsWith(".yml"))
    .flatMap((f) =>
      Object.values(workflow(f).jobs).flatMap((j) => (j.steps ?? []).map((s) => ({ file: f, step: s }))),
    );
const nodeVersion = /^NODE_VERSION=(\S+)$/m.exec(
  fs.readFileSync(path.join(PROJECT_DIR, "scripts", "node-env.sh"), "utf8"),
)![1];

describe("GitHub workflows (.github/workflows)", () => {
  it(`set up the Node .ci/run runs (${nodeVersion}) and Go 1.26`, () => {
    const steps = allSteps();
    const node = steps.filter(({ step }) => step.uses?.startsWith("actions/setup-node@"));
    assert.ok(node.length >= 4);
    for (const { file, step } of node) assert.equal(step.with?.["node-version"], nodeVersion, file);
    const go = steps.filter(({ step }) => step.uses?.startsWith("actions/setup-go@"));
    assert.deepEqual(
      go.map(({ step }) => step.with?.["go-version"]),
      ["1.26"],
    );
  });

  it("use no stored credentials: no secrets.* anywhere, Pulumi Cloud through OIDC", () => {
    for (const f of fs.readdirSync(WORKFLOWS)) {
      assert.doesNotMatch(
        fs.readFileSync(path.join(WORKFLOWS, f), "utf8"),
        /secrets\.|PULUMI_ACCESS_TOKEN/,
        f,
      );
    }
    const pulumiRuns = allSteps().filter(
      ({ step }) => step.uses?.startsWith("pulumi/actions@") && step.with?.command,
    );
    for (const { file } of pulumiRuns) {
      const steps = Object.values(workflow(file).jobs).flatMap((j) => j.steps ?? []);
      assert.ok(
        steps.some((s) => s.uses?.startsWith("pulumi/auth-actions@")),
        file,
      );
    }
  });

  describe("pins (issue 23)", () => {
    // ci.yml is still pinned by tag: its pins come with its own change (the hygiene part of issue 23).
    const files = fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml") && f !== "ci.yml");
    const pulumiVersion = /^PULUMI_VERSION=(\S+)$/m.exec(
      fs.readFileSync(path.join(PROJECT_DIR, "scripts", "engine-env.sh"), "utf8"),
    )![1];

    it("pin every action by full commit SHA, with its version in a comment", () => {
      assert.ok(files.length >= 4, files.join(", "));
      for (const f of files) {
        const uses = [
          ...fs.readFileSync(path.join(WORKFLOWS, f), "utf8").matchAll(/^\s*(?:- )?uses:\s*(.*)$/gm),
        ];
        for (const [, ref] of uses.filter(([, r]) => !r.startsWith("./")))
          assert.match(ref, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${f}: ${ref}`);
      }
    });

    it(`install the Pulumi CLI the engine tests build (${pulumiVersion}) and check out without persisted credentials`, () => {
      const steps = allSteps().filter(({ file }) => files.includes(file));
      const pulumi = steps.filter(({ step }) => step.uses?.startsWith("pulumi/actions@"));
      assert.ok(pulumi.length >= 3);
      for (const { file, step } of pulumi) assert.equal(step.with?.["pulumi-version"], pulumiVersion, file);
      const checkouts = steps.filter(({ step }) => step.uses?.startsWith("actions/checkout@"));
      assert.ok(checkouts.length >= 4);
      for (const { file, step } of checkouts) assert.equal(step.with?.["persist-credentials"], false, file);
    });
  });

  describe("deploy", () => {
    const deploy = workflow("deploy.yml");
    const stack = workflow("deploy-stack.yml");

    it("runs after ci succeeded on a push to main, then dev → staging → prod", () => {
      assert.deepEqual(deploy.on.workflow_run, {
        workflows: ["ci"],
        types: ["completed"],
        branches: ["main"],
      });
      assert.match(
        String((deploy.jobs.dev as { if?: string }).if),
        /conclusion == 'success'.*event == 'push'/,
      );
      assert.deepEqual(
        Object.entries(deploy.jobs).map(([name, j]) => [name, j.needs, j.with?.stack, j.uses]),
        [
          ["dev", undefined, "dev", "./.github/workflows/deploy-stack.yml"],
          ["staging", "dev", "staging", "./.github/workflows/deploy-stack.yml"],
          ["prod", "staging", "prod", "./.github/workflows/deploy-stack.yml"],
        ],
      );
    });

    it("deploys each stack in its GitHub environment, one at a time, with the policy pack", () => {
      const up = stack.jobs.up;
      assert.equal(up.environment, "${{ inputs.stack }}");
      assert.deepEqual(up.concurrency, {
        group: "pulumi-up-${{ inputs.stack }}",
        "cancel-in-progress": false,
      });
      assert.deepEqual(up.permissions, { contents: "read", "id-token": "write" });
      const pulumi = up.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
      assert.equal(pulumi.with?.command, "up");
      assert.equal(pulumi.with?.policyPacks, "./policy");
      const aws = up.steps!.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
      assert.deepEqual(Object.keys(aws.with!).sort(), ["aws-region", "role-to-assume"], "OIDC role, no keys");
    });
  });

  describe("drift", () => {
    const drift = workflow("drift.yml");

    it("previews every stack on a schedule expecting no changes", () => {
      assert.ok(drift.on.schedule);
      assert.deepEqual(drift.permissions, {});
      const run = drift.jobs.detect.steps!.find((s) => s.run?.includes("pulumi preview"))!.run!;
      assert.match(run, /--refresh --expect-no-changes/);
      assert.doesNotMatch(JSON.stringify(drift.jobs.detect.permissions), /issues/);
    });

    it("reports with a token that can write issues and nothing else, one issue per stack", () => {
      const report = drift.jobs.report;
      assert.deepEqual(report.permissions, { issues: "write" });
      const run = report.steps!.find((s) => s.run?.includes("gh issue"))!.run!;
      assert.match(run, /title="Drift: stack \$STACK"/);
      assert.match(run, /gh issue comment/);
      assert.match(run, /gh issue create/);
      assert.match(run, /gh issue close/);
    });
  });

  it("dependabot updates npm (root and policy/), GitHub Actions and the Go modules under scripts/", () => {
    const config = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, ".github", "dependabot.yml"), "utf8"));
    const updates = config.updates as Array<{
      "package-ecosystem": string;
      directory?: string;
      directories?: string[];
    }>;
    const dirs = (eco: string) =>
      updates.filter((u) => u["package-ecosystem"] === eco).flatMap((u) => u.directories ?? [u.directory!]);
    assert.deepEqual(dirs("npm"), ["/", "/policy"]);
    assert.deepEqual(dirs("github-actions"), ["/"]);
    assert.deepEqual(dirs("gomod"), ["/scripts/**"]);
    const pinned = updates.find((u) => u["package-ecosystem"] === "npm") as unknown as {
      ignore: Array<{ "dependency-name": string }>;
    };
    for (const sdk of ["@pulumi/pulumi", "@pulumi/vault", "@pulumi/random", "@pulumi/kubernetes"])
      assert.ok(
        pinned.ignore.some((i) => i["dependency-name"] === sdk),
        `${sdk} moves with scripts/engine-env.sh`,
      );
  });
});
