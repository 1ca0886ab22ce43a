/**
 * No documented or scripted command puts a secret in its arguments, where the process list
 * shows it (issue 23): the README, the runbooks, the scripts and workflows, and the commands
 * the program's messages tell people to run.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { markdownShell, secretsOnCommandLine } from "../../support/command-line-secrets";

const PROJECT_DIR = path.join(__dirname, "..", "..", "..");

function filesUnder(dir: string, ext: string): string[] {
  return fs
    .readdirSync(path.join(PROJECT_DIR, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(ext))
    .map((f) => path.join(dir, f));
}

const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");

/** Commands quoted in program source (messages, usage texts): from the command to its closing quote. */
function commandsInSource(source: string): string {
  const starts =
    /(pulumi config set|vault login|vault write|vault kv put|(?:mysql|mariadb|psql) )[^`'"\\\n(,;]*/g;
  return [...source.matchAll(starts)].map(([m]) => m).join("\n");
}

/** Each workflow step's `run` script. */
function workflowRuns(file: string): string {
  const workflow = YAML.parse(read(file)) as { jobs?: Record<string, { steps?: Array<{ run?: string }> }> };
  return Object.values(workflow.jobs ?? {})
    .flatMap((j) => j.steps ?? [])
    .map((s) => s.run ?? "")
    .join("\n");
}

const SOURCES: ReadonlyArray<readonly [string, (file: string) => string]> = [
  ...["README.md", ...filesUnder("docs", ".md"), "policy/README.md", ...filesUnder("policy/docs", ".md")].map(
    (f) => [f, (x: string) => markdownShell(read(x))] as const,
  ),
  ...[...filesUnder("scripts", ".sh"), ".ci/run"].map((f) => [f, read] as const),
  ...filesUnder(".github/workflows", ".yml").map((f) => [f, workflowRuns] as const),
  ...["stacks", "tools", "components"]
    .flatMap((d) => filesUnder(d, ".ts"))
    .map((f) => [f, (x: string) => commandsInSource(read(x))] as const),
];

describe("no secret on a command line", () => {
  it("scans the README, the runbooks, the scripts, the workflows and the program's messages", () => {
    const files = SOURCES.map(([f]) => f);
    for (const f of ["README.md", "docs/runbooks/vault-init.md", ".ci/run", "stacks/loader.ts"])
      assert.ok(files.includes(f), f);
    assert.ok(files.some((f) => f.startsWith(".github/workflows/")));
  });

  for (const [file, shellOf] of SOURCES) {
    it(file, () => {
      assert.deepEqual(
        secretsOnCommandLine(shellOf(file)).map((s) => `${s.line}: ${s.why}`),
        [],
      );
    });
  }

  describe("the scanner catches", () => {
    const caught = [
      "pulumi config set --secret vaultToken s3cr3t",
      'pulumi config set --secret --stack prod vaultToken "$DEPLOY_TOKEN"   # the key',
      "pulumi config set --secret ${key} <value>",
      "vault login hvs.abc",
      'vault login "$VAULT_TOKEN"',
      "mysql -h db -u admin -pS3cret orders",
      "mariadb --password=x -e 'select 1'",
      'psql "postgresql://admin:pw@db:5432/orders"',
      'curl -H "X-Vault-Token: $VAULT_TOKEN" https://vault:8200/v1/sys/health',
      "$SUDO mariadb -e \"ALTER USER x IDENTIFIED BY '${SP_DB_ADMIN_PASSWORD}';\"",
      "some-tool \\\n  --token $GITHUB_TOKEN",
      'VAULT_TOKEN=$(vault write -field=token auth/jwt/login role=deploy jwt="$ID_TOKEN")',
    ];
    for (const line of caught) it(line, () => assert.equal(secretsOnCommandLine(line).length, 1));
  });

  describe("the scanner lets through", () => {
    const allowed = [
      "pulumi config set --secret --stack prod vaultToken   # reads stdin",
      "pulumi config set --secret vaultToken < token-file",
      "vault token create -field=token | pulumi config set --secret vaultToken",
      "pulumi config set vault.address https://vault:8200",
      "vault login -method=oidc role=operator",
      "mysql -h db -u admin -p orders < bootstrap.sql",
      'echo "$VAULT_TOKEN" | vault login -',
      "export VAULT_TOKEN=$(jq -r .root_token init.json | base64 -d | gpg --decrypt)",
      'VAULT_TOKEN="$DEPLOY_TOKEN" vault token lookup',
      'VAULT_TOKEN=$(printf \'header = "Authorization: bearer %s"\\n\' "$ACTIONS_ID_TOKEN_REQUEST_TOKEN" |',
      'curl -sSf --config - "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=x" | jq -r .value',
      "psql -v ON_ERROR_STOP=1 <<SQL\nALTER ROLE x PASSWORD '$SP_DB_ADMIN_PASSWORD';\nSQL",
    ];
    for (const line of allowed) it(line, () => assert.deepEqual(secretsOnCommandLine(line), []));
  });

  it("reads Markdown code blocks and inline code, and skips non-shell blocks", () => {
    const md =
      'Run `vault login\n$TOKEN`.\n\n```sh\npulumi config set --secret k v\n```\n\n```hcl\npath "$TOKEN" {}\n```\n';
    assert.equal(secretsOnCommandLine(markdownShell(md)).length, 2);
  });
});
