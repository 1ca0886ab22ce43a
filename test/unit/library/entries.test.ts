/**
 * The library's entry modules have no side effects at import: each one, imported in a fresh
 * Node process under Pulumi's mock runtime, registers no resource (providers included) and
 * reads no configuration. A control module that reads one config key and constructs one
 * provider is caught by the same probe, so the probe can fail.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { entryModules } from "../../../tools/build-library";
import { PROJECT_DIR } from "../../support/offline";

/** Run in the child: mocks on, config reads and registrations counted, then `require(module)`. */
const PROBE = `
const pulumi = require("@pulumi/pulumi");
const runtimeConfig = require("@pulumi/pulumi/runtime/config");
const seen = { registered: [], configReads: [] };
const getConfig = runtimeConfig.getConfig;
runtimeConfig.getConfig = (key) => { seen.configReads.push(key); return getConfig(key); };
pulumi.runtime.setMocks({
  newResource: (args) => { seen.registered.push(args.type); return { id: args.name + "-id", state: args.inputs }; },
  call: (args) => { seen.registered.push("call " + args.token); return {}; },
}, "probe", "probe", true).then(async () => {
  const exported = require(process.argv[1]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  process.stdout.write(JSON.stringify({ ...seen, exports: Object.keys(exported).sort() }));
});
`;

interface Probe {
  readonly registered: string[];
  readonly configReads: string[];
  readonly exports: string[];
}

function probe(modulePath: string): Probe {
  const stdout = execFileSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "-e", PROBE, modulePath],
    {
      cwd: PROJECT_DIR,
      encoding: "utf8",
      env: { ...process.env, PULUMI_CONFIG: JSON.stringify({ "probe:key": "value" }) },
    },
  );
  return JSON.parse(stdout) as Probe;
}

describe("library entry modules: no side effects at import (fresh process, mock runtime)", function () {
  this.timeout(300_000);

  it("the probe catches a module that reads config and constructs a provider (control)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-entry-probe-"));
    try {
      const control = path.join(dir, "control.ts");
      fs.writeFileSync(
        control,
        [
          `import * as pulumi from ${JSON.stringify(require.resolve("@pulumi/pulumi"))};`,
          `import * as vault from ${JSON.stringify(require.resolve("@pulumi/vault"))};`,
          `export const key = new pulumi.Config("probe").get("key");`,
          `export const provider = new vault.Provider("eager", { address: "http://127.0.0.1:1" });`,
        ].join("\n"),
      );
      const seen = probe(control);
      assert.deepEqual(seen.configReads, ["probe:key"]);
      assert.deepEqual(seen.registered, ["pulumi:providers:vault"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const entry of entryModules()) {
    it(`${path.relative(PROJECT_DIR, entry)} registers nothing and reads no config`, () => {
      const seen = probe(entry);
      assert.deepEqual(seen.registered, []);
      assert.deepEqual(seen.configReads, []);
      assert.ok(seen.exports.length > 0, "the entry exports nothing");
    });
  }
});
