/**
 * The staging server configuration with `unseal: transit`, rendered by real Helm from the
 * program's values, run by three real Vault servers: PROCESSES on this machine's loopback, not
 * pods. A fourth Vault (dev mode, HTTPS listener) is the unsealing Vault, prepared as
 * docs/runbooks/vault-transit-unseal.md says: transit key, the policy
 * `npm run vault:transit-unseal-policy` prints, a periodic orphan token without the default
 * policy, mounted as the Secret would be.
 *
 * What it proves that the pods suite (test/engine/vault-pods.suite.ts) does not: the snapshot
 * job's upload to AWS S3 (`vault.snapshots.s3`, whose bucket and IAM role need the aws provider,
 * which cannot be built here, so that destination never runs on pods) and the staging profile's
 * rendering forming a cluster. Restart, failover and the upgrade order run on pods now (the
 * process stand-ins for them were removed).
 *
 * Localisations (besides raft-cluster.ts's): the seal's `address` (the unsealing Vault's
 * loopback listener instead of https://unseal.example.internal:8200; its certificate carries
 * that name and 127.0.0.1) and the mount `/vault/userconfig/transit-seal` (a directory holding
 * the token and CA files as the Secret volume would); the snapshot job logs in with Kubernetes
 * auth against the real API server (scripts/kube-env.sh's; its token comes from the TokenRequest
 * API, in a namespace of this run's own instead of `vault`), runs every line of its script, and
 * its upload goes to moto's S3 with the AWS CLI installed here (aws-cli 1.x; the job's image pins
 * 2.31.0, same `aws s3 cp` arguments) plus `--endpoint-url`.
 *
 * Figures are printed (formation, snapshot size and times, restore).
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import * as YAML from "yaml";
import { renderPolicy, snapshotPolicy } from "../../../../components/vault/policies";
import {
  RELEASE_NAME,
  serverDnsNames,
  SNAPSHOT_IDENTITY,
  TRANSIT_SEAL_MOUNT,
} from "../../../../components/vault/serverNames";
import { saveScript } from "../../../../components/vault/snapshots";
import { awsCliUpload } from "../../../../components/vault/snapshots/destination";
import { PROFILES } from "../../../../stacks/profiles";
import { deployedVault } from "../../../../stacks/validate";
import { PROJECT_DIR } from "../../../../tools/operator/cli";
import { vaultInit } from "../../../../tools/operator/vault-init";
import { vaultSnapshotRestore } from "../../../../tools/operator/vault-snapshot-restore";
import { type VaultEndpoint, vaultRequest } from "../../../../tools/operator/vault-client";
import {
  createNamespace,
  createReviewer,
  createServiceAccount,
  type Kube,
  removeNamespace,
  requestToken,
  requireKube,
  uniqueName,
} from "../../../engine/kube";
import { missingEngine, requireEngine } from "../../engines";
import { CHART_DIRS, helmTemplate, rendered, requireCharts } from "../../helm/charts";
import { recordVault, transitUnsealCatalog } from "../../../unit/vault/support";
import { issueServerCertificate, OperatorKeys, type ServerCertificate } from "./operator-tools";
import { type RaftNode, raftNodes, replaceOnce, startNode, status, until } from "./raft-cluster";
import { requireVault, VAULT_BINARY, type VaultServer } from "./server";
import { startUnsealingVault } from "./unsealing-vault";

const ENV = "staging";

interface Capture {
  policies: string[];
  auth: string[];
  mounts: string[];
  secret: unknown;
}

describe("three Vault servers (processes, not pods) on the chart's staging config, auto-unsealed through another Vault's transit engine", function () {
  this.timeout(900_000);
  const catalog = transitUnsealCatalog(ENV);
  const transit = catalog.vault!.transitUnseal!;
  const operators = catalog.vault!.operators!;
  const replicas = PROFILES[ENV].vault.replicas;
  const serverName = `${RELEASE_NAME}.${catalog.vault!.namespace}.svc`;
  let dir: string;
  let unsealing: VaultServer;
  let tls: ServerCertificate;
  let nodes: RaftNode[];
  let keys: OperatorKeys;
  let stackFile: string;
  let rootToken: string;
  let motoEndpoint: string;
  let kube: Kube;
  let namespace = "";
  let reviewer: { token: string; bindingPath: string } | undefined;
  const figures: Record<string, string | number> = {};
  const endpointOf = (node: RaftNode): VaultEndpoint => ({
    address: new URL(node.address),
    ca: fs.readFileSync(tls.caFile, "utf8"),
    serverName,
  });
  const leader = () => nodes.find((n) => n.process && status(n).is_self);
  const api = async (node: RaftNode, method: string, apiPath: string, token: string, body?: unknown) => {
    const response = await vaultRequest(endpointOf(node), method, apiPath, {
      token,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = response.body.toString("utf8");
    if (response.status >= 400) throw new Error(`${method} ${apiPath}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, any>) : {};
  };
  const capture = async (node: RaftNode): Promise<Capture> => ({
    policies: (
      (await api(node, "GET", "sys/policies/acl?list=true", rootToken)).data.keys as string[]
    ).sort(),
    auth: Object.keys((await api(node, "GET", "sys/auth", rootToken)).data).sort(),
    mounts: Object.keys((await api(node, "GET", "sys/mounts", rootToken)).data).sort(),
    secret: (await api(node, "GET", "kv-staging/data/app/config", rootToken)).data.data,
  });
  const capture2 = (o: { out: string; err: string }) => ({
    out: (t: string) => (o.out += t),
    err: (t: string) => (o.err += t),
  });

  async function initialise(node: RaftNode): Promise<Record<string, any>> {
    const io = { out: "", err: "" };
    const code = await vaultInit(
      ["--stack-file", stackFile, "--address", node.address, "--ca-file", tls.caFile],
      capture2(io),
    );
    assert.equal(code, 0, io.err);
    return JSON.parse(io.out) as Record<string, any>;
  }

  async function formCluster(): Promise<void> {
    for (const node of nodes.slice(1)) await startNode(node);
    for (const node of nodes)
      await until(
        `${RELEASE_NAME}-${node.index} to join and unseal`,
        () => {
          const s = status(node);
          return s.initialized && !s.sealed && s.leader_address !== "";
        },
        node,
      );
  }

  before(async function () {
    requireVault(this);
    requireCharts(this);
    ({ motoEndpoint } = await requireEngine(this, "moto"));
    kube = await requireKube(this);
    // The snapshot job's uploader: the AWS CLI (the job's image runs v2; v1 from PyPI takes the same arguments).
    if (spawnSync("aws", ["--version"], { stdio: "ignore" }).status !== 0)
      missingEngine(
        this,
        "no AWS CLI on PATH (the snapshot job's uploader); install it, e.g. pip install awscli",
      );
    // The API server is shared by every checkout: a namespace of this run's own.
    namespace = uniqueName("sp-vault-snapshot");
    await createNamespace(kube.admin, namespace);
    reviewer = await createReviewer(kube.admin, namespace, "vault-reviewer");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-vault-transit-"));

    // The unsealing Vault, prepared as the runbook says.
    const unsealer = await startUnsealingVault(dir, catalog);
    unsealing = unsealer.server;
    // What the Secret volume holds: the token (no newline) and the unsealing Vault's CA.
    const sealMount = path.join(dir, "transit-seal");
    fs.mkdirSync(sealMount, { mode: 0o700 });
    fs.writeFileSync(path.join(sealMount, "token"), unsealer.token, { mode: 0o600 });
    fs.copyFileSync(unsealer.caFile, path.join(sealMount, "ca.crt"));

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
    tls = issueServerCertificate(
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
          `address = "${transit.address}"`,
          `address = "${unsealing.tlsAddress}"`,
        ).replaceAll(TRANSIT_SEAL_MOUNT, sealMount),
    });

    // The operators' keys, and the stack file the runbook's commands read (its catalog naming them).
    keys = new OperatorKeys(path.join(dir, "gnupg"));
    const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${ENV}.yaml`), "utf8"));
    const stackCatalog = doc.config["secrets-platform:catalog"];
    Object.assign(stackCatalog.vault, { unseal: "transit", transitUnseal: { ...transit } });
    stackCatalog.vault.operators = operators.map((o) => {
      const file = path.join(dir, path.basename(o.pgpKeyFile));
      keys.create(o.name, file);
      return { name: o.name, pgpKeyFile: file };
    });
    stackFile = path.join(dir, `Pulumi.${ENV}-transit.yaml`);
    fs.writeFileSync(stackFile, YAML.stringify(doc));
  });

  after(async () => {
    for (const node of nodes ?? []) await node.process?.stop();
    await unsealing?.stop();
    // Clean-up of the shared API server; a server restarted meanwhile (by another checkout) has
    // nothing of ours left to delete, and must not hide the test's own result.
    try {
      if (reviewer) await kube.admin.delete(reviewer.bindingPath);
      if (namespace) await removeNamespace(kube.admin, namespace);
    } catch (err) {
      console.warn(`      clean-up on the API server: ${(err as Error).message}`);
    }
    console.log(`      figures: ${JSON.stringify(figures)}`);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("forms: initialised by npm run vault:init, unsealed through transit, three raft voters over TLS", async () => {
    const started = Date.now();
    await startNode(nodes[0]);
    assert.deepEqual(
      (({ initialized, type, storage_type }) => ({ initialized, type, storage_type }))(status(nodes[0])),
      { initialized: false, type: "transit", storage_type: "raft" },
    );
    const init = await initialise(nodes[0]);
    assert.deepEqual(
      init.operators,
      operators.map((o) => o.name),
    );
    assert.equal(init.recovery_keys_threshold, Math.floor(operators.length / 2) + 1);
    assert.equal(
      new Set(init.recovery_keys_b64.map((share: string) => keys.decrypt(share))).size,
      operators.length,
    );
    rootToken = keys.decrypt(init.root_token);
    await until("auto-unseal", () => !status(nodes[0]).sealed, nodes[0]);
    await formCluster();
    const autopilot = () =>
      JSON.parse(nodes[0].cli(["operator", "raft", "autopilot", "state", "-format=json"], rootToken)) as {
        Healthy: boolean;
        Servers: Record<string, { Status: string }>;
      };
    const voters = () =>
      Object.values(autopilot().Servers).filter((server) => ["leader", "voter"].includes(server.Status))
        .length;
    await until("three healthy voters", () => autopilot().Healthy && voters() === replicas, nodes[0]);
    figures.formationSeconds = (Date.now() - started) / 1000;
    const peers = (await api(nodes[0], "GET", "sys/storage/raft/configuration", rootToken)).data.config
      .servers as Array<{
      node_id: string;
      voter: boolean;
    }>;
    assert.deepEqual(
      peers.map((p) => `${p.node_id}:${p.voter}`).sort(),
      nodes.map((n) => `${RELEASE_NAME}-${n.index}:true`),
    );
    assert.equal(nodes.filter((n) => status(n).is_self).length, 1);
    assert.ok(nodes.every((n) => status(n).recovery_seal && status(n).type === "transit"));
  });

  it("snapshot by the job's identity (read on sys/storage/raft/snapshot only), uploaded to S3; a fresh cluster restored from it is equal", async () => {
    const l = leader()!;
    // A secret the restore must bring back.
    await api(l, "POST", "sys/mounts/kv-staging", rootToken, { type: "kv", options: { version: "2" } });
    await api(l, "POST", "kv-staging/data/app/config", rootToken, { data: { greeting: "hello" } });
    await api(l, "PUT", "sys/policies/acl/vault-snapshot", rootToken, {
      policy: renderPolicy(snapshotPolicy()),
    });
    // The job's Vault identity: Kubernetes auth on the Vault cluster's mount, the role bound to
    // the job's service account and the `vault` audience, reviewed by the real API server (Vault
    // outside it, with a reviewer bound to system:auth-delegator only), configured through
    // Vault's API as the configuration layer does for such a cluster.
    const mount = `kubernetes-${catalog.vault!.cluster}`;
    await api(l, "POST", `sys/auth/${mount}`, rootToken, { type: "kubernetes" });
    await api(l, "POST", `auth/${mount}/config`, rootToken, {
      kubernetes_host: kube.settings.url,
      kubernetes_ca_cert: kube.caPem,
      token_reviewer_jwt: reviewer!.token,
      disable_local_ca_jwt: true,
    });
    await api(l, "POST", `auth/${mount}/role/${SNAPSHOT_IDENTITY}`, rootToken, {
      bound_service_account_names: [SNAPSHOT_IDENTITY],
      bound_service_account_namespaces: [namespace],
      audience: "vault",
      token_policies: [SNAPSHOT_IDENTITY],
    });
    // What the job's projected volume holds: a token of its account for the `vault` audience.
    await createServiceAccount(kube.admin, namespace, SNAPSHOT_IDENTITY);
    const jwt = await requestToken(kube.admin, namespace, SNAPSHOT_IDENTITY, {
      audiences: ["vault"],
      expirationSeconds: 600,
    });
    const tokenDir = path.join(dir, "vault-token");
    fs.mkdirSync(tokenDir, { mode: 0o700 });
    fs.writeFileSync(path.join(tokenDir, "token"), jwt, { mode: 0o600 });
    const login = async (token: string) =>
      (await api(l, "POST", `auth/${mount}/login`, "", { role: SNAPSHOT_IDENTITY, jwt: token })).auth
        .client_token as string;
    const jobToken = await login(jwt);
    // The identity reads snapshots and nothing else: no secret, no restore.
    await assert.rejects(api(l, "GET", "kv-staging/data/app/config", jobToken), /403/);
    await assert.rejects(api(l, "POST", "sys/storage/raft/snapshot", jobToken, {}), /403/);
    await api(l, "POST", "auth/token/revoke-self", jobToken);
    // Another account of the namespace cannot take the role.
    await createServiceAccount(kube.admin, namespace, "not-the-job");
    await assert.rejects(
      login(await requestToken(kube.admin, namespace, "not-the-job", { audiences: ["vault"] })),
      /403/,
    );
    const before = await capture(l);

    // The job's script, every line; its volumes are directories here.
    const snapshots = path.join(dir, "snapshots");
    fs.mkdirSync(snapshots);
    const script = saveScript(catalog, deployedVault(catalog.vault!))
      .replaceAll("/var/run/secrets/vault/", `${tokenDir}/`)
      .replaceAll("/snapshots/", `${snapshots}/`);
    let started = Date.now();
    execFileSync("/bin/sh", ["-ec", script], {
      stdio: "pipe",
      env: {
        PATH: `${path.dirname(VAULT_BINARY)}:${process.env.PATH}`,
        HOME: dir,
        VAULT_ADDR: l.address,
        VAULT_CACERT: tls.caFile,
        VAULT_TLS_SERVER_NAME: serverName,
      },
    });
    figures.snapshotSeconds = (Date.now() - started) / 1000;
    const [file] = fs.readdirSync(snapshots);
    assert.match(file, /^sp-staging-\d{8}T\d{6}Z\.snap$/);
    figures.snapshotBytes = fs.statSync(path.join(snapshots, file)).size;

    // A bucket of this run's own: moto is shared by every suite and run.
    const s3 = {
      bucket: `sp-staging-vault-snapshots-${randomBytes(4).toString("hex")}`,
      prefix: "vault/staging",
    };
    const aws = {
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_DEFAULT_REGION: "us-east-1",
    };
    const client = new S3Client({
      region: "us-east-1",
      endpoint: motoEndpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    await client.send(new CreateBucketCommand({ Bucket: s3.bucket }));
    const [cmd, ...args] = awsCliUpload(s3).command.map((a) => a.replace(/^\/snapshots\//, `${snapshots}/`));
    execFileSync(cmd, [...args, "--endpoint-url", motoEndpoint], {
      stdio: "pipe",
      env: {
        ...process.env,
        ...aws,
        AWS_CONFIG_FILE: path.join(dir, "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "aws-credentials"),
      },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    assert.deepEqual(
      listed.Contents?.map((o) => [o.Key, o.Size]),
      [[`${s3.prefix}/${file}`, figures.snapshotBytes]],
    );

    // Lose everything: every server and its volume.
    await Promise.all(nodes.map((n) => n.process?.stop()));
    for (const n of nodes) {
      n.process = undefined;
      fs.rmSync(path.join(n.dir, "data"), { recursive: true });
      fs.mkdirSync(path.join(n.dir, "data"), { mode: 0o700 });
    }
    // A fresh cluster (same config, same seal), initialised as the runbook says, restored with --force.
    await startNode(nodes[0]);
    const fresh = await initialise(nodes[0]);
    await until("the fresh cluster to unseal", () => !status(nodes[0]).sealed, nodes[0]);
    await formCluster();
    const restoreFile = path.join(dir, "restore.snap");
    execFileSync(
      "aws",
      ["s3", "cp", `s3://${s3.bucket}/${s3.prefix}/${file}`, restoreFile, "--endpoint-url", motoEndpoint],
      {
        stdio: "pipe",
        env: {
          ...process.env,
          ...aws,
          AWS_CONFIG_FILE: path.join(dir, "aws-config"),
          AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "aws-credentials"),
        },
      },
    );
    started = Date.now();
    const io = { out: "", err: "" };
    const code = await vaultSnapshotRestore(
      [
        "--stack-file",
        stackFile,
        "--snapshot",
        restoreFile,
        "--address",
        nodes[0].address,
        "--ca-file",
        tls.caFile,
        "--force",
      ],
      capture2(io),
      () => keys.decrypt(fresh.root_token),
    );
    assert.equal(code, 0, io.err);
    figures.restore = io.out.trim();
    figures.restoreWallSeconds = (Date.now() - started) / 1000;
    // The snapshot's keyring and tokens now: the old root token works again, the fresh one does not.
    await until(
      "every server unsealed after the restore",
      () => nodes.every((n) => !status(n).sealed),
      nodes[0],
    );
    await until("an active node after the restore", () => leader() !== undefined, nodes[0]);
    assert.deepEqual(await capture(leader()!), before);
    await assert.rejects(
      api(leader()!, "GET", "auth/token/lookup-self", keys.decrypt(fresh.root_token)),
      /403/,
    );
  });
});
