/**
 * ci.yml runs .ci/run where users host the repository (issue 23): it provides what .ci/run
 * otherwise takes from ../shared (scripts/shared-env.sh, pinned to the same versions the
 * build scripts check), pins every action by commit with its tag in a comment, and leaves no
 * job token in .git/config.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";

const PROJECT_DIR = path.join(__dirname, "..", "..", "..");
const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

const CI_YML = ".github/workflows/ci.yml";
const steps = (): Step[] => (YAML.parse(read(CI_YML)) as { jobs: { ci: { steps: Step[] } } }).jobs.ci.steps;

/** `<folder>` of each `source_at <folder> …` in scripts/shared-env.sh. */
const sharedFolders = () =>
  [...read("scripts/shared-env.sh").matchAll(/^source_at (\S+) /gm)].map(([, f]) => f);

/** A bash variable's value in a script (`NAME=value`). */
function scriptVariable(script: string, name: string): string {
  const value = new RegExp(`^${name}=(\\S+)`, "m").exec(read(script))?.[1];
  assert.ok(value, `${script} sets no ${name}`);
  return value;
}

describe("ci.yml", () => {
  it("pins every action by a full commit SHA, with its version tag in a comment", () => {
    const lines = read(CI_YML)
      .split("\n")
      .filter((l) => /^\s*-?\s*uses:/.test(l));
    assert.ok(lines.length >= 4);
    for (const line of lines)
      assert.match(line, /uses: [\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, line.trim());
  });

  it("checks out without persisting the job token", () => {
    const checkout = steps().find((s) => s.uses?.startsWith("actions/checkout@"));
    assert.equal(checkout?.with?.["persist-credentials"], false);
  });

  it("fetches the ../shared sources with scripts/shared-env.sh and points .ci/run at them", () => {
    const all = steps();
    const fetch = all.findIndex((s) => s.run === 'bash scripts/shared-env.sh "$RUNNER_TEMP/shared"');
    const run = all.findIndex((s) => s.run === "bash .ci/run");
    assert.ok(fetch >= 0 && run > fetch, "shared-env.sh runs before .ci/run");
    assert.deepEqual(all[run].env, { CI: "true", SP_SHARED_DIR: "${{ runner.temp }}/shared" });
  });
});

describe("scripts/shared-env.sh provides what the build scripts read from ../shared", () => {
  it("every chart folder scripts/charts-env.sh copies, and only files scripts/charts.sha256 lists", () => {
    const chartFolders = [...read("scripts/charts-env.sh").matchAll(/^\s+\[[\w-]+\]=(\S+)/gm)].map(
      ([, f]) => `charts/${f}`,
    );
    assert.equal(chartFolders.length, 4);
    const summed = new Set(
      read("scripts/charts.sha256")
        .trim()
        .split("\n")
        .map((l) => `charts/${l.split("  ./")[1].split("/")[0]}`),
    );
    assert.deepEqual([...summed].sort(), [...chartFolders].sort());
    for (const f of chartFolders) assert.ok(sharedFolders().includes(f), `shared-env.sh does not fetch ${f}`);
  });

  it("every source tree scripts/engine-env.sh checks, at the versions it pins", () => {
    const script = "scripts/engine-env.sh";
    const versions: Record<string, string> = {};
    for (const name of [
      "NODEJS_HOST_VERSION",
      "RANDOM_VERSION",
      "VAULT_PROVIDER_VERSION",
      "TF_VAULT_VERSION",
    ])
      versions[name] = scriptVariable(script, name);
    const trees = [...read(script).matchAll(/^\s+\[([\w/.$-]+)\]=[0-9a-f]{64}$/gm)].map(([, key]) =>
      key.replace(/\$(\w+)/g, (_, v: string) => versions[v]),
    );
    assert.equal(trees.length, 4);
    for (const t of trees) assert.ok(sharedFolders().includes(t), `shared-env.sh does not fetch ${t}`);
  });

  it("each source at a full commit SHA with the tag that names it", () => {
    const calls = [...read("scripts/shared-env.sh").matchAll(/^source_at (\S+) (\S+) (\S+) \\\n\s+(\S+) /gm)];
    assert.equal(calls.length, sharedFolders().length);
    for (const [, folder, , tag, commit] of calls) {
      assert.match(commit, /^[0-9a-f]{40}$/, folder);
      // The folder names the version its tag does.
      assert.ok(folder.endsWith(tag.replace(/^(v|chart-v|helm-chart-)/, "")), `${folder} vs ${tag}`);
    }
  });
});
