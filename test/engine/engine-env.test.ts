/**
 * scripts/engine-env.sh refuses bad set-up clearly, before building or installing anything:
 * a missing toolchain, and sources whose checksum is not the pinned one.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../support/offline";
import { missingEngine } from "../integration/engines";

const SCRIPT = path.join(PROJECT_DIR, "scripts", "engine-env.sh");
const SHARED = process.env.SP_SHARED_DIR ?? path.join(PROJECT_DIR, "..", "shared");
const HOST_SOURCE = "tools/pulumi-language-nodejs-3.248.0";

function run(env: Record<string, string>) {
  return spawnSync("bash", [SCRIPT], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 120_000 });
}

describe("scripts/engine-env.sh on a bad set-up", () => {
  let dir: string;
  before(function () {
    if (!fs.existsSync(path.join(SHARED, HOST_SOURCE))) {
      const message = `no ${HOST_SOURCE} in ${SHARED} (../shared beside the checkout)`;
      missingEngine(this, message);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-engine-env-"));
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("without Go it names the missing toolchain and stops", () => {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    for (const tool of ["bash", "dirname", "mkdir", "flock"]) {
      const found = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
      fs.symlinkSync(found, path.join(bin, tool));
    }
    const result = run({ PATH: bin });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /Go is not installed/);
  });

  it("a source that differs from its pinned checksum is refused, naming the directory", () => {
    // A copy of ../shared whose language-host source has one changed byte.
    const shared = path.join(dir, "shared");
    fs.cpSync(path.join(SHARED, HOST_SOURCE), path.join(shared, HOST_SOURCE), { recursive: true });
    fs.appendFileSync(path.join(shared, HOST_SOURCE, "main.go"), "\n");
    // Every ../shared source is checked before the first build step.
    const result = run({ SP_SHARED_DIR: shared, XDG_CACHE_HOME: path.join(dir, "empty-cache") });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, new RegExp(`checksum mismatch for ${shared}/${HOST_SOURCE}`));
    assert.ok(
      !fs.existsSync(path.join(dir, "empty-cache", "secrets-platform", "engine", "pulumi")),
      "nothing built",
    );
  });
});
