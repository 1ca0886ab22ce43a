/**
 * The prod server configuration as the chart hands it to Vault (rendered by real Helm from the
 * release values), run by real Vault servers, one per replica: TLS listener with a certificate
 * for the names serverDnsNames gives cert-manager, integrated storage joined through the
 * config's retry_join blocks (checking each peer's TLS server name), and AWS KMS auto-unseal,
 * the KMS being moto's. Then the initialisation runbook (docs/runbooks/vault-init.md) as
 * written: recovery shares PGP-encrypted to the catalog's operators, root token to the first.
 *
 * Localised only where one machine must differ: listen addresses and data paths, the peers'
 * addresses in retry_join (their TLS server names stay), the certificate files, the KMS endpoint
 * and key id (moto's), and no Kubernetes service registration (no API here).
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
import { freePort, requireVault, spawnVault, type VaultProcess } from "./server";

interface InitResult {
  recovery_keys_b64: string[];
  recovery_keys_shares: number;
  recovery_keys_threshold: number;
  root_token: string;
}
interface Status {
  initialized: boolean;
  sealed: boolean;
  type: string;
  recovery_seal: boolean;
  storage_type: string;
  ha_enabled: boolean;
  is_self: boolean;
  leader_address: string;
  raft_committed_index: number;
}

/** Replaces exactly one occurrence of `pattern`; a config that changed shape fails loudly. */
function replaceOnce(text: string, pattern: RegExp | string, replacement: string): string {
  const count =
    typeof pattern === "string"
      ? text.split(pattern).length - 1
      : (text.match(new RegExp(pattern.source, "g")) ?? []).length;
  assert.equal(count, 1, `expected one ${String(pattern)} in the server config, found ${count}`);
  return text.replace(pattern, replacement);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One replica: its ports, files and process, and the CLI pointed at it. */
interface RaftNode {
  readonly index: number;
  readonly port: number;
  readonly clusterPort: number;
  readonly dir: string;
  readonly configFile: string;
  readonly logFile: string;
  readonly env: Record<string, string>;
  readonly cli: ReturnType<typeof vaultCli>;
  process?: VaultProcess;
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

  const status = (node: RaftNode): Status => {
    try {
      return JSON.parse(node.cli(["status", "-format=json"])) as Status;
    } catch (err) {
      // `vault status` exits 2 while sealed, still printing the status.
      const stdout = (err as { stdout?: string }).stdout;
      if (stdout) return JSON.parse(stdout) as Status;
      throw err;
    }
  };
  async function until(what: string, done: () => boolean, node = first()): Promise<void> {
    let last = "";
    // Generous: autopilot alone waits 10 s before promoting a joined replica to voter.
    for (let attempt = 0; attempt < 400; attempt++) {
      try {
        if (done()) return;
      } catch (err) {
        last = String((err as { stderr?: string }).stderr || err).trim(); // not answering yet
      }
      await pause(200);
    }
    throw new Error(`timed out waiting for ${what} (${last || "condition false"}); see ${node.logFile}`);
  }
  async function start(node: RaftNode): Promise<void> {
    node.process = spawnVault(["server", `-config=${node.configFile}`], node.env, node.logFile);
    await until(`${RELEASE_NAME}-${node.index} to listen`, () => status(node) !== undefined, node);
  }

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
    const ports: Array<[number, number]> = [];
    for (let i = 0; i < replicas; i++) ports.push([await freePort(), await freePort()]);

    nodes = ports.map(([port, clusterPort], index) => {
      const nodeDir = path.join(dir, `${RELEASE_NAME}-${index}`);
      fs.mkdirSync(path.join(nodeDir, "data"), { recursive: true, mode: 0o700 });
      let config = renderedConfig;
      config = replaceOnce(config, 'address = "[::]:8200"', `address = "127.0.0.1:${port}"`);
      config = replaceOnce(
        config,
        'cluster_address = "[::]:8201"',
        `cluster_address = "127.0.0.1:${clusterPort}"`,
      );
      ports.forEach(([peerPort], peer) => {
        config = replaceOnce(
          config,
          `leader_api_addr = "https://${RELEASE_NAME}-${peer}.${RELEASE_NAME}-internal:8200"`,
          `leader_api_addr = "https://127.0.0.1:${peerPort}"`,
        );
      });
      config = config.replaceAll("/vault/userconfig/tls/tls.crt", tls.certFile);
      config = config.replaceAll("/vault/userconfig/tls/tls.key", tls.keyFile);
      config = config.replaceAll("/vault/userconfig/tls/ca.crt", tls.caFile);
      config = replaceOnce(config, 'path = "/vault/data"', `path = "${path.join(nodeDir, "data")}"`);
      config = replaceOnce(
        config,
        /kms_key_id = "[^"]+"/,
        `kms_key_id = "${key.KeyMetadata!.KeyId}"\n  endpoint = "${motoEndpoint}"`,
      );
      config = replaceOnce(config, 'service_registration "kubernetes" {}\n', "");
      const configFile = path.join(nodeDir, "vault.hcl");
      fs.writeFileSync(configFile, config);
      return {
        index,
        port,
        clusterPort,
        dir: nodeDir,
        configFile,
        logFile: path.join(nodeDir, "vault.log"),
        // What the chart's StatefulSet sets per pod (API address from the pod IP, node id from
        // the pod name), and credentials for moto.
        env: {
          HOME: nodeDir,
          VAULT_API_ADDR: `https://127.0.0.1:${port}`,
          VAULT_CLUSTER_ADDR: `https://127.0.0.1:${clusterPort}`,
          VAULT_RAFT_NODE_ID: `${RELEASE_NAME}-${index}`,
          AWS_ACCESS_KEY_ID: "testing",
          AWS_SECRET_ACCESS_KEY: "testing",
        },
        cli: vaultCli(`https://127.0.0.1:${port}`, tls.caFile, serverName),
      };
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
