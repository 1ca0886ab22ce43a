/**
 * scripts/kube-env.sh refuses bad set-up clearly, before taking its lock, building or starting
 * anything: an unknown argument and a missing toolchain.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../support/offline";

const SCRIPT = path.join(PROJECT_DIR, "scripts", "kube-env.sh");

function run(args: string[], env: Record<string, string>) {
  return spawnSync("bash", [SCRIPT, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("scripts/kube-env.sh on a bad set-up", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-kube-env-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("an unknown argument is refused with the usage", () => {
    const result = run(["--bogus"], { XDG_CACHE_HOME: path.join(dir, "cache") });
    assert.notEqual(result.status, 0);
    assert.match(
      result.stderr,
      /kube-env: unknown argument '--bogus' \(usage: kube-env.sh \[--build-only\]\)/,
    );
  });

  it("without Go it names the missing toolchain, builds and starts nothing", () => {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    for (const tool of ["bash", "dirname", "mkdir", "flock", "sed"]) {
      const found = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
      fs.symlinkSync(found, path.join(bin, tool));
    }
    const cache = path.join(dir, "empty-cache");
    const result = run([], { PATH: bin, XDG_CACHE_HOME: cache });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /kube-env: Go is not installed/);
    assert.ok(!fs.existsSync(path.join(cache, "secrets-platform", "kube")), "nothing built");
  });
});
