/**
 * Every command the user docs show is run by a test, or says plainly that none runs it.
 *
 * The user docs are the README, docs/ (the runbooks and library.md included; not
 * contributing.md, which is for people changing the platform) and the policy pack's README and
 * pages. Each command line of their `sh` blocks must be listed below, either with the tests
 * that run it, each with a string that test (or the helper it names) contains where it does so
 * (checked here, so the evidence cannot silently disappear), or with the reason no test here
 * runs it. A command added to a doc without an entry fails this test, and so does an entry
 * whose command left the docs. (runbooks.test.ts checks the runbooks' npm scripts exist; this
 * extends that to every user doc and to every command.)
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const PROJECT_DIR = path.join(__dirname, "..", "..", "..");
const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");

function markdownUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(PROJECT_DIR, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md"))
    .map((f) => path.join(dir, f))
    .sort();
}

/** The user docs. */
export const USER_DOCS = [
  "README.md",
  ...markdownUnder("docs").filter((f) => f !== path.join("docs", "contributing.md")),
  "policy/README.md",
  ...markdownUnder("policy/docs"),
];

/**
 * The command lines of a Markdown text's `sh` blocks: comments dropped, lines continued with
 * `\` or a trailing `|` joined, whitespace collapsed.
 */
export function shellCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const [, body] of markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    let pending = "";
    for (const raw of body.split("\n")) {
      const line = pending + (/^\s*#/.test(raw) ? "" : raw.replace(/(^|\s)#(\s.*)?$/, ""));
      if (/\\\s*$/.test(line)) {
        pending = line.replace(/\\\s*$/, " ");
        continue;
      }
      if (/\|\s*$/.test(line)) {
        pending = `${line.trimEnd()} `;
        continue;
      }
      pending = "";
      const command = line.split(/\s+/).filter(Boolean).join(" ");
      if (command) commands.push(command);
    }
  }
  return commands;
}

/** A test that runs a command, and what in it shows so. */
interface RunBy {
  /** The test file (or `.ci/run`, which CI runs). */
  readonly test: string;
  /** A string of `test` (or of `via`) where it runs the command. */
  readonly evidence: string;
  /** A helper of the test that holds the evidence (the test must name it). */
  readonly via?: string;
}

interface Entry {
  readonly runBy?: readonly RunBy[];
  /** How the test's run differs from the doc's command, when it does. */
  readonly note?: string;
  /** Why no test here runs it. */
  readonly notRun?: string;
}

const LIVE = "test/integration/vault/live/live-vault.test.ts";
const STATE = "test/engine/state-backend.test.ts";
const ROOT = "test/engine/root-rotation.test.ts";
const LOCAL = "test/engine/local-stack.suite.ts";
const KUBE_AUTH = "test/engine/kube-auth.test.ts";
const LIBRARY = "test/engine/library-consumers.test.ts";
const INIT = "test/integration/vault/live/server-config.test.ts";
const CLUSTER = "test/integration/vault/live/transit-cluster.test.ts";
const OPERATOR = "test/unit/tools/operator-commands.test.ts";
const FAULTS = "test/engine/vault-faults.suite.ts";
const VAULT_PODS = "test/engine/vault-pods.suite.ts";
/** The runbook's unsealing Vault, prepared once for the suites of processes and of pods. */
const UNSEALER = "test/integration/vault/live/unsealing-vault.ts";
const NO_CLUSTER =
  "no test runs this kubectl step: Vault runs as pods in test/engine/vault-pods.suite.ts (by pulumi up), which checks them through Vault's and Kubernetes' APIs";

const NO_GCP_AZURE =
  "no GCP project, Azure subscription, gcloud or az here: the GCS and Blob Storage destinations are checked under the mock runtime only (test/unit/vault/snapshots.test.ts)";

const prodConfig = (key: string): Entry => ({
  runBy: [{ test: STATE, evidence: '"config", "set", "--secret", key, "--stack", "prod"' }],
  note: `each of Pulumi.prod.yaml's secure keys (${key} among them), the value on stdin, read back with config get`,
});
const prodUp: Entry = {
  runBy: [{ test: LIVE, evidence: '"--policy-pack-config"' }],
  note: "every shipped stack, prod included, with its policy config; the Vault part (the aws, gcp and azure providers cannot run here)",
};

export const COMMANDS: Readonly<Record<string, Entry>> = {
  // docs/runbooks/interrupted-up.md
  "pulumi stack export --stack STACK > /dev/null": {
    runBy: [{ test: FAULTS, evidence: '["stack", "export", "--stack", STACK]' }],
    note: "the test reads the exit code and the message instead of discarding the output",
  },
  "find BACKEND/.pulumi -name '*.attrs' -empty -print -delete": {
    runBy: [{ test: FAULTS, evidence: '"-name", "*.attrs", "-empty", "-print", "-delete"' }],
    note: "on an emptied checkpoint sidecar in every run, and after the kill when it left one",
  },
  "pulumi cancel --yes --stack STACK": {
    runBy: [{ test: FAULTS, evidence: '["cancel", "--yes", "--stack", STACK]' }],
  },
  "pulumi refresh --yes --clear-pending-creates --stack STACK": {
    runBy: [{ test: FAULTS, evidence: '["refresh", "--yes", "--clear-pending-creates", "--stack", STACK]' }],
  },
  "pulumi up --stack STACK --policy-pack ./policy --policy-pack-config Pulumi.STACK.policy-config.json": {
    runBy: [{ test: FAULTS, evidence: '["up", "--yes", "--stack", STACK, ...POLICY]' }],
    note: "with --yes; POLICY is the local stack's --policy-pack and --policy-pack-config",
  },
  // README.md
  "npm ci --ignore-scripts && npm run preview:offline -- --stack prod": {
    runBy: [
      { test: ".ci/run", evidence: "npm ci --ignore-scripts" },
      { test: "test/preview/offline-preview.test.ts", evidence: 'previewCli("--stack", stack, "--json")' },
    ],
    note: "previewCli runs tools/preview-offline.ts with ts-node, as the npm script does",
  },
  "npm test": { runBy: [{ test: ".ci/run", evidence: "\nnpm test\n" }] },
  "pulumi stack select prod": {
    runBy: [{ test: STATE, evidence: '"stack", "select"' }],
    note: "another stack's name",
  },
  "pulumi config set --secret vaultOidcClientSecret": prodConfig("vaultOidcClientSecret"),
  "pulumi config set --secret ordersDbAdminPassword": {
    runBy: [
      { test: STATE, evidence: '"config", "set", "--secret", key, "--stack", "prod"' },
      { test: ROOT, evidence: '"config", "set", "--secret", seedKey(database)' },
    ],
  },
  "pulumi config set --secret ordersDbVaultAdminPassword": prodConfig("ordersDbVaultAdminPassword"),
  "pulumi config set --secret ledgerDbAdminPassword": {
    runBy: [
      { test: STATE, evidence: '"config", "set", "--secret", key, "--stack", "prod"' },
      { test: LOCAL, evidence: '"config", "set", "--secret"' },
    ],
  },
  "pulumi config set --secret ledgerDbVaultAdminPassword": prodConfig("ledgerDbVaultAdminPassword"),
  'pulumi stack init prod --secrets-provider "awskms://alias/<your-alias>?region=<region>"': {
    runBy: [{ test: STATE, evidence: '"stack", "init", "prod", "--secrets-provider", provider' }],
    note: "moto's KMS",
  },
  "pulumi preview --stack prod --policy-pack ./policy --policy-pack-config Pulumi.prod.policy-config.json": {
    runBy: [
      {
        test: LIVE,
        evidence: '["preview", "--refresh", "--expect-no-changes", "--stack", env, ...policyPack]',
      },
    ],
    note: prodUp.note,
  },
  "pulumi up --stack prod --policy-pack ./policy --policy-pack-config Pulumi.prod.policy-config.json": prodUp,
  "pulumi policy analyze --policy-pack ./policy --policy-pack-config Pulumi.prod.policy-config.json --file <(pulumi stack export --stack prod)":
    {
      runBy: [{ test: "test/engine/policy-analyze.test.ts", evidence: '"analyze"' }],
      note: "over the state preview:offline --export writes for dev, staging and prod (their cloud providers cannot run here to make a real export)",
    },
  // docs/ci-identities.md
  "export VAULT_ADDR=https://vault.prod.example.internal:8200 VAULT_CACERT=certs/vault-ca-prod.pem": {
    runBy: [
      { test: LIVE, via: "test/integration/vault/live/operator-tools.ts", evidence: "VAULT_CACERT: caFile" },
    ],
    note: "the vault CLI of the live suite runs with the test Vault's address and CA in these variables",
  },
  'VAULT_TOKEN=$(printf \'header = "Authorization: bearer %s"\\n\' "$ACTIONS_ID_TOKEN_REQUEST_TOKEN" | curl -sSf --config - "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=https://github.com/<owner>" | jq -r .value | vault write -field=token auth/jwt-github/login role=deploy jwt=-)':
    {
      runBy: [
        {
          test: LIVE,
          evidence: '["write", "-field=token", "auth/jwt-github/login", "role=deploy", "jwt=-"]',
        },
      ],
      note: "the Vault login, with the ID token on stdin; the ID token comes from a stand-in issuer, not from GitHub's endpoint (curl), which only a GitHub job reaches",
    },
  "export VAULT_TOKEN": { runBy: [{ test: LIVE, evidence: "env: { VAULT_TOKEN: token }" }] },
  // docs/library.md
  "cd library && npm pack": {
    runBy: [
      {
        test: LIBRARY,
        via: "test/engine/library.ts",
        evidence: 'npm(["pack", "--pack-destination", dir], LIBRARY_DIR)',
      },
    ],
  },
  "cd your-program && npm install ../secrets-platform/library/secrets-platform-0.2.0.tgz": {
    runBy: [{ test: LIBRARY, via: "test/engine/library.ts", evidence: 'npm(["install"' }],
    note: "offline, from the tarball npm pack wrote",
  },
  "pulumi config set namespace orders": {
    runBy: [{ test: LIBRARY, evidence: '"config", "set", "namespace", platform.namespace' }],
  },
  "pulumi config set serviceAccount orders-api": {
    runBy: [{ test: LIBRARY, evidence: '"config", "set", "serviceAccount", platform.serviceAccount' }],
  },
  "pulumi config set dbMount database": {
    runBy: [{ test: LIBRARY, evidence: '"config", "set", "dbMount", DB_MOUNT' }],
  },
  "pulumi config set dbConnection orders-db": {
    runBy: [{ test: LIBRARY, evidence: '"config", "set", "dbConnection", DB_CONNECTION' }],
  },
  "pulumi preview --policy-pack <the platform's policy pack>": {
    runBy: [{ test: LIBRARY, evidence: '["preview", ...withPack(), "--json"]' }],
  },
  "pulumi up": {
    runBy: [
      { test: LIBRARY, evidence: '["up", "--yes", ...withPack()]' },
      { test: ROOT, evidence: '"up"' },
    ],
  },
  "mkdir secrets-platform && tar -xzf secrets-platform-0.2.0.tgz --strip-components=1 -C secrets-platform": {
    runBy: [
      {
        test: LIBRARY,
        via: "test/engine/library.ts",
        evidence: 'run("tar", ["-xzf", tarball, "-C", unpacked])',
      },
    ],
    note: "unpacked without --strip-components; the test then uses the package/ directory",
  },
  // docs/local-stack.md
  "npm run local:up": {
    runBy: [{ test: "test/engine/local-up.suite.ts", evidence: 'spawn("npm", ["run", "--silent", script]' }],
  },
  "npm run local:down": { runBy: [{ test: "test/engine/local-up.suite.ts", evidence: "local:down" }] },
  "cp <the API server's CA certificate> certs/local-kube-ca.pem": {
    runBy: [{ test: KUBE_AUTH, evidence: 'CA_FILE = "certs/local-kube-ca.pem"' }],
  },
  "export KUBECONFIG=<the cluster's kubeconfig>": {
    runBy: [
      {
        test: LOCAL,
        via: "test/engine/local-platform.ts",
        evidence: "env: { KUBECONFIG: kube.settings.kubeconfig }",
      },
    ],
  },
  "pulumi login file://~/.pulumi-local": {
    runBy: [{ test: LOCAL, via: "test/engine/cli.ts", evidence: "PULUMI_BACKEND_URL: this.backendUrl" }],
    note: "the file backend through PULUMI_BACKEND_URL, which is what pulumi login records",
  },
  "pulumi stack init local": {
    runBy: [
      { test: LOCAL, via: "tools/local/platform.ts", evidence: '["stack", "init", stack, ...initArgs]' },
    ],
    note: "the engine suites prepare the stack with npm run local:up's code",
  },
  "pulumi config set --secret vaultToken": {
    runBy: [{ test: LOCAL, via: "tools/local/platform.ts", evidence: "vaultToken" }],
  },
  "kubectl -n <its namespace> create token <the reviewer account> --duration 8760h | pulumi config set --secret localReviewerJwt":
    {
      runBy: [{ test: KUBE_AUTH, evidence: 'REVIEWER_KEY = "localReviewerJwt"' }],
      note: "the token from the API server's TokenRequest API, which kubectl create token calls",
    },
  "pulumi up --stack local --policy-pack ./policy --policy-pack-config Pulumi.local.policy-config.json": {
    runBy: [{ test: KUBE_AUTH, evidence: '"--policy-pack-config", "Pulumi.local.policy-config.json"' }],
  },
  // docs/vault-cluster.md, docs/runbooks/vault-init.md
  "npm run -s sql:bootstrap -- --stack prod --database orders-pg > bootstrap-orders-pg.sql": {
    runBy: [{ test: OPERATOR, evidence: "npm run sql:bootstrap" }],
  },
  "npm run -s vault:deployer-policy -- --stack prod > platform-deployer.hcl": {
    runBy: [{ test: OPERATOR, evidence: "npm run vault:deployer-policy" }],
  },
  "npm run -s sql:bootstrap -- --stack STACK --database DATABASE > bootstrap-DATABASE.sql": {
    runBy: [{ test: OPERATOR, evidence: "npm run sql:bootstrap" }],
  },
  "npm run -s vault:deployer-policy -- --stack STACK > /tmp/platform-deployer.hcl": {
    runBy: [{ test: OPERATOR, evidence: "npm run vault:deployer-policy" }],
  },
  // docs/runbooks/database-root.md
  "vault write -f database-prod/rotate-root/orders-pg": {
    runBy: [{ test: ROOT, evidence: "rotate-root" }],
    note: "through the program's rotate-root endpoint resource, which writes the same path",
  },
  "pulumi config rm ordersDbAdminPassword": {
    runBy: [{ test: ROOT, evidence: '"config", "rm", seedKey(database)' }],
  },
  "pulumi preview --expect-no-changes": { runBy: [{ test: ROOT, evidence: "--expect-no-changes" }] },
  // docs/runbooks/vault-break-glass.md
  "export VAULT_ADDR=https://vault.<env>.example.internal:8200": {
    runBy: [
      { test: LIVE, via: "test/integration/vault/live/operator-tools.ts", evidence: "VAULT_ADDR: address" },
    ],
  },
  "vault login -method=oidc role=break-glass": {
    notRun:
      "an OIDC login needs a browser and the identity provider; the live suite checks the OIDC role's redirect URIs, not a login",
  },
  "vault token lookup": { runBy: [{ test: INIT, evidence: '["token", "lookup", "-format=json"]' }] },
  "vault lease revoke -prefix database-<env>/creds/<role>": {
    notRun: "the live suite revokes single leases of each database role (sys/leases/revoke), not a prefix",
  },
  "vault write -f database-<env>/rotate-role/<static role>": {
    runBy: [{ test: LIVE, evidence: "rotate-role" }],
  },
  "vault audit list -detailed": {
    notRun: "the live suite reads the audit devices through the API (sys/audit), not with this CLI command",
  },
  "vault auth tune -default-lease-ttl=... kubernetes-<cluster>": {
    notRun: "an incident step; no test tunes a mount",
  },
  "vault token revoke -self": {
    runBy: [{ test: INIT, evidence: 'cli(["token", "revoke", "-self"], root)' }],
  },
  "vault operator generate-root -init -pgp-key=keys/<incident lead>.asc": {
    notRun: "no test regenerates a root token (the recovery shares of vault:init are checked, not their use)",
  },
  "vault operator generate-root -nonce=<nonce>": { notRun: "as above" },
  "echo <encoded token> | base64 -d | gpg --decrypt": { notRun: "as above" },
  // docs/runbooks/vault-init.md
  "pulumi up --stack STACK": { runBy: [{ test: LIVE, evidence: "pulumi up with the policy pack" }] },
  "kubectl -n NS logs vault-0 | grep -i seal": { notRun: NO_CLUSTER },
  'psql "host=<host> port=<port> dbname=<database> user=<master user>" -v ON_ERROR_STOP=1 -f bootstrap-DATABASE.sql':
    {
      notRun:
        "the tests run the bootstrap SQL through the pg client, not psql (test/integration/vault/live prepares each database that way)",
    },
  "mysql -h <host> -P <port> -u <master user> -p <database> < bootstrap-DATABASE.sql": {
    notRun: "the tests run the bootstrap SQL through the mysql2 client, not the mysql CLI",
  },
  "kubectl -n NS port-forward svc/vault 8200:8200 &": { notRun: NO_CLUSTER },
  "kubectl -n NS get secret <tls secret> -o jsonpath='{.data.ca\\.crt}' | base64 -d > /tmp/vault-ca.pem": {
    notRun: NO_CLUSTER,
  },
  "npm run -s vault:init -- --stack STACK --address https://127.0.0.1:8200 --ca-file /tmp/vault-ca.pem > init.json":
    {
      runBy: [{ test: CLUSTER, evidence: "initialised by npm run vault:init" }],
    },
  "vault status": {
    runBy: [{ test: CLUSTER, evidence: 'status(n).recovery_seal && status(n).type === "transit"' }],
    note: "the same fields (initialised, sealed, recovery seal type) through the API",
  },
  "export VAULT_TOKEN=$(jq -r .root_token init.json | base64 -d | gpg --decrypt)": {
    runBy: [{ test: INIT, evidence: "keys.decrypt(init.root_token)" }],
    note: "the root token of the initialisation's output, decrypted with gpg and the operator's key (operator-tools.ts)",
  },
  "vault policy write platform-deployer /tmp/platform-deployer.hcl": {
    runBy: [{ test: INIT, evidence: '["policy", "write", "platform-deployer", policyFile]' }],
  },
  "DEPLOY_TOKEN=$(vault token create -orphan -policy=platform-deployer -ttl=2h -explicit-max-ttl=2h -display-name=pulumi-STACK-init -field=token)":
    { runBy: [{ test: INIT, evidence: '"-orphan"' }] },
  "unset VAULT_TOKEN": { notRun: "a shell step" },
  "shred -u init.json": { notRun: "a shell step" },
  "kubectl -n vault get secret vault-server-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d | diff - certs/vault-ca-STACK.pem":
    { notRun: NO_CLUSTER },
  'VAULT_TOKEN="$DEPLOY_TOKEN" pulumi up --stack STACK': {
    runBy: [{ test: LIVE, evidence: "the deployer token (ambient VAULT_TOKEN)" }],
  },
  'VAULT_TOKEN="$DEPLOY_TOKEN" vault token revoke -self': {
    notRun:
      "the live suite revokes the root token after creating the deployer's (server-config), not the deployer token",
  },
  "unset DEPLOY_TOKEN": { notRun: "a shell step" },
  "vault login -method=oidc role=operator": {
    notRun: "an OIDC login needs a browser and the identity provider",
  },
  "vault policy read workload-<workload>": {
    runBy: [
      {
        test: LIVE,
        evidence:
          "Vault then holds exactly the declared mounts, auth methods, audit devices, roles and policies",
      },
    ],
    note: "the policies read back through the API",
  },
  "kubectl -n NS exec vault-0 -- ls -l /vault/audit/vault-audit.log": { notRun: NO_CLUSTER },
  // docs/runbooks/vault-snapshots.md
  "kubectl -n NS create secret generic vault-snapshot-s3 --from-env-file=/tmp/snapshot-store.env": {
    runBy: [{ test: VAULT_PODS, evidence: "settings.snapshots!.s3Compatible!.credentialsSecretName" }],
    note: "through the API: a Secret with the two keys",
  },
  "shred -u /tmp/snapshot-store.env": { notRun: "a shell step" },
  "kubectl -n NS create job --from=cronjob/vault-snapshot vault-snapshot-now": {
    runBy: [{ test: VAULT_PODS, evidence: '"cronjob.kubernetes.io/instantiate": "manual"' }],
    note: "through the API: a Job of the CronJob's template, as kubectl makes it",
  },
  "kubectl -n NS get jobs -l app.kubernetes.io/name=vault-snapshot": {
    runBy: [{ test: VAULT_PODS, evidence: "jobs?labelSelector=app.kubernetes.io%2Fname%3D" }],
    note: "through the API, the same label selector",
  },
  "kubectl -n NS logs job/<job> -c save": { notRun: NO_CLUSTER },
  "aws s3 ls s3://<bucket>/<prefix>/ | tail -3": {
    notRun: "no AWS CLI here; the test lists the snapshots in moto's S3 through the SDK (ListObjects)",
  },
  "gcloud storage ls gs://<bucket>/<prefix>/ | tail -3": { notRun: NO_GCP_AZURE },
  "az storage blob list --auth-mode login --account-name <account> -c <container> --prefix <prefix>/ --query '[].name' -o tsv | tail -3":
    { notRun: NO_GCP_AZURE },
  "gcloud storage cp gs://<bucket>/<prefix>/<snapshot>.snap /tmp/restore.snap": { notRun: NO_GCP_AZURE },
  "az storage blob download --auth-mode login --account-name <account> -c <container> --name <prefix>/<snapshot>.snap --file /tmp/restore.snap":
    { notRun: NO_GCP_AZURE },
  "aws s3 cp s3://<bucket>/<prefix>/<snapshot>.snap /tmp/restore.snap": {
    runBy: [
      { test: CLUSTER, evidence: '["s3", "cp", `s3://${s3.bucket}/${s3.prefix}/${file}`, restoreFile' },
    ],
    note: "from moto's S3 (--endpoint-url added)",
  },
  "aws s3 cp s3://<bucket>/<prefix>/<snapshot>.snap /tmp/restore.snap --endpoint-url https://<store>": {
    runBy: [{ test: VAULT_PODS, evidence: '"--endpoint-url",' }],
    note: "from the suite's store, AWS_CA_BUNDLE its CA",
  },
  "vault print token | npm run -s vault:snapshot-restore -- --stack STACK --snapshot /tmp/restore.snap --address https://127.0.0.1:8200":
    { runBy: [{ test: OPERATOR, evidence: "npm run vault:snapshot-restore" }], note: "its input checks" },
  "jq -r .root_token init.json | base64 -d | gpg --decrypt | npm run -s vault:snapshot-restore -- --stack STACK --snapshot /tmp/restore.snap --address https://127.0.0.1:8200 --force":
    {
      runBy: [
        { test: CLUSTER, evidence: "snapshot-restore" },
        { test: VAULT_PODS, evidence: '"vault:snapshot-restore"' },
      ],
      note: "the forced restore into a fresh cluster (processes; pods after losing every volume), the token on stdin",
    },
  // docs/runbooks/vault-transit-unseal.md
  "vault secrets enable -path=transit transit": {
    runBy: [
      { test: CLUSTER, via: UNSEALER, evidence: 'write(`sys/mounts/${transit.mount}`, { type: "transit" })' },
      {
        test: VAULT_PODS,
        via: UNSEALER,
        evidence: 'write(`sys/mounts/${transit.mount}`, { type: "transit" })',
      },
    ],
    note: "through the API",
  },
  "vault write -f transit/keys/sp-prod-unseal": {
    runBy: [
      { test: CLUSTER, via: UNSEALER, evidence: "write(`${transit.mount}/keys/${transit.keyName}`)" },
      { test: VAULT_PODS, via: UNSEALER, evidence: "write(`${transit.mount}/keys/${transit.keyName}`)" },
    ],
    note: "through the API",
  },
  "npm run -s vault:transit-unseal-policy -- --stack STACK > /tmp/unseal.hcl": {
    runBy: [{ test: OPERATOR, evidence: "npm run vault:transit-unseal-policy" }],
  },
  "vault policy write sp-prod-vault-unseal /tmp/unseal.hcl": {
    runBy: [
      { test: CLUSTER, via: UNSEALER, evidence: "transitUnsealPolicy" },
      { test: VAULT_PODS, via: UNSEALER, evidence: "transitUnsealPolicy" },
    ],
    note: "through the API",
  },
  "(umask 077; vault token create -orphan -no-default-policy -policy=sp-prod-vault-unseal -period=72h -display-name=vault-unseal-STACK -field=token > /tmp/unseal-token)":
    {
      runBy: [
        { test: CLUSTER, via: UNSEALER, evidence: '"auth/token/create-orphan"' },
        { test: VAULT_PODS, via: UNSEALER, evidence: '"auth/token/create-orphan"' },
      ],
      note: "through the API; the suites write the token to a 0600 file",
    },
  "kubectl -n NS create secret generic vault-transit-seal --from-file=token=/tmp/unseal-token": {
    runBy: [{ test: VAULT_PODS, evidence: "createSecret(settings.transitUnseal!.tokenSecretName" }],
    note: "through the API: a Secret with the file's bytes under the key token",
  },
  "shred -u /tmp/unseal-token": {
    notRun: "the suites remove their temporary directory, token file included, in their after hook",
  },
  // policy/README.md
  "pulumi preview --stack prod --policy-pack ./policy": {
    runBy: [
      {
        test: LIVE,
        evidence: '["preview", "--refresh", "--expect-no-changes", "--stack", env, ...policyPack]',
      },
    ],
    note: "with the stack's policy config",
  },
  "pulumi policy analyze --policy-pack ./policy --file prod-export.json": {
    runBy: [{ test: "test/engine/policy-analyze.test.ts", evidence: '"--file"' }],
  },
  "npm run build:policy": {
    runBy: [{ test: "test/policy/build.test.ts", evidence: "buildPolicyPack()" }],
    note: "in process: the function the npm script calls",
  },
  "npm run build:policy -- --check": {
    runBy: [{ test: "test/policy/build.test.ts", evidence: "staleness" }],
    note: "in process: the check the npm script runs",
  },
  "cp -r policy /somewhere/secrets-platform-policy && cd /somewhere/secrets-platform-policy": {
    runBy: [{ test: "test/policy/standalone.test.ts", evidence: "fs.cpSync(POLICY_DIR, dir" }],
  },
  "npm ci --ignore-scripts": {
    runBy: [{ test: "test/policy/standalone.test.ts", evidence: '["ci", "--ignore-scripts"' }],
    note: "with POLICY_PACK_NPM_CI=1 (it needs the registry); otherwise the copy links the declared dependencies",
  },
  "pulumi preview --policy-pack /somewhere/secrets-platform-policy": {
    runBy: [{ test: "test/engine/foreign-program.test.ts", evidence: '"--policy-pack", packDir' }],
    note: "another program's preview with the shipped pack's directory",
  },
};

describe("commands in the user docs", () => {
  const found = new Map<string, string[]>();
  for (const doc of USER_DOCS)
    for (const command of shellCommands(read(doc))) found.set(command, [...(found.get(command) ?? []), doc]);

  it("reads the README, docs/ but contributing.md, and the policy pack's README and pages", () => {
    for (const doc of ["README.md", "docs/local-stack.md", "docs/runbooks/vault-init.md", "policy/README.md"])
      assert.ok(USER_DOCS.includes(doc), doc);
    assert.ok(!USER_DOCS.includes("docs/contributing.md"));
    assert.ok(found.size > 50, `only ${found.size} commands`);
  });

  it("every command has an entry (the tests that run it, or why none does)", () => {
    const missing = [...found].filter(([c]) => !COMMANDS[c]).map(([c, docs]) => `${docs.join(", ")}: ${c}`);
    assert.deepEqual(missing, [], "commands without an entry in test/unit/docs/doc-commands.test.ts");
  });

  it("every entry is a command of the docs", () => {
    assert.deepEqual(
      Object.keys(COMMANDS).filter((c) => !found.has(c)),
      [],
    );
  });

  for (const [command, entry] of Object.entries(COMMANDS)) {
    if (!entry.runBy) continue;
    it(`run by ${entry.runBy.map((r) => r.test).join(", ")}: ${command}`, () => {
      assert.equal(entry.notRun, undefined);
      for (const { test, evidence, via } of entry.runBy!) {
        const text = read(test);
        if (via) assert.ok(text.includes(path.basename(via, ".ts")), `${test} does not use ${via}`);
        assert.ok(read(via ?? test).includes(evidence), `${via ?? test} has no ${JSON.stringify(evidence)}`);
      }
    });
  }

  it("says why no test runs the others", () => {
    const notRun = Object.entries(COMMANDS).filter(([, e]) => !e.runBy);
    for (const [command, entry] of notRun) assert.ok(entry.notRun, `${command}: neither runBy nor notRun`);
    // The commands no test runs, all in the operator runbooks: they need a cluster running Vault
    // as pods, a browser login, the AWS CLI, or are plain shell steps.
    assert.ok(
      notRun.every(([c]) => found.get(c)!.every((doc) => doc.startsWith("docs/runbooks/"))),
      notRun.map(([c]) => `${found.get(c)}: ${c}`).join("\n"),
    );
  });
});
