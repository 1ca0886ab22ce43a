/**
 * npm run -s vault:snapshot-restore -- --stack <name> --snapshot <file> [--address <url>] [--ca-file <path>] [--force] < token
 *
 * Restores a raft snapshot (one the snapshot CronJob uploaded, docs/runbooks/vault-snapshots.md)
 * into the stack's Vault, then waits until the cluster is unsealed and has an active node again.
 * The token (break-glass: `update` and `sudo` on `sys/storage/raft/snapshot` or
 * `snapshot-force`) is read from stdin or --token-file, never from an argument.
 */
import * as fs from "node:fs";
import { InputError, OperationError, type Output, STACK_OPTIONS, processOutput, runOnCatalog } from "./cli";
import {
  catalogEndpoint,
  readSecretInput,
  type VaultEndpoint,
  vaultErrors,
  vaultRequest,
} from "./vault-client";

export const USAGE = `usage: npm run -s vault:snapshot-restore -- (--stack <name> | --stack-file <path>) --snapshot <file> [--address <url>] [--ca-file <path>] [--force] [--token-file <path>] < token

Restores a raft snapshot into the stack's Vault and waits until it is unsealed and serving
(the node answering unsealed, and an active node in the cluster). The
token comes from stdin (or --token-file), never from an argument; it needs update and sudo on
sys/storage/raft/snapshot (sys/storage/raft/snapshot-force with --force): the break-glass policy.

  --stack <name>         a stack of this project (Pulumi.<name>.yaml)
  --stack-file <path>    any stack file
  --snapshot <file>      the snapshot (.snap) to restore, e.g. downloaded from the snapshot bucket
  --ca-file <path>       the CA to verify Vault with (default: the catalog's vault.caCertFile)
  --address <url>        where to reach Vault (default: the catalog's vault.address), e.g. a
                         port-forward https://127.0.0.1:8200; the certificate is still checked
                         against the catalog's CA and host name
  --force                restore a snapshot taken by another cluster (a fresh cluster after a
                         loss): its keyring replaces this one's, so this cluster's seal must be
                         the one the snapshot's cluster used
  --token-file <path>    read the token from this file instead of stdin
  --wait-seconds <n>     how long to wait for an unsealed active node afterwards (default 120)
  -h, --help             this text

Prints one JSON line on stdout: {"snapshot", "bytes", "forced", "restoreSeconds", "readySeconds"}.
Exit codes: 0 restored and serving, 1 Vault refused or did not come back in time, 2 invalid
input, 3 the command failed (a bug: please report it).`;

const OPTIONS = {
  ...STACK_OPTIONS,
  snapshot: { type: "string" },
  address: { type: "string" },
  "ca-file": { type: "string" },
  force: { type: "boolean", default: false },
  "token-file": { type: "string" },
  "wait-seconds": { type: "string", default: "120" },
} as const;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the node answering at the address is initialised and unsealed (active or standby:
 * a Service may route to either) and the cluster has an active node (`sys/leader`).
 */
async function waitUntilServing(endpoint: VaultEndpoint, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const health = await vaultRequest(endpoint, "GET", "sys/health?standbyok=true");
      const leader = await vaultRequest(endpoint, "GET", "sys/leader");
      const address =
        leader.status === 200
          ? (JSON.parse(leader.body.toString("utf8")) as { leader_address?: string }).leader_address
          : undefined;
      if (health.status === 200 && address) return;
      last = `sys/health answered ${health.status}, leader ${address || "none"}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await pause(500);
  }
  throw new OperationError(`Vault did not come back unsealed and active within ${seconds} s (${last})`);
}

export async function vaultSnapshotRestore(
  argv: readonly string[],
  output: Output = processOutput,
  stdin: () => string = () => fs.readFileSync(0, "utf8"),
): Promise<number> {
  return runOnCatalog(
    USAGE,
    argv,
    OPTIONS,
    async ({ values, stack, catalog }, o) => {
      if (!values.snapshot) throw new InputError("--snapshot <file> is required");
      if (!fs.existsSync(values.snapshot))
        throw new InputError(`--snapshot ${values.snapshot}: no such file`);
      const wait = Number(values["wait-seconds"]);
      if (!Number.isInteger(wait) || wait < 1)
        throw new InputError("--wait-seconds must be a positive integer");
      const endpoint = catalogEndpoint(catalog, stack, values.address, values["ca-file"]);
      const token = readSecretInput(values["token-file"], "Vault token", stdin);
      const snapshot = fs.readFileSync(values.snapshot);

      const path = values.force ? "sys/storage/raft/snapshot-force" : "sys/storage/raft/snapshot";
      o.err(
        `restoring ${values.snapshot} (${snapshot.length} bytes) into ${endpoint.address.origin} (${path})\n`,
      );
      const started = Date.now();
      const response = await vaultRequest(endpoint, "POST", path, { token, body: snapshot });
      if (response.status !== 204 && response.status !== 200)
        throw new OperationError(`Vault refused the restore: ${vaultErrors(response)}`);
      const restoreSeconds = (Date.now() - started) / 1000;
      await waitUntilServing(endpoint, wait);
      const readySeconds = (Date.now() - started) / 1000;
      o.err(`restored; Vault is unsealed and active\n`);
      o.out(
        `${JSON.stringify({ snapshot: values.snapshot, bytes: snapshot.length, forced: values.force, restoreSeconds, readySeconds })}\n`,
      );
    },
    output,
  );
}

if (require.main === module)
  void vaultSnapshotRestore(process.argv.slice(2)).then((code) => (process.exitCode = code));
