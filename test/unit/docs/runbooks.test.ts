/** Runbooks give operators commands, not code to paste: every npm script they run exists. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const PROJECT_DIR = path.join(__dirname, "..", "..", "..");
const RUNBOOKS = path.join(PROJECT_DIR, "docs", "runbooks");
const scripts = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).scripts;

describe("runbooks (docs/runbooks)", () => {
  for (const file of fs.readdirSync(RUNBOOKS).filter((f) => f.endsWith(".md"))) {
    const text = fs.readFileSync(path.join(RUNBOOKS, file), "utf8");

    it(`${file} pastes no program into a shell (no node -e, ts-node -e, python -c)`, () => {
      assert.doesNotMatch(text, /\b(ts-node|node|npx ts-node|python3?)\b[^\n]*\s-(e|c|-eval)\b/);
      assert.doesNotMatch(text, /require\(|console\.log\(/);
    });

    it(`${file} runs only npm scripts package.json defines`, () => {
      for (const [, name] of text.matchAll(/npm run (?:-s )?([\w:-]+)/g))
        assert.ok(scripts[name], `${file} runs npm run ${name}, which package.json does not define`);
    });
  }
});
