/**
 * The prod server configuration as the chart hands it to Vault (rendered by real Helm from the
 * release values), run by a real Vault: TLS listener with a certificate for the names
 * serverDnsNames gives cert-manager, integrated storage, and AWS KMS auto-unseal, the KMS
 * being moto's. Then the initialisation runbook (docs/runbooks/vault-init.md) as written:
 * recovery shares PGP-encrypted to the catalog's operators, root token to the first one.
 *
 * Localised only where one machine must differ: listen and data paths, the certificate files,
 * the KMS endpoint and key id (moto's), and no Kubernetes service registration (no API here).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { deployerPolicy, renderPolicy } from "../../../../components/vault/policies";
import { RELEASE_NAME, serverDnsNames } from "../../../../components/vault/serverNames";
import { shippedCatalog } from "../../../support/offline";
import { engineSettings, requireEngine } from "../../engines";
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
}

/** Replaces exactly one occurrence of `pattern`; a config that changed shape fails loudly. */
function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`)) ?? [];
  assert.equal(matches.length, 1, `expected one ${pattern} in the server config, found ${matches.length}`);
  return text.replace(pattern, replacement);
}

describe("the prod Vault server config and the initialisation runbook on a real Vault", function () {
  this.timeout(120_000);
  const catalog = shippedCatalog("prod");
  const operators = catalog.vault!.operators;
  const serverName = `${RELEASE_NAME}.${catalog.vault!.namespace}.svc`;
  let dir: string;
  let renderedConfig: string;
  let configFile: string;
  let logFile: string;
  let env: Record<string, string>;
  let server: VaultProcess | undefined;
  let cli: ReturnType<typeof vaultCli>;
  let keys: OperatorKeys;
  let init: InitResult;

  const status = (): Status => {
    try {
      return JSON.parse(cli(["status", "-format=json"])) as Status;
    } catch (err) {
      // `vault status` exits 2 while sealed, still printing the status.
      return JSON.parse(String((err as { stdout?: string }).stdout)) as Status;
    }
  };
  async function start(): Promise<void> {
    server = spawnVault(["server", `-config=${configFile}`], env, logFile);
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        status();
        return;
      } catch {
        if (server.child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`Vault did not start; see ${logFile}`);
  }
  async function until(what: string, done: () => boolean): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (done()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}; see ${logFile}`);
  }

  before(async function () {
    requireVault(this);
    requireCharts(this);
    await requireEngine(this, "moto");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-vault-server-"));
    logFile = path.join(dir, "vault.log");
    const release = (await recordVault(catalog)).find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
    const objects = helmTemplate(
      CHART_DIRS.vault,
      RELEASE_NAME,
      catalog.vault!.namespace,
      release.inputs.values,
    );
    renderedConfig = (
      rendered(objects, "ConfigMap", `${RELEASE_NAME}-config`).data as Record<string, string>
    )["extraconfig-from-values.hcl"];

    const kms = new KMSClient({
      region: catalog.aws!.region,
      endpoint: engineSettings().motoEndpoint,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    const key = await kms.send(new CreateKeyCommand({ Description: "vault auto-unseal (test)" }));
    const tls = issueServerCertificate(
      path.join(dir, "tls"),
      serverDnsNames(catalog.vault!.namespace, catalog.vault!.address),
      ["127.0.0.1"],
    );
    const [port, clusterPort] = [await freePort(), await freePort()];
    let config = renderedConfig;
    config = replaceOnce(config, /address = "\[::\]:8200"/, `address = "127.0.0.1:${port}"`);
    config = replaceOnce(
      config,
      /cluster_address = "\[::\]:8201"/,
      `cluster_address = "127.0.0.1:${clusterPort}"`,
    );
    config = config.replaceAll("/vault/userconfig/tls/tls.crt", tls.certFile);
    config = config.replaceAll("/vault/userconfig/tls/tls.key", tls.keyFile);
    config = config.replaceAll("/vault/userconfig/tls/ca.crt", tls.caFile);
    config = replaceOnce(config, /path = "\/vault\/data"/, `path = "${path.join(dir, "data")}"`);
    config = replaceOnce(
      config,
      /kms_key_id = "[^"]+"/,
      `kms_key_id = "${key.KeyMetadata!.KeyId}"\n  endpoint = "${engineSettings().motoEndpoint}"`,
    );
    config = replaceOnce(config, /service_registration "kubernetes" \{\}\n/, "");
    fs.mkdirSync(path.join(dir, "data"), { mode: 0o700 });
    configFile = path.join(dir, "vault.hcl");
    fs.writeFileSync(configFile, config);

    // What the chart's StatefulSet sets for each pod (VAULT_API_ADDR from the pod IP, node id
    // from the pod name), and credentials for moto.
    env = {
      HOME: dir,
      VAULT_API_ADDR: `https://127.0.0.1:${port}`,
      VAULT_CLUSTER_ADDR: `https://127.0.0.1:${clusterPort}`,
      VAULT_RAFT_NODE_ID: `${RELEASE_NAME}-0`,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
    };
    cli = vaultCli(`https://127.0.0.1:${port}`, tls.caFile, serverName);
    keys = new OperatorKeys(path.join(dir, "gnupg"));
    for (const operator of operators)
      keys.create(operator.name, path.join(dir, path.basename(operator.pgpKeyFile)));
    await start();
  });

  after(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("starts on our config with no unknown field or duplicate attribute, uninitialised, TLS only", async () => {
    const log = fs.readFileSync(logFile, "utf8");
    assert.doesNotMatch(log, /unknown or unsupported field/i);
    assert.doesNotMatch(log, /duplicate/i);
    const s = status();
    assert.deepEqual(
      { initialized: s.initialized, type: s.type, storage: s.storage_type },
      { initialized: false, type: "awskms", storage: "raft" },
    );
    // The certificate names the in-cluster Service; any other name is refused.
    assert.throws(
      () => vaultCli(env.VAULT_API_ADDR, path.join(dir, "tls", "ca.crt"), "evil.example")(["status"]),
      /x509|certificate/,
    );
    // Go answers plain HTTP on a TLS listener with 400.
    const plain = await fetch(env.VAULT_API_ADDR.replace("https:", "http:") + "/v1/sys/health");
    assert.equal(plain.status, 400);
  });

  it("(the check can fail: Vault refuses an attribute set twice, as the chart made of our old config)", async () => {
    const bad = path.join(dir, "duplicate.hcl");
    fs.writeFileSync(bad, `disable_mlock = true\n${fs.readFileSync(configFile, "utf8")}`);
    const badLog = path.join(dir, "duplicate.log");
    const refused = spawnVault(["server", `-config=${bad}`], env, badLog);
    await refused.exited;
    await refused.stop();
    assert.match(fs.readFileSync(badLog, "utf8"), /"disable_mlock" .* was already set/);
  });

  it("initialises as the runbook says: a PGP-encrypted recovery share per operator, majority threshold, KMS auto-unseal", async () => {
    const threshold = Math.floor(operators.length / 2) + 1;
    const keyFiles = operators.map((o) => path.join(dir, path.basename(o.pgpKeyFile)));
    init = JSON.parse(
      cli([
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
    await until("auto-unseal", () => !status().sealed);
    const s = status();
    assert.deepEqual(
      { initialized: s.initialized, sealed: s.sealed, recovery: s.recovery_seal },
      {
        initialized: true,
        sealed: false,
        recovery: true,
      },
    );
  });

  it("root token used once: deployer policy and token created, then root revoked", () => {
    const root = keys.decrypt(init.root_token);
    assert.deepEqual(JSON.parse(cli(["token", "lookup", "-format=json"], root)).data.policies, ["root"]);
    const policyFile = path.join(dir, "platform-deployer.hcl");
    fs.writeFileSync(policyFile, renderPolicy(deployerPolicy(catalog)));
    cli(["policy", "write", "platform-deployer", policyFile], root);
    const deploy = cli(
      [
        "token",
        "create",
        "-orphan",
        "-policy=platform-deployer",
        "-ttl=720h",
        "-explicit-max-ttl=720h",
        "-display-name=pulumi-prod",
        "-field=token",
      ],
      root,
    );
    const looked = JSON.parse(cli(["token", "lookup", "-format=json"], deploy)).data;
    assert.deepEqual(looked.policies, ["default", "platform-deployer"]);
    assert.equal(looked.orphan, true);
    cli(["token", "revoke", "-self"], root);
    assert.throws(() => cli(["token", "lookup"], root), /permission denied/);
  });

  it("a restarted server unseals itself from KMS, and leads its raft cluster", async () => {
    await server!.stop();
    await start();
    await until("auto-unseal after restart", () => !status().sealed);
    const s = status() as Status & { ha_enabled: boolean; is_self: boolean; raft_committed_index: number };
    assert.equal(s.ha_enabled, true);
    await until("raft leadership", () => (status() as unknown as { is_self: boolean }).is_self === true);
  });
});
