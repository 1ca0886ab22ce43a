/**
 * The leak detector (test/support/secret-leaks.ts) finds stand-in secrets by their markers, so
 * it must know every marker in use: a new stand-in that it does not know would pass every
 * leak check unseen. This finds the stand-ins in tests, tools and stack files.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { SECRET_MARKERS } from "../support/secret-leaks";

const PROJECT_DIR = path.join(__dirname, "..", "..");

/** Words that say a value stands in for a secret. */
const STAND_IN = /placeholder|stand-in|dummy|replace-me|fake-secret|not-a-secret|mock-generated/i;

/**
 * Stand-in values in TypeScript source: string literals (or a template literal's text before
 * its first `${`) of one hyphenated token with a stand-in word in it.
 */
export function standInsInSource(source: string): string[] {
  const literals = [...source.matchAll(/(["'`])([^\s"'`$]*?)(?:\1|\$\{)/g)].map(([, , text]) => text);
  return literals.filter((t) => t.includes("-") && STAND_IN.test(t) && !t.startsWith("."));
}

/** The `secure:` values of a stack file. */
const secureValues = (yaml: string) => [...yaml.matchAll(/^\s*secure:\s*(\S+)/gm)].map(([, v]) => v);

const known = (value: string) => SECRET_MARKERS.some((m) => value.startsWith(m) || m.startsWith(value));

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(PROJECT_DIR, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(dir, f));
}

describe("the leak detector knows every secret stand-in marker", () => {
  const files = [...sourceFiles("test"), ...sourceFiles("tools")];

  it("every stand-in value in tests and tools starts with a known marker", () => {
    const unknown = files.flatMap((f) =>
      standInsInSource(fs.readFileSync(path.join(PROJECT_DIR, f), "utf8"))
        .filter((v) => !known(v))
        .map((v) => `${f}: ${v}`),
    );
    assert.deepEqual(unknown, []);
  });

  it("every secure value of the shipped stack files starts with a known marker", () => {
    const stacks = fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\.\w+\.yaml$/.test(f));
    assert.ok(stacks.length >= 4, stacks.join(", "));
    for (const f of stacks)
      for (const v of secureValues(fs.readFileSync(path.join(PROJECT_DIR, f), "utf8")))
        assert.ok(known(v), `${f}: secure value ${v} starts with no marker the leak detector knows`);
  });

  it("finds the markers in use (so the checks above can fail)", () => {
    const found = new Set(
      files.flatMap((f) => standInsInSource(fs.readFileSync(path.join(PROJECT_DIR, f), "utf8"))),
    );
    for (const marker of [
      "test-placeholder-for-",
      "offline-placeholder-for-",
      "pul-stand-in-token-for-tests",
    ])
      assert.ok(
        [...found].some((v) => v.startsWith(marker)),
        marker,
      );
    // Built from parts: as a literal here, it would be found by the first test.
    const unknownStandIn = ["my", "new", "placeholder", "token"].join("-");
    assert.deepEqual(standInsInSource(`const t = "${unknownStandIn}";`), [unknownStandIn]);
    assert.ok(!known(unknownStandIn));
  });
});
