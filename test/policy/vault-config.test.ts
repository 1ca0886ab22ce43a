/**
 * vault-helm-require-tls on Vault server configuration written outside the chart's values and
 * the pod spec: a ConfigMap's or Secret's values (mounted as the server's config file), under
 * any key, in every type of the SDK that holds such data and their patches (the list is derived
 * from the SDK in sdk-resource-types.test.ts), plus the
 * `VAULT_LOCAL_CONFIG` variable and the chart's `server.*.config`, in every spelling Vault reads
 * as "TLS off". Scope is decided by content: what parses as a Vault configuration with a
 * listener. Resources are registered with the real @pulumi/kubernetes classes (mock runtime).
 */
import assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import { vaultHelmRequireTls as RULE } from "../../policy/policies";
import { readVaultConfig, vaultTrue } from "../../policy/lib/vault-config";
import { evaluatePolicies } from "../../tools/offline/gate";
import type { RecordedResource } from "../../tools/offline/types";
import { recordResources } from "../support/offline";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: string };

const found = async (resources: readonly RecordedResource[]) =>
  (await evaluatePolicies(resources, { environment: "prod", policies: [RULE] })).map(
    (v) => `${v.enforcementLevel}: ${v.message}`,
  );

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** One resource of each kind holding `text` under `key` in the field a team would use. */
const holders: Record<string, (key: string, text: string) => unknown> = {
  "ConfigMap data": (key, text) =>
    new k8s.core.v1.ConfigMap("settings", { metadata: { name: "settings" }, data: { [key]: text } }),
  "ConfigMap binaryData": (key, text) =>
    new k8s.core.v1.ConfigMap("settings", {
      metadata: { name: "settings" },
      binaryData: { [key]: b64(text) },
    }),
  "Secret stringData": (key, text) =>
    new k8s.core.v1.Secret("settings", { metadata: { name: "settings" }, stringData: { [key]: text } }),
  "Secret data": (key, text) =>
    new k8s.core.v1.Secret("settings", { metadata: { name: "settings" }, data: { [key]: b64(text) } }),
  "ConfigMapPatch data": (key, text) =>
    new k8s.core.v1.ConfigMapPatch("settings", { metadata: { name: "settings" }, data: { [key]: text } }),
  "SecretPatch stringData": (key, text) =>
    new k8s.core.v1.SecretPatch("settings", { metadata: { name: "settings" }, stringData: { [key]: text } }),
  "SecretPatch data": (key, text) =>
    new k8s.core.v1.SecretPatch("settings", { metadata: { name: "settings" }, data: { [key]: b64(text) } }),
};

const PLAIN_SERVER = [
  "ui = true",
  'listener "tcp" {',
  '  address     = "[::]:8200"',
  "  tls_disable = 1",
  "}",
  'storage "raft" {',
  '  path = "/vault/data"',
  "}",
  "",
].join("\n");

const TLS_SERVER = PLAIN_SERVER.replace(
  "tls_disable = 1",
  'tls_disable = false\n  tls_cert_file = "/vault/tls/tls.crt"\n  tls_key_file = "/vault/tls/tls.key"',
);

describe("vault-helm-require-tls on Vault configuration in ConfigMaps, Secrets and variables", function () {
  this.timeout(60_000);

  it("reads tls_disable as Vault's ParseBool does", () => {
    for (const v of [true, 1, 2, -1, "1", "t", "T", "true", "TRUE", "True"])
      assert.ok(vaultTrue(v), String(v));
    for (const v of [false, 0, "0", "false", "f", "", "yes", "on", undefined, null])
      assert.ok(!vaultTrue(v), String(v));
  });

  it("reads the listener forms Vault accepts: labelled, `type =`, JSON, any key case, several listeners", async () => {
    const plain = async (text: string) => {
      const r = await readVaultConfig(text);
      return r.kind === "config" ? r.plain.map((l) => l.address) : r.kind;
    };
    assert.deepEqual(await plain(PLAIN_SERVER), ["[::]:8200"]);
    assert.deepEqual(await plain('listener "TCP" {\n  TLS_DISABLE = "true"\n}\n'), ["127.0.0.1:8200"]);
    assert.deepEqual(await plain('LISTENER tcp {\n  Tls_Disable = "t"\n}\n'), ["127.0.0.1:8200"]);
    assert.deepEqual(await plain('listener {\n  type = "tcp"\n  tls_disable = true\n}\n'), [
      "127.0.0.1:8200",
    ]);
    assert.deepEqual(
      await plain(JSON.stringify({ listener: { tcp: { address: "0.0.0.0:8200", tls_disable: "1" } } })),
      ["0.0.0.0:8200"],
    );
    assert.deepEqual(
      await plain(
        JSON.stringify({
          listener: [{ tcp: { address: "a:1" } }, { tcp: { address: "b:1", tls_disable: 1 } }],
        }),
      ),
      ["b:1"],
    );
    assert.deepEqual(await plain(JSON.stringify({ listener: { type: "tcp", tls_disable: true } })), [
      "127.0.0.1:8200",
    ]);
    // A second listener with TLS does not make up for the first.
    assert.deepEqual(
      await plain(`${TLS_SERVER}listener "tcp" {\n  address = "0.0.0.0:8300"\n  tls_disable = "1"\n}\n`),
      ["0.0.0.0:8300"],
    );
    // Unix sockets have no TLS to disable.
    assert.deepEqual(
      await plain('listener "unix" {\n  address = "/run/vault.sock"\n  tls_disable = 1\n}\n'),
      [],
    );
    assert.deepEqual(await plain(TLS_SERVER), []);
  });

  it("tells a Vault configuration from other text", async () => {
    for (const text of [
      "key: value\nother: 1\n",
      "hello world",
      'seal "awskms" {\n  region = "x"\n}\n',
      "[secret]",
    ])
      assert.deepEqual(await readVaultConfig(text), { kind: "none" }, text);
    // Boundary's controller and worker read the same listener syntax.
    assert.deepEqual(
      await readVaultConfig(
        'controller {\n  name = "c"\n}\nlistener "tcp" {\n  purpose = "api"\n  tls_disable = true\n}\n',
      ),
      { kind: "none" },
    );
    for (const text of [
      'listener "tcp" { address = "0.0.0.0:8200", tls_disable = 1 }', // HCL 1 only: commas in one line
      '{"listener": {"tcp": {"tls_disable": 1}}', // JSON cut short
    ])
      assert.deepEqual(await readVaultConfig(text), { kind: "unparsed" }, text);
  });

  for (const [holder, make] of Object.entries(holders)) {
    it(`flags a plain-HTTP server config in a ${holder} under any key`, async () => {
      for (const key of ["server.hcl", "extraconfig-from-values.hcl", "app.conf", "settings"]) {
        const messages = await found(await recordResources(() => make(key, PLAIN_SERVER)));
        assert.equal(messages.length, 1, `${key}: ${messages.join("\n")}`);
        assert.match(
          messages[0],
          /^mandatory: .*\.\S+ sets tls_disable = 1 on the tcp listener at \[::\]:8200/,
        );
        assert.ok(messages[0].includes(key), messages[0]);
      }
    });

    it(`passes a ${holder} whose Vault config serves TLS, or that holds no Vault config`, async () => {
      for (const text of [TLS_SERVER, "log_level: debug\n", '{"listener": "not a block"}'])
        assert.deepEqual(await found(await recordResources(() => make("server.hcl", text))), [], text);
    });
  }

  it("flags a value with a listener stanza that does not parse as unverifiable", async () => {
    const messages = await found(
      await recordResources(() =>
        holders["ConfigMap data"](
          "vault.hcl",
          'listener "tcp" { address = "0.0.0.0:8200", tls_disable = 1 }',
        ),
      ),
    );
    assert.deepEqual(messages.length, 1);
    assert.match(
      messages[0],
      /^mandatory: data\.vault\.hcl has a `listener` stanza but does not parse as Vault configuration, so that it serves TLS cannot be verified/,
    );
  });

  it("lets a Vault Agent/Proxy config listen in plain HTTP on loopback only; a server stanza makes it a server's", async () => {
    const agent = (address: string, extra = "") =>
      `${extra}auto_auth {\n  method "kubernetes" {\n    config = { role = "app" }\n  }\n}\ncache {}\nlistener "tcp" {\n  address = "${address}"\n  tls_disable = true\n}\n`;
    const run = (text: string) => recordResources(() => holders["ConfigMap data"]("agent.hcl", text));
    assert.deepEqual(await found(await run(agent("127.0.0.1:8100"))), []);
    assert.deepEqual(await found(await run(agent("[::1]:8100"))), []);
    assert.equal((await found(await run(agent("0.0.0.0:8100")))).length, 1);
    assert.equal(
      (await found(await run(agent("127.0.0.1:8100", 'storage "raft" {\n  path = "/d"\n}\n')))).length,
      1,
    );
  });

  it("judges VAULT_LOCAL_CONFIG as JSON or HCL, in any spelling of true", async () => {
    for (const [config, flagged] of [
      [
        JSON.stringify({
          listener: [{ tcp: { address: "0.0.0.0:8200", tls_disable: "true" } }],
          storage: { file: { path: "/d" } },
        }),
        true,
      ],
      ['listener "tcp" {\n  address = "0.0.0.0:8200"\n  tls_disable = "1"\n}\n', true],
      [JSON.stringify({ listener: [{ tcp: { address: "0.0.0.0:8200", tls_disable: 0 } }] }), false],
    ] as const) {
      const rs = await recordResources(
        () =>
          new k8s.apps.v1.Deployment("kv", {
            spec: {
              selector: { matchLabels: { app: "kv" } },
              template: {
                metadata: { labels: { app: "kv" } },
                spec: {
                  containers: [
                    {
                      name: "kv",
                      image: "hashicorp/vault:1.21.0",
                      command: ["vault", "server"],
                      env: [
                        { name: "VAULT_ADDR", value: "https://127.0.0.1:8200" },
                        { name: "VAULT_LOCAL_CONFIG", value: config },
                      ],
                    },
                  ],
                },
              },
            },
          }),
      );
      const messages = await found(rs);
      assert.equal(messages.length, flagged ? 1 : 0, messages.join("\n"));
      if (flagged)
        assert.match(
          messages[0],
          /VAULT_LOCAL_CONFIG sets tls_disable = "(true|1)" on the tcp listener at 0\.0\.0\.0:8200/,
        );
    }
  });

  it("judges the chart's server config given as an object (rendered as JSON) or text", async () => {
    for (const config of [
      { listener: { tcp: { address: "[::]:8200", tls_disable: "true" } }, storage: { raft: { path: "/v" } } },
      'listener "tcp" {\n  tls_disable = "T"\n}\nstorage "raft" {\n  path = "/v"\n}\n',
    ]) {
      const rs = await recordResources(
        () =>
          new k8s.helm.v3.Release("kv", {
            chart: "hashicorp/vault",
            values: { global: { tlsDisable: false }, server: { standalone: { enabled: true, config } } },
          }),
      );
      const messages = await found(rs);
      assert.equal(messages.length, 1, messages.join("\n"));
      assert.match(
        messages[0],
        /server\.standalone\.config sets tls_disable = "(true|T)" on the tcp listener/,
      );
    }
  });

  it("does not pass a config value unknown during preview: the engine's can't-run advisory", async () => {
    const rs = await recordResources(() => holders["ConfigMap data"]("server.hcl", PLAIN_SERVER));
    const cm = rs.find((r) => r.type === "kubernetes:core/v1:ConfigMap")!;
    (cm.inputs.data as Record<string, unknown>)["server.hcl"] = unknownStringValue;
    const messages = await found(rs);
    assert.equal(messages.length, 1);
    assert.match(messages[0], /^advisory: can't run policy .* during preview/);
  });
});
