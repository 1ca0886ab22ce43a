/**
 * The npm SDKs are the provider versions the engine runs: an SDK asks the engine for the
 * plugin version it was released with, so @pulumi/vault, @pulumi/random and
 * @pulumi/kubernetes must equal what scripts/engine-env.sh builds (pin what you test), and
 * @pulumi/pulumi the Node language host it builds. Needs no engine.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../support/offline";

const script = fs.readFileSync(path.join(PROJECT_DIR, "scripts", "engine-env.sh"), "utf8");
const pinned = (variable: string) => {
  const match = new RegExp(`^${variable}=([0-9.]+)`, "m").exec(script);
  assert.ok(match, `${variable} in scripts/engine-env.sh`);
  return match[1];
};
const manifest = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, dir, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
const installed = (pkg: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "node_modules", pkg, "package.json"), "utf8")) as {
      version: string;
    }
  ).version;

describe("SDK pins equal the engine scripts/engine-env.sh builds", () => {
  const pins: Array<[string, string]> = [
    ["@pulumi/vault", pinned("VAULT_PROVIDER_VERSION")],
    ["@pulumi/random", pinned("RANDOM_VERSION")],
    ["@pulumi/kubernetes", pinned("KUBERNETES_VERSION")],
    ["@pulumi/pulumi", pinned("NODEJS_HOST_VERSION")],
  ];
  for (const [pkg, version] of pins) {
    it(`${pkg} ${version}: package.json, policy/package.json where declared, and node_modules`, () => {
      assert.equal(manifest(".").dependencies[pkg], version);
      const pack = manifest("policy").dependencies[pkg];
      if (pack !== undefined) assert.equal(pack, version);
      assert.equal(installed(pkg), version);
    });
  }
});
