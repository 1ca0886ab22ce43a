import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { readStackConfig, placeholderSecret } from "../../tools/offline/stack-config";
import { PROJECT_DIR } from "../support/offline";
import { type PreviewCliResult, previewCli, previewCliIn } from "../support/preview-cli";
import { startAll } from "../support/start-all";

function writeStack(mutate: (doc: Record<string, any>) => void): string {
  const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"));
  mutate(doc);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sp-preview-")), "Pulumi.variant.yaml");
  fs.writeFileSync(file, YAML.stringify(doc));
  // The stack's policy config beside it, as for a shipped stack (its Vault exemptions).
  fs.copyFileSync(
    path.join(PROJECT_DIR, "Pulumi.prod.policy-config.json"),
    path.join(path.dirname(file), "Pulumi.variant.policy-config.json"),
  );
  return file;
}

/**
 * A checkout of the project in a temporary directory (its files, node_modules linked), with a
 * stack `<name>` per entry whose catalog is the file `catalogs/<name>.yaml` (catalogFile): prod's
 * stack file and policy config, its catalog edited by the entry (undefined: no catalog file).
 */
function projectWithCatalogFiles(
  stacks: Record<string, ((catalog: Record<string, any>) => void) | undefined>,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-preview-project-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f && fs.existsSync(path.join(PROJECT_DIR, f)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
  fs.mkdirSync(path.join(dir, "catalogs"));
  for (const [name, edit] of Object.entries(stacks)) {
    const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"));
    const catalog = doc.config["secrets-platform:catalog"];
    delete doc.config["secrets-platform:catalog"];
    doc.config["secrets-platform:catalogFile"] = `catalogs/${name}.yaml`;
    fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), YAML.stringify(doc));
    fs.copyFileSync(
      path.join(PROJECT_DIR, "Pulumi.prod.policy-config.json"),
      path.join(dir, `Pulumi.${name}.policy-config.json`),
    );
    if (edit) {
      edit(catalog);
      fs.writeFileSync(path.join(dir, "catalogs", `${name}.yaml`), YAML.stringify(catalog));
    }
  }
  return dir;
}

describe("offline preview (CLI)", function () {
  this.timeout(300_000);
  const STACKS = ["dev", "staging", "prod"];
  /** The runs the tests read, started together (test/support/start-all.ts). */
  let run: (name: string) => Promise<PreviewCliResult>;
  let catalogFileProject: string;

  before(() => {
    // --stack-file takes any stack file; the copied policy config follows the names the catalog
    // now gives, since exemptions name resources exactly.
    const staging = writeStack((doc) => (doc.config["secrets-platform:catalog"].environment = "staging"));
    const stagingConfig = path.join(path.dirname(staging), "Pulumi.variant.policy-config.json");
    fs.writeFileSync(
      stagingConfig,
      fs.readFileSync(stagingConfig, "utf8").replaceAll("sp-prod", "sp-staging"),
    );
    const withoutConfig = writeStack(() => undefined);
    fs.rmSync(path.join(path.dirname(withoutConfig), "Pulumi.variant.policy-config.json"));
    const invalid = writeStack(
      (doc) => (doc.config["secrets-platform:catalog"].workloads[3].secrets[0].source = "vault-kvv"),
    );
    const plainText = writeStack(
      (doc) => (doc.config["secrets-platform:ordersDbAdminPassword"] = "plain-text-password"),
    );
    const tokenKeyUnset = writeStack(
      (doc) => (doc.config["secrets-platform:catalog"].vault.tokenConfigKey = "vaultToken"),
    );
    // A project whose stacks keep their catalog in a file: prod's catalog as it is, one with an
    // invalid workload name, one whose file is missing.
    catalogFileProject = projectWithCatalogFiles({
      files: () => undefined,
      badfile: (c) => (c.workloads[3].name = "Not_A_Name"),
      nofile: undefined,
    });
    run = startAll({
      ...Object.fromEntries(
        STACKS.map((stack) => [`json ${stack}`, () => previewCli("--stack", stack, "--json")]),
      ),
      human: () => previewCli("--stack", "dev"),
      "stack file": () => previewCli("--stack-file", staging, "--json"),
      "without config": () => previewCli("--stack-file", withoutConfig, "--json"),
      invalid: () => previewCli("--stack-file", invalid, "--json"),
      "plain text": () => previewCli("--stack-file", plainText),
      "token key unset": () => previewCli("--stack-file", tokenKeyUnset),
      "no arguments": () => previewCli(),
      "both arguments": () => previewCli("--stack", "dev", "--stack-file", "x"),
      "missing stack": () => previewCli("--stack", "does-not-exist"),
      "catalog file": () => previewCliIn(catalogFileProject, "--stack", "files", "--json"),
      "invalid catalog file": () => previewCliIn(catalogFileProject, "--stack", "badfile"),
      "missing catalog file": () => previewCliIn(catalogFileProject, "--stack", "nofile"),
    });
  });
  after(() => fs.rmSync(catalogFileProject, { recursive: true, force: true }));

  for (const stack of STACKS) {
    it(`previews ${stack} as JSON shaped like pulumi preview --json`, async () => {
      const { code, stdout, stderr } = await run(`json ${stack}`);
      assert.equal(code, 0, stderr);
      const doc = JSON.parse(stdout);
      assert.equal(doc.stack, stack);
      assert.ok(Array.isArray(doc.steps) && doc.steps.length > 0);
      for (const step of doc.steps) {
        assert.equal(step.op, "create");
        assert.match(step.urn, new RegExp(`^urn:pulumi:${stack}::secrets-platform::`));
        assert.equal(typeof step.newState.type, "string");
        assert.equal(typeof step.newState.inputs, "object");
      }
      assert.ok(Array.isArray(doc.policyViolations));
      assert.equal(doc.outputs.environment, stack);
      for (const [key, value] of Object.entries(doc.outputs)) assert.notEqual(value, undefined, key);
      assert.doesNotMatch(stderr, /Undefined value/, "a disabled backend exports nothing");
      assert.equal(doc.changeSummary.create, doc.steps.length);
    });
  }

  it("prints a grouped human report ending in a one-line summary", async () => {
    const { code, stdout } = await run("human");
    assert.equal(code, 0);
    const lines = stdout.trim().split("\n");
    assert.match(
      lines[lines.length - 1],
      /^PASS stack=dev resources=\d+ components=\d+ mandatory=0 advisory=\d+ time=/,
    );
    assert.match(stdout, /secrets-platform:index:SecretsPlatform platform {2}\(\d+\)/);
  });

  it("takes any stack file with --stack-file", async () => {
    const { code, stdout, stderr } = await run("stack file");
    assert.equal(code, 0, stderr);
    assert.equal(JSON.parse(stdout).stack, "variant");
    assert.match(stderr, /policy config: .*Pulumi\.variant\.policy-config\.json/);
  });

  it("applies the stack's Pulumi.<stack>.policy-config.json by default: without it, prod's exemptions are mandatory violations", async () => {
    const { code, stdout, stderr } = await run("without config");
    assert.equal(code, 1);
    assert.doesNotMatch(stderr, /policy config:/);
    const flagged = (
      JSON.parse(stdout).policyViolations as Array<{
        policyName: string;
        enforcementLevel: string;
        message: string;
      }>
    )
      .filter((v) => v.enforcementLevel === "mandatory")
      .map((v) => {
        const named = /^(?:Vault policy|secret|IAM role) "?([^" ]+)|name "([^"]+)"/.exec(v.message);
        return `${v.policyName} ${named?.[1] ?? named?.[2]}`;
      });
    assert.deepEqual([...new Set(flagged)].sort(), [
      "aws-iam-forbid-permission-escalation sp-prod_github-deploy",
      "aws-secretsmanager-require-rotation sp-prod-payments-api-stripe-api-key",
      "aws-secretsmanager-require-rotation sp-prod/database-admin/ledger-mysql",
      "aws-secretsmanager-require-rotation sp-prod/database-admin/orders-pg",
      "pulumi-stack-restrict-secret-readers arn:aws:iam::123456789012:role/sp-prod_github-deploy",
      "vault-policy-forbid-privileged-workload-paths platform-deployer",
      "vault-policy-forbid-privileged-workload-paths platform-preview",
      "vault-policy-forbid-privileged-workload-paths vault-snapshot",
    ]);
  });

  it("exits 2 naming the key path for an invalid catalog, with nothing on stdout", async () => {
    const { code, stdout, stderr } = await run("invalid");
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /workloads\[3\]\.secrets\[0\]\.source: must be one of "vault-kv"/);
    // Progress lines ("preview: N resources registered") appear only when the run is slow.
    const lines = stderr
      .trim()
      .split("\n")
      .filter((l) => !l.startsWith("preview: "));
    assert.equal(lines.length, 1, "one readable line, no stack trace");
  });

  it("exits 2 when a secret the catalog needs is plain text", async () => {
    const { code, stderr } = await run("plain text");
    assert.equal(code, 2);
    assert.match(
      stderr,
      /databases\[0\]\.adminPasswordConfigKey: config key secrets-platform:ordersDbAdminPassword is plain text/,
    );
  });

  it("exits 2 when vault.tokenConfigKey names an unset key: set it from stdin or a file, or drop the key for the ambient token", async () => {
    const { code, stderr } = await run("token key unset");
    assert.equal(code, 2);
    assert.match(
      stderr,
      /vault\.tokenConfigKey: config key secrets-platform:vaultToken is not set; run `pulumi config set --secret vaultToken`, which prompts for the value or reads it from stdin .*, or drop vault\.tokenConfigKey so the Vault provider uses the ambient VAULT_TOKEN/,
    );
    assert.doesNotMatch(stderr, /<value>/);
  });

  it("previews a stack whose catalog is a file (catalogFile) in its project: the same resources and violations as with the catalog in config", async () => {
    const [files, prod] = [await run("catalog file"), await run("json prod")];
    assert.equal(files.code, 0, files.stderr);
    // The stack's name is in every URN (and the root stack's name): the rest must be the same.
    const parse = (stdout: string, stack: string) =>
      JSON.parse(
        stdout
          .replaceAll(`urn:pulumi:${stack}::`, "urn:pulumi:STACK::")
          .replaceAll(
            `pulumi:pulumi:Stack::secrets-platform-${stack}`,
            "pulumi:pulumi:Stack::secrets-platform-STACK",
          ),
      );
    const [doc, prodDoc] = [parse(files.stdout, "files"), parse(prod.stdout, "prod")];
    assert.equal(doc.stack, "files");
    const urns = (d: { steps: Array<{ urn: string }> }) => d.steps.map((s) => s.urn);
    assert.ok(urns(doc).length > 100);
    assert.deepEqual(urns(doc), urns(prodDoc));
    assert.deepEqual(doc.policyViolations, prodDoc.policyViolations);
    assert.equal(doc.outputs.environment, "prod");
  });

  it("exits 2 naming the catalog file and the key path for an invalid catalog file, or the key and path for a missing one", async () => {
    const invalid = await run("invalid catalog file");
    assert.equal(invalid.code, 2);
    assert.equal(invalid.stdout, "");
    const lines = invalid.stderr
      .trim()
      .split("\n")
      .filter((l) => !l.startsWith("preview: "));
    assert.equal(lines.length, 1, invalid.stderr);
    assert.match(
      lines[0],
      /invalid secrets-platform:catalogFile catalogs\/badfile\.yaml of stack badfile: workloads\[3\]\.name: must be 3-32 chars/,
    );
    const missing = await run("missing catalog file");
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /secrets-platform:catalogFile catalogs\/nofile\.yaml of stack nofile: no such file in the project directory /,
    );
  });

  it("exits 2 on bad arguments and missing stacks", async () => {
    assert.equal((await run("no arguments")).code, 2);
    assert.equal((await run("both arguments")).code, 2);
    const missing = await run("missing stack");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Pulumi\.does-not-exist\.yaml: no such file/);
  });
});

describe("stack config as the language host delivers it", () => {
  it("qualifies keys, JSON-encodes structured values and turns secure values into placeholder secrets", () => {
    const sc = readStackConfig(PROJECT_DIR, path.join(PROJECT_DIR, "Pulumi.prod.yaml"));
    assert.equal(sc.project, "secrets-platform");
    assert.equal(sc.stack, "prod");
    assert.equal(JSON.parse(sc.config["secrets-platform:catalog"]).environment, "prod");
    assert.equal(
      sc.config["secrets-platform:vaultOidcClientSecret"],
      placeholderSecret("secrets-platform:vaultOidcClientSecret"),
    );
    assert.deepEqual(
      new Set(sc.secretKeys),
      new Set([
        "secrets-platform:vaultOidcClientSecret",
        "secrets-platform:ordersDbAdminPassword",
        "secrets-platform:ledgerDbAdminPassword",
        "secrets-platform:ordersDbVaultAdminPassword",
        "secrets-platform:ledgerDbVaultAdminPassword",
      ]),
    );
  });
});
