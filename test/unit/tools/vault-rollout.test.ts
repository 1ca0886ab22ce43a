/**
 * The rollout order of `npm run vault:rollout` (tools/operator/vault-rollout.ts) against a
 * simulated StatefulSet: what the command does and in which order, not how kubectl reaches a
 * cluster. Evidence level: the orchestration logic only (no pods ran).
 */
import * as assert from "node:assert/strict";
import { type Member, type RolloutOps, rollout } from "../../../tools/operator/vault-rollout";

/** A StatefulSet of `n` servers on the old revision, `vault-<active>` active; a replaced pod is back after one poll. */
function simulated(n: number, active: number, refusals = 0) {
  const events: string[] = [];
  const pods = Array.from({ length: n }, (_, i) => ({
    name: `vault-${i}`,
    active: i === active,
    current: false,
    ready: true,
    back: 0,
  }));
  let refusalsLeft = refusals;
  const ops: RolloutOps = {
    async members(): Promise<Member[]> {
      for (const p of pods)
        if (p.back > 0 && --p.back === 0) {
          p.ready = true;
          p.current = true;
        }
      return pods.map(({ name, active: a, current, ready }) => ({ name, active: a, current, ready }));
    },
    async replace(name) {
      if (refusalsLeft > 0) {
        refusalsLeft--;
        events.push(`refused ${name}`);
        return false;
      }
      const pod = pods.find((p) => p.name === name)!;
      assert.ok(
        pods.every((p) => p.ready),
        `${name} evicted while another server was not Ready`,
      );
      assert.ok(!pod.active, `${name} evicted while active`);
      events.push(`replace ${name}`);
      Object.assign(pod, { ready: false, back: 2 });
      return true;
    },
    async stepDown() {
      const from = pods.find((p) => p.active)!;
      const to = pods.find((p) => !p.active && p.current && p.ready);
      assert.ok(to, "a standby on the new revision takes over");
      events.push(`step-down ${from.name} -> ${to.name}`);
      from.active = false;
      to.active = true;
    },
  };
  return { ops, events, pods };
}

const options = { timeoutSeconds: 5, pollMs: 1, log: () => {} };

describe("vault:rollout order (simulated StatefulSet)", () => {
  it("replaces standbys first, highest ordinal first, then steps the active server down and replaces it last", async () => {
    const { ops, events, pods } = simulated(3, 1);
    const replaced = await rollout(ops, options);
    assert.deepEqual(events, [
      "replace vault-2",
      "replace vault-0",
      "step-down vault-1 -> vault-0",
      "replace vault-1",
    ]);
    assert.deepEqual(replaced, ["vault-2", "vault-0", "vault-1"]);
    assert.ok(pods.every((p) => p.current && p.ready));
  });

  it("waits while the disruption budget refuses an eviction, then goes on", async () => {
    const { ops, events } = simulated(3, 0, 2);
    await rollout(ops, options);
    assert.deepEqual(events.slice(0, 3), ["refused vault-2", "refused vault-2", "replace vault-2"]);
  });

  it("touches nothing when a server is not Ready, and does nothing when all are current", async () => {
    const { ops, events, pods } = simulated(3, 0);
    pods[2].ready = false;
    await assert.rejects(rollout(ops, options), /not every server is Ready \(vault-2\)/);
    assert.deepEqual(events, []);
    for (const p of pods) Object.assign(p, { ready: true, current: true });
    assert.deepEqual(await rollout(ops, options), []);
  });

  it("stops with the servers' states when a replaced server does not come back", async () => {
    const { ops, pods } = simulated(3, 0);
    const replace = ops.replace.bind(ops);
    ops.replace = async (name) => {
      const ok = await replace(name);
      pods.find((p) => p.name === name)!.back = -1; // never back
      return ok;
    };
    await assert.rejects(
      rollout(ops, { ...options, timeoutSeconds: 0.05 }),
      /timed out .* vault-2 Ready on the new revision \(vault-0:ready,active,old vault-1:ready,old vault-2:not-ready,old\)/,
    );
  });
});
