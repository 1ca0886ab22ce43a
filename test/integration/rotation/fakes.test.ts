/**
 * The simulated Secret Manager and Key Vault servers need no engine: a suite skipped for a
 * missing database still runs its `after` hook, which must not wait on a server never started.
 */
import * as assert from "node:assert/strict";
import { FakeKeyVault } from "./azure-key-vault-fake";
import { FakeSecretManager } from "./gcp-secret-manager-fake";

describe("rotation fakes (no engine needed)", function () {
  this.timeout(10_000);

  for (const [name, make] of [
    ["FakeSecretManager", () => new FakeSecretManager()],
    ["FakeKeyVault", () => new FakeKeyVault()],
  ] as const) {
    it(`${name}.stop() returns at once when the server was never started`, async () => {
      const started = Date.now();
      await make().stop();
      assert.ok(Date.now() - started < 1000);
    });

    it(`${name} starts, stops, and stops again`, async () => {
      const fake = make();
      const client = await fake.start();
      await fake.stop();
      await fake.stop();
      await (client as { close?: () => Promise<void> }).close?.();
    });
  }
});
