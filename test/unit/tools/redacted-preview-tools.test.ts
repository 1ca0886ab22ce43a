/**
 * The two commands a pull request's preview stands on (issue 23): npm run state:redact (the
 * deploy job's copy of the state, without any secret value or key) and npm run
 * preview:stack-file (the stack file without its secrets provider and secure values). In
 * process on hand-made exports; the real engine's exports go through them in
 * test/engine/redacted-preview.test.ts.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { previewStackFile, withoutSecureValues } from "../../../tools/operator/preview-stack-file";
import { redactState, stateRedact } from "../../../tools/operator/state-redact";
import { capture } from "../../support/command-output";
import { PROJECT_DIR } from "../../support/offline";

const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const MARKER = { ...SIG, plaintext: '"[secret]"' };

/** An export as the CLI prints it: ciphertext secrets, plaintext ones (--show-secrets), nested ones. */
const exported = () => ({
  version: 3,
  deployment: {
    manifest: { time: "2026-12-06T00:00:00Z", magic: "m", version: "v3.274.1" },
    secrets_providers: {
      type: "awskms",
      state: { url: "awskms://alias/x", encryptedkey: "AQICAHh-ENCRYPTED-KEY" },
    },
    resources: [
      {
        urn: "urn:pulumi:prod::secrets-platform::vault:index/provider:Provider::p",
        type: "pulumi:providers:vault",
        inputs: {
          address: "https://vault:8200",
          token: { ...SIG, ciphertext: "v1:nonce:CIPHERTEXT-OF-TOKEN" },
        },
        outputs: { token: { ...SIG, plaintext: '"hvs.a-real-looking-token"' } },
      },
      {
        urn: "urn:pulumi:prod::secrets-platform::random:index/randomPassword:RandomPassword::pw",
        type: "random:index/randomPassword:RandomPassword",
        inputs: { length: 32 },
        outputs: {
          length: 32,
          result: { ...SIG, ciphertext: "v1:n2:CIPHERTEXT-OF-PASSWORD" },
          list: [{ ...SIG, plaintext: "[1,2]" }],
        },
      },
    ],
    pending_operations: [
      { type: "updating", resource: { inputs: { x: { ...SIG, ciphertext: "v1:n3:PENDING" } } } },
    ],
  },
});

describe("npm run state:redact", () => {
  it("replaces every secret value (ciphertext or plaintext, nested or pending) by the marker, kept a secret", () => {
    const { document, secrets } = redactState(exported());
    assert.equal(secrets, 5);
    const text = JSON.stringify(document);
    for (const gone of [
      "CIPHERTEXT-OF-TOKEN",
      "hvs.a-real-looking-token",
      "CIPHERTEXT-OF-PASSWORD",
      "[1,2]",
      "PENDING",
      "ENCRYPTED-KEY",
      "ciphertext",
    ])
      assert.ok(!text.includes(gone), gone);
    const [provider, password] = document.deployment.resources as Array<
      Record<string, Record<string, unknown>>
    >;
    assert.deepEqual(provider.inputs.token, MARKER);
    assert.deepEqual(password.outputs.result, MARKER);
    assert.deepEqual(password.outputs.list, [MARKER]);
    assert.equal(password.outputs.length, 32, "non-secret values stay");
    assert.equal(provider.inputs.address, "https://vault:8200");
  });

  it("drops the secrets provider's state, and names the job's passphrase provider only when asked", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sp-redact-"));
    try {
      const input = path.join(tmp, "export.json");
      fs.writeFileSync(input, JSON.stringify(exported()));
      const plain = capture(stateRedact, "--in", input);
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal(JSON.parse(plain.stdout).deployment.secrets_providers, undefined);
      assert.match(plain.stderr, /5 secret values replaced/);

      const stackFile = path.join(tmp, "Pulumi.prod.yaml");
      fs.writeFileSync(stackFile, "encryptionsalt: v1:SALT:v1:abc:def\nconfig: {}\n");
      const out = path.join(tmp, "import.json");
      const adopted = capture(stateRedact, "--in", input, "--out", out, "--passphrase-stack-file", stackFile);
      assert.equal(adopted.code, 0, adopted.stderr);
      assert.equal(adopted.stdout, "");
      assert.deepEqual(JSON.parse(fs.readFileSync(out, "utf8")).deployment.secrets_providers, {
        type: "passphrase",
        state: { salt: "v1:SALT:v1:abc:def" },
      });
      assert.equal(fs.statSync(out).mode & 0o077, 0, "only its owner reads the file");

      fs.writeFileSync(stackFile, "secretsprovider: awskms://alias/x\n");
      const noSalt = capture(stateRedact, "--in", input, "--passphrase-stack-file", stackFile);
      assert.equal(noSalt.code, 2);
      assert.match(noSalt.stderr, /no encryptionsalt/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("keeps a version 4 export's version and features; refuses what is not a version 3 or 4 export", () => {
    const v4 = { ...exported(), version: 4, features: ["replaceWith"] };
    const { document } = redactState(v4);
    assert.equal(document.version, 4);
    assert.deepEqual(document.features, ["replaceWith"]);
    assert.throws(() => redactState({ version: 2, deployment: {} }), /version 3 or 4 \(version 2\)/);
    assert.throws(() => redactState([]), /version 3 or 4/);
  });
});

describe("npm run preview:stack-file", () => {
  it("drops the secrets provider and every secure value of a shipped stack file, printing their keys", () => {
    const shipped = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8");
    const { text, keys } = withoutSecureValues(shipped, "Pulumi.prod.yaml");
    const before = YAML.parse(shipped) as { config: Record<string, unknown> };
    const after = YAML.parse(text) as Record<string, unknown> & { config: Record<string, unknown> };
    const secure = Object.keys(before.config).filter(
      (k) => (before.config[k] as { secure?: string })?.secure,
    );
    assert.ok(secure.length >= 3);
    assert.deepEqual(keys, secure);
    assert.doesNotMatch(text, /^[^#]*\b(secure|secretsprovider|encryptedkey|encryptionsalt):/m);
    for (const k of ["secretsprovider", "encryptedkey", "encryptionsalt"])
      assert.equal(after[k], undefined, k);
    for (const [k, v] of Object.entries(before.config))
      if (!secure.includes(k)) assert.deepEqual(after.config[k], v, `${k} unchanged`);
  });

  it("names nested secure values in `pulumi config set --path` syntax", () => {
    const { keys, text } = withoutSecureValues(
      [
        "encryptionsalt: v1:x",
        "config:",
        "  p:top:",
        "    secure: AAA",
        "  p:obj:",
        "    inner:",
        "      secure: BBB",
        "    list:",
        "      - plain",
        "      - secure: CCC",
        "    odd.key:",
        "      secure: DDD",
      ].join("\n"),
      "f",
    );
    assert.deepEqual(keys, ["p:top", "p:obj.inner", "p:obj.list[1]", 'p:obj["odd.key"]']);
    assert.deepEqual(YAML.parse(text), { config: { "p:obj": { list: ["plain"] } } });
  });

  it("rewrites the file in place and prints one key per line; a missing file is exit 2", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sp-stackfile-"));
    try {
      const file = path.join(tmp, "Pulumi.dev.yaml");
      fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), file);
      fs.copyFileSync(file, `${file}.orig`);
      const r = capture(previewStackFile, "--stack-file", file);
      assert.equal(r.code, 0, r.stderr);
      const shipped = YAML.parse(fs.readFileSync(`${file}.orig`, "utf8")) as {
        config: Record<string, { secure?: string }>;
      };
      const secure = Object.keys(shipped.config).filter((k) => shipped.config[k]?.secure);
      assert.ok(secure.length > 0);
      assert.deepEqual(r.stdout.trim().split("\n"), secure);
      assert.ok(!fs.readFileSync(file, "utf8").includes("secure:"));
      assert.equal(capture(previewStackFile, "--stack-file", path.join(tmp, "none.yaml")).code, 2);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
