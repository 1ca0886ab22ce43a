/**
 * npm run -s vault:rollout -- --stack <name> [--address <url>] [--ca-file <path>] < token
 *
 * Rolls the Vault StatefulSet onto its new revision after `pulumi up` changed it (an upgrade:
 * docs/runbooks/vault-upgrade.md). The chart's update strategy is OnDelete, so `pulumi up`
 * replaces no pod; this command does, in the order HashiCorp's upgrade guide asks for: standbys
 * first, one at a time, each evicted (the PodDisruptionBudget decides whether it may go now) and
 * back Ready (unsealed, joined) on the new revision before the next; then the active server steps
 * down (`sys/step-down`, the token on stdin needs sudo there: break-glass), a standby already
 * on the new revision takes over, and the old active one is replaced last. A cluster with a pod
 * not Ready is not touched.
 *
 * The orchestration (`rollout`) is separate from how it reaches the cluster (`RolloutOps`):
 * kubectl and Vault's API here, Vault processes in test/integration/vault/live.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { RELEASE_NAME } from "../../components/vault/serverNames";
import { InputError, OperationError, type Output, STACK_OPTIONS, processOutput, runOnCatalog } from "./cli";
import { catalogEndpoint, readSecretInput, vaultErrors, vaultRequest } from "./vault-client";

/** A Vault server as the rollout sees it. */
export interface Member {
  readonly name: string;
  /** Holds the active role (the `vault-active` label service registration keeps). */
  readonly active: boolean;
  /** Runs the StatefulSet's update revision. */
  readonly current: boolean;
  /** Ready: unsealed and serving (the chart's readiness probe). */
  readonly ready: boolean;
}

export interface RolloutOps {
  members(): Promise<Member[]>;
  /** Evicts the server's pod; the StatefulSet recreates it on the update revision. False: the budget refused, for now. */
  replace(name: string): Promise<boolean>;
  /** Makes the active server give up its role. */
  stepDown(): Promise<void>;
}

export interface RolloutOptions {
  readonly timeoutSeconds: number;
  readonly pollMs: number;
  readonly log: (line: string) => void;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Replaces every outdated server, standbys first (highest ordinal first), the active one last. */
export async function rollout(ops: RolloutOps, options: RolloutOptions): Promise<string[]> {
  const waitFor = async (what: string, done: (members: Member[]) => boolean): Promise<Member[]> => {
    const deadline = Date.now() + options.timeoutSeconds * 1000;
    let members = await ops.members();
    while (!done(members)) {
      if (Date.now() > deadline)
        throw new OperationError(
          `timed out after ${options.timeoutSeconds} s waiting for ${what} (${members.map((m) => `${m.name}:${m.ready ? "ready" : "not-ready"}${m.active ? ",active" : ""}${m.current ? ",new" : ",old"}`).join(" ")})`,
        );
      await pause(options.pollMs);
      members = await ops.members();
    }
    return members;
  };
  const allReady = (members: Member[]) => members.length > 0 && members.every((m) => m.ready);
  const replaced: string[] = [];
  const replace = async (name: string) => {
    const deadline = Date.now() + options.timeoutSeconds * 1000;
    while (!(await ops.replace(name))) {
      if (Date.now() > deadline)
        throw new OperationError(
          `the disruption budget kept refusing to evict ${name} for ${options.timeoutSeconds} s`,
        );
      await pause(options.pollMs);
    }
    options.log(`replaced ${name}; waiting for it on the new revision, Ready`);
    await waitFor(
      `${name} Ready on the new revision`,
      (ms) => allReady(ms) && ms.some((m) => m.name === name && m.current),
    );
    replaced.push(name);
  };

  let members = await ops.members();
  if (!allReady(members))
    throw new OperationError(
      `not every server is Ready (${
        members
          .filter((m) => !m.ready)
          .map((m) => m.name)
          .join(", ") || "no servers"
      }): fix the cluster before rolling it`,
    );
  const byOrdinalDesc = (a: Member, b: Member) =>
    Number(b.name.split("-").pop()) - Number(a.name.split("-").pop());
  for (const standby of members.filter((m) => !m.active && !m.current).sort(byOrdinalDesc))
    await replace(standby.name);

  members = await ops.members();
  const active = members.find((m) => m.active);
  if (active && !active.current) {
    options.log(`stepping ${active.name} down`);
    await ops.stepDown();
    await waitFor("another server to become active", (ms) =>
      ms.some((m) => m.active && m.name !== active.name),
    );
    await replace(active.name);
  }
  const outdated = (await ops.members()).filter((m) => !m.current);
  if (outdated.length > 0)
    throw new OperationError(`still on the old revision: ${outdated.map((m) => m.name).join(", ")}`);
  return replaced;
}

/** A cluster reached with kubectl (its current context, or KUBECONFIG) and Vault's API. */
export function kubectlOps(
  namespace: string,
  stepDown: () => Promise<void>,
  kubectl = "kubectl",
): RolloutOps {
  const run = (args: string[], input?: string) =>
    execFileSync(kubectl, ["-n", namespace, ...args], {
      encoding: "utf8",
      input,
      stdio: ["pipe", "pipe", "pipe"],
    });
  return {
    async members() {
      const sts = JSON.parse(run(["get", "statefulset", RELEASE_NAME, "-o", "json"])) as {
        status: { updateRevision: string };
      };
      const pods = JSON.parse(
        run([
          "get",
          "pods",
          "-l",
          `app.kubernetes.io/instance=${RELEASE_NAME},component=server`,
          "-o",
          "json",
        ]),
      ) as {
        items: Array<{
          metadata: { name: string; labels: Record<string, string>; deletionTimestamp?: string };
          status: { conditions?: Array<{ type: string; status: string }> };
        }>;
      };
      return pods.items.map((p) => ({
        name: p.metadata.name,
        active: p.metadata.labels["vault-active"] === "true",
        current: p.metadata.labels["controller-revision-hash"] === sts.status.updateRevision,
        ready:
          !p.metadata.deletionTimestamp &&
          (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
      }));
    },
    async replace(name) {
      // An eviction, not a delete: the PodDisruptionBudget applies (HTTP 429 while it forbids).
      const eviction = { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } };
      try {
        run(
          ["create", "--raw", `/api/v1/namespaces/${namespace}/pods/${name}/eviction`, "-f", "-"],
          JSON.stringify(eviction),
        );
        return true;
      } catch (err) {
        if (/TooManyRequests|429|disruption budget/i.test(String((err as { stderr?: string }).stderr)))
          return false;
        throw new OperationError(
          `evicting ${name}: ${String((err as { stderr?: string }).stderr ?? err).trim()}`,
        );
      }
    },
    stepDown,
  };
}

export const USAGE = `usage: npm run -s vault:rollout -- (--stack <name> | --stack-file <path>) [--address <url>] [--ca-file <path>] [--token-file <path>] [--timeout-seconds <n>] < token

Replaces the Vault servers still on the StatefulSet's previous revision (after pulumi up changed
the image or configuration; the chart's OnDelete strategy replaces none itself): standbys one at
a time, each evicted under the PodDisruptionBudget and back Ready on the new revision before the
next, then a step-down of the active server and its replacement. kubectl must reach the cluster
(current context or KUBECONFIG); the token (stdin or --token-file, never an argument) needs sudo
on sys/step-down: the break-glass policy. docs/runbooks/vault-upgrade.md.

  --stack <name>            a stack of this project (Pulumi.<name>.yaml)
  --stack-file <path>       any stack file
  --address <url>           where to reach Vault (default: the catalog's vault.address), e.g. a
                            port-forward to svc/vault-active; checked against the catalog's CA
                            and host name
  --ca-file <path>          the CA to verify Vault with (default: the catalog's vault.caCertFile)
  --token-file <path>       read the token from this file instead of stdin
  --timeout-seconds <n>     how long each step may take (default 600)
  -h, --help                this text

Prints the replaced servers in order, one per line, on stdout. Exit codes: 0 every server on the
new revision, 1 a step failed or timed out (nothing more is replaced), 2 invalid input, 3 a bug.`;

const OPTIONS = {
  ...STACK_OPTIONS,
  address: { type: "string" },
  "ca-file": { type: "string" },
  "token-file": { type: "string" },
  "timeout-seconds": { type: "string", default: "600" },
} as const;

export async function vaultRollout(
  argv: readonly string[],
  output: Output = processOutput,
  stdin: () => string = () => fs.readFileSync(0, "utf8"),
): Promise<number> {
  return runOnCatalog(
    USAGE,
    argv,
    OPTIONS,
    async ({ values, stack, catalog }, o) => {
      if (!catalog.vault?.deploy)
        throw new InputError(`stack ${stack} does not deploy Vault: nothing to roll`);
      const timeout = Number(values["timeout-seconds"]);
      if (!Number.isInteger(timeout) || timeout < 1)
        throw new InputError("--timeout-seconds must be a positive integer");
      const endpoint = catalogEndpoint(catalog, stack, values.address, values["ca-file"]);
      const token = readSecretInput(values["token-file"], "Vault token", stdin);
      const stepDown = async () => {
        const response = await vaultRequest(endpoint, "PUT", "sys/step-down", { token });
        if (response.status !== 204)
          throw new OperationError(`Vault refused the step-down: ${vaultErrors(response)}`);
      };
      const replaced = await rollout(kubectlOps(catalog.vault.namespace, stepDown), {
        timeoutSeconds: timeout,
        pollMs: 2000,
        log: (line) => o.err(`${line}\n`),
      });
      o.out(replaced.map((name) => `${name}\n`).join(""));
    },
    output,
  );
}

if (require.main === module)
  void vaultRollout(process.argv.slice(2)).then((code) => (process.exitCode = code));
