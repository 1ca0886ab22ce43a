/**
 * `npm run local:up -- [stack]` and `npm run local:down -- [stack]` (default `local`): the
 * platform on one machine, prepared exactly as the engine suites prepare it
 * (./local/platform.ts).
 *
 * up: starts or reuses the integration engines (scripts/integration-env.sh), starts a TLS Vault
 * that outlives the command, prepares fresh databases and Vault's reviewer account, makes a
 * checkout of this working tree under .integration/local/<stack>/checkout logged in to a file
 * backend beside it, `stack init`, sets the stack's secrets from the engines (on stdin, never
 * in argv), runs `pulumi up` with the policy pack, and prints what to use next.
 * down: `pulumi destroy` and `stack rm`, then stops that Vault and removes the databases, the
 * reviewer and .integration/local/<stack>.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Database } from "../stacks/schema";
import { engine as pulumiEngine, Project, runPulumi } from "../test/engine/cli";
import { lockClusterWideObjects } from "../test/engine/cluster-lock";
import { connectKube, removeNamespace } from "../test/engine/kube";
import { nodeReady, nodeSettings } from "../test/engine/node";
import { engineSettings } from "../test/integration/engines";
import { dropLocalDatabase } from "../test/integration/vault/live/local-catalog";
import { initStack, policyArgs, prepareLocalStack, stackFileOf } from "./local/platform";

const PROJECT_DIR = path.join(__dirname, "..");
/** The deployer's and the reviewer's tokens: 30 days (Vault's default maximum TTL is 32). */
const CREDENTIAL_SECONDS = 30 * 24 * 3600;

/** What `down` needs of an `up`, kept in .integration/local/<stack>/local.json (no secret). */
interface UpRecord {
  readonly stack: string;
  readonly backendUrl: string;
  readonly checkout: string;
  readonly vaultPid: number;
  readonly vaultAddress: string;
  readonly reviewerBindings: readonly string[];
  readonly namespaces: readonly string[];
  /** The databases up made (fresh names), dropped by down. */
  readonly databases: readonly Database[];
}

const fail = (message: string): never => {
  console.error(`local-stack: ${message}`);
  process.exit(1);
};

function paths(stack: string) {
  const dir = path.join(PROJECT_DIR, ".integration", "local", stack);
  return { dir, record: path.join(dir, "local.json"), checkout: path.join(dir, "project") };
}

function engines() {
  const engine = pulumiEngine();
  if (!engine) fail("the Pulumi engine is not built; run scripts/integration-env.sh");
  const databases = engineSettings();
  if (!databases) fail("no .integration/env; run scripts/integration-env.sh");
  return { engine: engine!, databases: databases! };
}

async function up(stack: string): Promise<void> {
  if (!fs.existsSync(path.join(PROJECT_DIR, stackFileOf(stack))))
    fail(`there is no stack file ${stackFileOf(stack)} in ${PROJECT_DIR}`);
  const where = paths(stack);
  if (fs.existsSync(where.record))
    fail(`the stack ${stack} is up already; npm run local:down -- ${stack} first`);
  // SP_LOCAL_SKIP_ENGINES=1: they run already (a shared machine, where another checkout's
  // cluster holds the ports; its settings then come from the SP_KUBE_* variables).
  if (process.env.SP_LOCAL_SKIP_ENGINES !== "1") {
    const started = spawnSync("bash", [path.join(PROJECT_DIR, "scripts", "integration-env.sh")], {
      stdio: "inherit",
    });
    if (started.status !== 0) fail(`scripts/integration-env.sh exited ${started.status}`);
  }
  const { engine, databases } = engines();
  const kube = await connectKube();
  // With the node up (scripts/kube-node-env.sh, which integration-env.sh starts where it can run
  // as root), the cluster runs pods as the shipped stacks' do; without it, an API server alone.
  const settings = nodeSettings();
  const node = settings && (await nodeReady(kube, settings)) ? settings : undefined;
  console.log(
    node
      ? `local-stack: the node ${node.name} is Ready: ESO and Reloader run as pods (runsPods: true)`
      : "local-stack: no node runs: the cluster is an API server alone (runsPods: false): the releases are installed, but no pod of them runs",
  );
  fs.rmSync(where.dir, { recursive: true, force: true });
  fs.mkdirSync(where.dir, { recursive: true, mode: 0o700 });
  // ESO's CRDs, namespace and releases are the cluster's: not while a suite installs its own.
  const release = await lockClusterWideObjects();
  const made: Parameters<typeof prepareLocalStack>[1] = { namespaces: [], reviewerBindings: [] };
  try {
    const prepared = await prepareLocalStack(
      {
        stack,
        workDir: path.join(where.dir, "vault"),
        databases,
        kube,
        eso: true,
        node,
        detachedVault: true,
        credentialSeconds: CREDENTIAL_SECONDS,
      },
      made,
    );
    const backendUrl = `file://${path.join(where.dir, "state")}`;
    fs.mkdirSync(path.join(where.dir, "state"));
    const record: UpRecord = {
      stack,
      backendUrl,
      checkout: path.join(where.checkout, "checkout"),
      vaultPid: prepared.server.pid,
      vaultAddress: prepared.server.tlsAddress!,
      reviewerBindings: made.reviewerBindings,
      namespaces: made.namespaces,
      databases: prepared.catalog().databases,
    };
    fs.writeFileSync(where.record, JSON.stringify(record, null, 2));
    // The Vault's root token, for a person to look around (0600, like .integration/env).
    fs.writeFileSync(path.join(where.dir, "vault-root-token"), prepared.server.root.token, { mode: 0o600 });
    const env = { KUBECONFIG: kube.settings.kubeconfig };
    const checkout = Project.create(engine, backendUrl, stack, env, where.checkout);
    await initStack(checkout, stack, prepared, kube);
    console.log(`local-stack: pulumi up --stack ${stack} ${policyArgs(stack).join(" ")}`);
    const result = await checkout.run(["up", "--yes", "--stack", stack, ...policyArgs(stack)]);
    console.log(result.stdout.trim());
    console.log(
      [
        "",
        `The stack ${stack} is up. To use it next:`,
        `  cd ${record.checkout}`,
        `  export PULUMI_BACKEND_URL=${backendUrl}   # the state backend`,
        `  export KUBECONFIG=${kube.settings.kubeconfig}`,
        `  export VAULT_ADDR=${record.vaultAddress} VAULT_CACERT=${path.join(record.checkout, "certs", "local-vault-ca.pem")}`,
        `  # Vault's root token: ${path.join(where.dir, "vault-root-token")} (0600); the stack's passphrase: PULUMI_CONFIG_PASSPHRASE in .integration/engine.env`,
        `Take it down with: npm run local:down -- ${stack}`,
      ].join("\n"),
    );
  } catch (err) {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    if (fs.existsSync(where.record)) fail(`up failed; npm run local:down -- ${stack} removes what it made`);
    // Nothing recorded yet: what was made goes now (the detached server by its pid: it is not
    // this process's to wait for).
    if (made.server) process.kill(made.server.pid, "SIGTERM");
    await made.local?.cleanUp();
    fs.rmSync(where.dir, { recursive: true, force: true });
    fail("up failed");
  } finally {
    await release();
  }
}

async function down(stack: string): Promise<void> {
  const where = paths(stack);
  if (!fs.existsSync(where.record)) fail(`the stack ${stack} is not up here (no ${where.record})`);
  const record = JSON.parse(fs.readFileSync(where.record, "utf8")) as UpRecord;
  const { engine, databases } = engines();
  const kube = await connectKube();
  const release = await lockClusterWideObjects();
  try {
    const env = {
      ...process.env,
      ...engine.env,
      PULUMI_BACKEND_URL: record.backendUrl,
      KUBECONFIG: kube.settings.kubeconfig,
    };
    for (const args of [
      ["destroy", "--yes", "--stack", stack],
      ["stack", "rm", "--yes", "--stack", stack],
    ]) {
      console.log(`local-stack: pulumi ${args.join(" ")}`);
      const result = await runPulumi(engine, args, { cwd: record.checkout, env });
      if (result.code !== 0)
        fail(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
      console.log(result.stdout.trim());
    }
    // The databases up made, then the Vault and the reviewer.
    for (const database of record.databases) await dropLocalDatabase(database, databases);
    // The pid is ours only while its command line names this stack's directory.
    const cmdline = fs.existsSync(`/proc/${record.vaultPid}`)
      ? fs.readFileSync(`/proc/${record.vaultPid}/cmdline`, "utf8")
      : "";
    if (cmdline.includes(where.dir)) process.kill(record.vaultPid, "SIGTERM");
    for (const binding of record.reviewerBindings) await kube.admin.delete(binding).catch(() => undefined);
    for (const namespace of record.namespaces) await removeNamespace(kube.admin, namespace);
    fs.rmSync(where.dir, { recursive: true, force: true });
    console.log(
      `local-stack: the stack ${stack} is destroyed; its Vault, databases and reviewer are removed`,
    );
  } finally {
    await release();
  }
}

const [command, stack = "local"] = process.argv.slice(2);
const run = command === "up" ? up : command === "down" ? down : undefined;
if (!run) fail("usage: local-stack.ts up|down [stack]");
run!(stack).catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
