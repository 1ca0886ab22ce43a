/**
 * The prod server configuration as the chart hands it to Vault (rendered by real Helm from the
 * release values), run by real Vault servers, one per replica: TLS listener with a certificate
 * for the names serverDnsNames gives cert-manager, integrated storage joined through the
 * config's retry_join blocks (checking each peer's TLS server name), and AWS KMS auto-unseal,
 * the KMS being moto's. Then the initialisation runbook (docs/runbooks/vault-init.md) as
 * written: recovery shares PGP-encrypted to the catalog's operators, root token to the first.
 *
 * Localised only where one machine must differ (raft-cluster.ts lists them), and for the seal
 * the KMS endpoint and key id (moto's).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { deployerPolicy, operatorPolicy, renderPolicy } from "../../../../components/vault/policies";
import { RELEASE_NAME, serverDnsNames } from "../../../../components/vault/serverNames";
import { PROFILES } from "../../../../stacks/profiles";
import { shippedCatalog } from "../../../support/offline";
import { requireEngine } from "../../engines";
import { CHART_DIRS, helmTemplate, rendered, requireCharts } from "../../helm/charts";
import { recordVault } from "../../../unit/vault/support";
import { issueServerCertificate, OperatorKeys, vaultCli } from "./operator-tools";
import { type RaftNode, raftNodes, replaceOnce, startNode, status, until as untilOn } from "./raft-cluster";
import { requireVault, spawnVault } from "./server";

interface InitResult {
  recovery_keys_b64: string[];
  recovery_keys_shares: number;
  recovery_keys_threshold: number;
  root_token: string;
}

describe("the prod Vault server config and the initialisation runbook on real Vault servers", function () {
  this.timeout(240_000);
  const catalog = shippedCatalog("prod");
  const operators = catalog.vault!.operators!;
  const replicas = PROFILES.prod.vault.replicas;
  const serverName = `${RELEASE_NAME}.${catalog.vault!.namespace}.svc`;
  let dir: string;
  let motoEndpoint: string;
  let nodes: RaftNode[];
  let keys: OperatorKeys;
  let init: InitResult;
  let deployToken: string;
  /** Stands in for an operator's OIDC login (which the configuration layer sets up): the operator policy. */
  let operatorToken: string;
  const first = () => nodes[0];

  const until = (what: string, done: () => boolean, node = first()) => untilOn(what, done, node);
  const start = startNode;

  before(async function () {
    requireVault(this);
    requireCharts(this);
    ({ motoEndpoint } = await requireEngine(this, "moto"));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-vault-server-"));
    const release = (await recordVault(catalog)).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
    const objects = helmTemplate(
      CHART_DIRS.vault,
      RELEASE_NAME,
      catalog.vault!.namespace,
      release.inputs.values,
    );
    const renderedConfig = (
      rendered(objects, "ConfigMap", `${RELEASE_NAME}-config`).data as Record<string, string>
    )["extraconfig-from-values.hcl"];
    const kms = new KMSClient({
      region: catalog.aws!.region,
      endpoint: motoEndpoint,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    const key = await kms.send(new CreateKeyCommand({ Description: "vault auto-unseal (test)" }));
    const tls = issueServerCertificate(
      path.join(dir, "tls"),
      serverDnsNames(catalog.vault!.namespace, catalog.vault!.address),
      ["127.0.0.1"],
    );
    nodes = await raftNodes({
      dir,
      renderedConfig,
      replicas,
      tls,
      serverName,
      localiseSeal: (config) =>
        replaceOnce(
          config,
          /kms_key_id = "[^"]+"/,
          `kms_key_id = "${key.KeyMetadata!.KeyId}"\n  endpoint = "${motoEndpoint}"`,
        ),
      // Credentials for moto.
      env: { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
    });
    keys = new OperatorKeys(path.join(dir, "gnupg"));
    for (const operator of operators)
      keys.create(operator.name, path.join(dir, path.basename(operator.pgpKeyFile)));
    await start(first());
  });

  after(async () => {
    for (const node of nodes ?? []) await node.process?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("starts on our config with no unknown field or duplicate attribute, uninitialised, TLS only", async () => {
    const node = first();
    const log = fs.readFileSync(node.logFile, "utf8");
    assert.doesNotMatch(log, /unknown or unsupported field/i);
    assert.doesNotMatch(log, /duplicate/i);
    const s = status(node);
    assert.deepEqual(
      { initialized: s.initialized, type: s.type, storage: s.storage_type },
      { initialized: false, type: "awskms", storage: "raft" },
    );
    // The certificate names the in-cluster Service; any other name is refused.
    const ca = path.join(dir, "tls", "ca.crt");
    assert.throws(
      () => vaultCli(node.env.VAULT_API_ADDR, ca, "evil.example")(["status"]),
      /x509|certificate/,
    );
    // Go answers plain HTTP on a TLS listener with 400.
    const plain = await fetch(`http://127.0.0.1:${node.port}/v1/sys/health`);
    assert.equal(plain.status, 400);
  });

  it("(the check can fail: Vault refuses an attribute set twice, as the chart made of our old config)", async () => {
    const node = first();
    const bad = path.join(dir, "duplicate.hcl");
    fs.writeFileSync(bad, `disable_mlock = true\n${fs.readFileSync(node.configFile, "utf8")}`);
    const badLog = path.join(dir, "duplicate.log");
    const refused = spawnVault(["server", `-config=${bad}`], node.env, badLog);
    await refused.exited;
    await refused.stop();
    assert.match(fs.readFileSync(badLog, "utf8"), /"disable_mlock" .* was already set/);
  });

  it("initialises as the runbook says: a PGP-encrypted recovery share per operator, majority threshold, KMS auto-unseal", async () => {
    const threshold = Math.floor(operators.length / 2) + 1;
    const keyFiles = operators.map((o) => path.join(dir, path.basename(o.pgpKeyFile)));
    init = JSON.parse(
      first().cli([
        "operator",
        "init",
        `-recovery-shares=${operators.length}`,
        `-recovery-threshold=${threshold}`,
        `-recovery-pgp-keys=${keyFiles.join(",")}`,
        `-root-token-pgp-key=${keyFiles[0]}`,
        "-format=json",
      ]),
    ) as InitResult;
    assert.equal(init.recovery_keys_shares, operators.length);
    assert.equal(init.recovery_keys_threshold, threshold);
    const shares = init.recovery_keys_b64.map((share) => keys.decrypt(share));
    assert.equal(new Set(shares).size, operators.length, "each operator's share decrypts, and they differ");
    await until("auto-unseal", () => !status(first()).sealed);
    const s = status(first());
    assert.deepEqual(
      { initialized: s.initialized, sealed: s.sealed, recovery: s.recovery_seal },
      { initialized: true, sealed: false, recovery: true },
    );
  });

  it("root token used once: deployer policy and token created, then root revoked", () => {
    const cli = first().cli;
    const root = keys.decrypt(init.root_token);
    assert.deepEqual(JSON.parse(cli(["token", "lookup", "-format=json"], root)).data.policies, ["root"]);
    const policyFile = path.join(dir, "platform-deployer.hcl");
    fs.writeFileSync(policyFile, renderPolicy(deployerPolicy(catalog)));
    cli(["policy", "write", "platform-deployer", policyFile], root);
    deployToken = cli(
      [
        "token",
        "create",
        "-orphan",
        "-policy=platform-deployer",
        "-ttl=2h",
        "-explicit-max-ttl=2h",
        "-display-name=pulumi-prod-init",
        "-field=token",
      ],
      root,
    );
    const looked = JSON.parse(cli(["token", "lookup", "-format=json"], deployToken)).data;
    assert.deepEqual(looked.policies, ["default", "platform-deployer"]);
    assert.equal(looked.orphan, true);
    // Test-only, not in the runbook: an operator-policy token for the health checks below.
    const operatorFile = path.join(dir, "operator.hcl");
    fs.writeFileSync(operatorFile, renderPolicy(operatorPolicy(catalog)));
    cli(["policy", "write", "operator", operatorFile], root);
    operatorToken = cli(["token", "create", "-orphan", "-policy=operator", "-ttl=1h", "-field=token"], root);
    cli(["token", "revoke", "-self"], root);
    assert.throws(() => cli(["token", "lookup"], root), /permission denied/);
  });

  it(`the other ${replicas - 1} replicas join through retry_join over TLS and unseal themselves`, async () => {
    for (const node of nodes.slice(1)) await start(node);
    for (const node of nodes) {
      await until(
        `${RELEASE_NAME}-${node.index} to join and unseal`,
        () => {
          const s = status(node);
          return s.initialized && !s.sealed && s.leader_address !== "";
        },
        node,
      );
    }
    const leaders = new Set(nodes.map((n) => status(n).leader_address));
    assert.deepEqual([...leaders], [first().env.VAULT_API_ADDR]);
    assert.equal(nodes.filter((n) => status(n).is_self).length, 1);
    // Autopilot promotes a joined node to voter once it is stable; the operator policy can watch.
    const autopilot = () =>
      JSON.parse(first().cli(["operator", "raft", "autopilot", "state", "-format=json"], operatorToken)) as {
        Healthy: boolean;
        FailureTolerance: number;
        Servers: Record<string, { Status: string; Healthy: boolean }>;
      };
    const voters = (state: ReturnType<typeof autopilot>) =>
      Object.values(state.Servers).filter((server) => ["leader", "voter"].includes(server.Status)).length;
    let seen = "";
    await until("every replica to be a healthy voter", () => {
      const state = autopilot();
      seen = JSON.stringify(state).slice(0, 500);
      return state.Healthy && voters(state) === replicas;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; autopilot said ${seen}`);
    });
    // Autopilot's own count of failures the cluster survives is what the PDB allows to be drained.
    assert.equal(autopilot().FailureTolerance, Math.floor((replicas - 1) / 2));
    const peers = JSON.parse(
      first().cli(["operator", "raft", "list-peers", "-format=json"], operatorToken),
    ) as {
      data: { config: { servers: Array<{ node_id: string; voter: boolean }> } };
    };
    assert.deepEqual(
      peers.data.config.servers.map((p) => `${p.node_id}:${p.voter}`).sort(),
      nodes.map((n) => `${RELEASE_NAME}-${n.index}:true`),
    );
  });

  it("keeps serving writes after losing as many replicas as the PodDisruptionBudget allows, leader included", async () => {
    const budget = Math.floor((replicas - 1) / 2);
    // The leader goes first: the worst drain the budget permits.
    for (const node of nodes.slice(0, budget)) await node.process!.stop();
    const survivors = nodes.slice(budget);
    await until(
      "a new leader among the survivors",
      () => survivors.some((n) => status(n).is_self),
      survivors[0],
    );
    const leader = survivors.find((n) => status(n).is_self)!;
    // A policy write needs a raft quorum to commit.
    const policyFile = path.join(dir, "probe.hcl");
    fs.writeFileSync(policyFile, 'path "kv-prod/data/probe" { capabilities = ["read"] }\n');
    leader.cli(["policy", "write", "quorum-probe", policyFile], deployToken);
    assert.match(leader.cli(["policy", "read", "quorum-probe"], deployToken), /kv-prod\/data\/probe/);
  });

  it("a restarted replica unseals itself from KMS and rejoins", async () => {
    const node = first();
    await start(node);
    await until("auto-unseal after restart", () => {
      const s = status(node);
      return !s.sealed && s.leader_address !== "";
    });
    assert.equal(status(node).ha_enabled, true);
  });
});
