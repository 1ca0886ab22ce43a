/**
 * A pull request's preview without the stack's key, under the real Pulumi engine (issue 23):
 * the shipped `local` stack (without its `eso` section) is deployed in one checkout; its export
 * goes through `npm run state:redact` as the deploy job runs it; a second checkout, sharing
 * nothing with the first but the committed files and that redacted file, runs
 * scripts/ci/preview-redacted.sh as the preview job does (its own DIY backend, a passphrase made
 * in the script, random stand-ins for the secure config values), and `pulumi preview
 * --policy-pack` of the program reports every deployed resource, none created or deleted.
 *
 * The redacted file is searched with the leak detector for every secret the deploy knew: the
 * config secrets, every plaintext of a secret in the state and every ciphertext of the export.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { secretsIn } from "../support/secret-leaks";
import { type Engine, fileBackend, Project, requirePulumi, runProcess } from "./cli";
import {
  copyCommittedFiles,
  type LocalPlatform,
  POLICY,
  STACK,
  STACK_FILE,
  startLocalPlatform,
} from "./local-platform";

const SIG_KEY = "4dabf18193072939515e22adb298388d";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Calls `visit` with every secret envelope below `value`. */
function envelopes(value: Json, visit: (e: { [key: string]: Json }) => void): void {
  if (Array.isArray(value)) value.forEach((v) => envelopes(v, visit));
  else if (value !== null && typeof value === "object") {
    if (SIG_KEY in value) visit(value);
    else Object.values(value).forEach((v) => envelopes(v, visit));
  }
}

/** Every string below a decoded secret (its plaintext is JSON). */
function stringsOf(value: Json): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsOf);
  return [];
}

/**
 * The `Resources:` summary of a text preview: "to update" → 3, "unchanged" → 40, … With changes
 * the CLI ends it with "6 changes. 55 unchanged" on one line.
 */
function summary(output: string): Record<string, number> {
  const block = output.slice(output.lastIndexOf("Resources:"));
  return Object.fromEntries(
    [
      ...block.matchAll(
        /^\s+(?:[~+\-±]*\s*|\d+ changes?\. )(\d+) (to create|to update|to delete|to replace|unchanged)$/gm,
      ),
    ].map(([, n, op]) => [op, Number(n)]),
  );
}

describe("a pull request's preview against the redacted state of the deployed local stack", function () {
  this.timeout(900_000);
  let engine: Engine;
  let platform: LocalPlatform;
  let backend: ReturnType<typeof fileBackend>;
  let deployed: Project;
  let reviewer: Project | undefined;
  let stackFile: string;
  let redactedFile: string;
  let exported: Json;

  before(async function () {
    engine = requirePulumi(this);
    platform = await startLocalPlatform(this, { eso: false });
    backend = fileBackend();
    deployed = Project.create(engine, backend.url, "redact-deploy", platform.env);
    stackFile = await platform.initStack(deployed);
    await deployed.run(["up", "--yes", "--stack", STACK, ...POLICY]);
  });

  after(async () => {
    await deployed?.run(["destroy", "--yes", "--stack", STACK]).catch(() => undefined);
    await platform?.stop();
    deployed?.remove();
    reviewer?.remove();
    backend?.remove();
  });

  it("npm run state:redact leaves no secret value, no ciphertext and no secrets provider", async () => {
    // As deploy-stack.yml does: the export (ciphertexts), then the command over it.
    const exportFile = path.join(deployed.tmp, "export.json");
    await deployed.run(["stack", "export", "--stack", STACK, "--file", exportFile]);
    exported = JSON.parse(fs.readFileSync(exportFile, "utf8")) as Json;
    redactedFile = path.join(deployed.tmp, "redacted-state.json");
    const redact = await runProcess(
      "npm",
      ["run", "-s", "state:redact", "--", "--in", exportFile, "--out", redactedFile],
      { cwd: deployed.dir, env: deployed.runEnv() },
    );
    assert.equal(redact.code, 0, `${redact.stderr}\n${fs.readFileSync(exportFile, "utf8").slice(0, 300)}`);
    const redacted = JSON.parse(fs.readFileSync(redactedFile, "utf8")) as Json;

    // What the deploy knew: the plaintext of every secret (kept in memory, never printed), and
    // what the export carries of them (ciphertexts, the encrypted key or salt).
    const revealed = JSON.parse(
      (await deployed.run(["stack", "export", "--show-secrets", "--stack", STACK])).stdout,
    ) as Json;
    const ciphertexts: string[] = [];
    envelopes(exported, (e) => ciphertexts.push(String(e.ciphertext)));
    const plaintexts: string[] = [];
    envelopes(revealed, (e) => plaintexts.push(...stringsOf(JSON.parse(String(e.plaintext)) as Json)));
    assert.ok(ciphertexts.length > 5, `the deployed state holds secrets (${ciphertexts.length})`);
    // A value that is also a non-secret input or output elsewhere (e.g. a user name) is not
    // secret; the rest must be gone.
    const outside = JSON.stringify(revealed, (_key, v: Json) =>
      v && typeof v === "object" && SIG_KEY in v ? null : v,
    );
    const secrets = [
      ...platform.configSecrets.values(),
      ...ciphertexts,
      ...plaintexts.filter((p) => p.length >= 8 && !outside.includes(p)),
      ...Object.values(
        (
          JSON.parse(JSON.stringify(exported)) as {
            deployment: { secrets_providers?: { state?: Record<string, string> } };
          }
        ).deployment.secrets_providers?.state ?? {},
      ),
    ];
    assert.ok(secrets.length > ciphertexts.length, "plaintexts to look for");
    assert.deepEqual(secretsIn(redacted, secrets), []);
    assert.ok(!JSON.stringify(redacted).includes("secrets_providers"));
    let markers = 0;
    envelopes(redacted, (e) => {
      assert.deepEqual(e, { [SIG_KEY]: "1b47061264138c4ac30d75fd1eb44270", plaintext: '"[secret]"' });
      markers += 1;
    });
    assert.equal(markers, ciphertexts.length, "every secret is still a secret, as the marker");
  });

  it("a checkout with only the committed files and the redacted state previews it with the policy pack, without the stack's key", async () => {
    assert.ok(redactedFile, "the redacted state of the test above");
    const reviewerBackend = fileBackend(); // never used: the script logs in to its own
    reviewerBackend.remove();
    reviewer = Project.create(engine, reviewerBackend.url, "redact-preview", platform.env);
    reviewer.write(STACK_FILE, stackFile);
    copyCommittedFiles(deployed, reviewer);
    const state = path.join(reviewer.tmp, "redacted-state.json");
    fs.copyFileSync(redactedFile, state);
    // The preview job's environment: no passphrase of the deploy, no Pulumi token.
    const env = reviewer.runEnv({ RUNNER_TEMP: reviewer.tmp });
    delete env.PULUMI_CONFIG_PASSPHRASE;
    delete env.PULUMI_ACCESS_TOKEN;
    // Text output, as the PR comment shows it.
    const preview = await runProcess("bash", ["scripts/ci/preview-redacted.sh", STACK, state, ...POLICY], {
      cwd: reviewer.dir,
      env,
    });
    assert.equal(preview.code, 0, `${preview.stdout.slice(-4000)}\n${preview.stderr.slice(-4000)}`);
    assert.deepEqual(
      secretsIn({ out: preview.stdout, err: preview.stderr }, [...platform.configSecrets.values()]),
      [],
    );
    const real = await deployed.run(["preview", "--stack", STACK, ...POLICY]);
    const [withKey, without] = [summary(real.stdout), summary(preview.stdout)];
    for (const op of ["to create", "to delete"])
      assert.equal(without[op] ?? 0, 0, `${op}: ${JSON.stringify(without)}`);
    // Replaced: exactly the rotate-root endpoints. Their trigger is a digest of the database
    // connection's seed, and the preview's random stand-in seeds differ from the deploy's.
    const rotateRoots = JSON.stringify(exported).match(
      /"urn":"[^"]*vault:generic\/endpoint:Endpoint::[^"]*-rotate-root"/g,
    );
    assert.equal(without["to replace"] ?? 0, rotateRoots?.length ?? 0, JSON.stringify(without));
    assert.ok((without.unchanged ?? 0) > 0, JSON.stringify(without));
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    assert.equal(
      total(without),
      total(withKey),
      `the same resources: ${JSON.stringify({ withKey, without })}`,
    );
    // The checkout's stack file now names the job's passphrase, not the deploy's salt.
    assert.notEqual(reviewer.read(STACK_FILE), stackFile);
  });
});
