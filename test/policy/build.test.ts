/**
 * The JavaScript the Pulumi CLI loads (`policy/dist/`, committed) is exactly what the
 * TypeScript sources build to, and the build is deterministic.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { DIST_DIR, POLICY_DIR, buildPolicyPack, policySources, staleness } from "../../tools/build-policy";

describe("policy pack build (policy/dist)", () => {
  let built: Map<string, string>;
  before(async () => {
    built = await buildPolicyPack();
  });

  it("is current with the sources (run `npm run build:policy` after editing policy/)", () => {
    assert.deepEqual(staleness(built), []);
  });

  it("builds one .js file per source file", () => {
    assert.deepEqual(
      [...built.keys()].sort(),
      policySources().map((f) => f.replace(/\.ts$/, ".js")),
    );
  });

  it("gives the same bytes on a second build (no timestamps, no absolute paths)", async () => {
    const again = await buildPolicyPack();
    assert.deepEqual([...again], [...built]);
    for (const [file, text] of built) {
      assert.ok(!text.includes(POLICY_DIR), `${file} embeds the build directory`);
      assert.ok(!text.includes("sourceMappingURL"), `${file} points at a source map`);
    }
  });

  it("is what policy/package.json's main points at", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")) as {
      main: string;
    };
    assert.equal(pkg.main, "dist/index.js");
    assert.ok(fs.existsSync(path.join(DIST_DIR, "index.js")));
  });

  it("exports the same policies as the sources", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fromJs = require(path.join(DIST_DIR, "policies")) as { policies: { name: string }[] };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fromTs = require(path.join(POLICY_DIR, "policies")) as { policies: { name: string }[] };
    assert.deepEqual(
      fromJs.policies.map((p) => p.name),
      fromTs.policies.map((p) => p.name),
    );
  });
});
