/**
 * The operator commands the runbooks use instead of pasted code: npm run sql:bootstrap,
 * npm run vault:deployer-policy and npm run vault:transit-unseal-policy. In process for every case, plus each file run as the npm
 * script runs it (exit codes, stdout only the document).
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { rolesOf } from "../../../components/vault/plan";
import { deployerPolicy, renderPolicy } from "../../../components/vault/policies";
import { dialectOf } from "../../../components/vault/sql";
import { PROJECT_DIR, loadCatalog } from "../../../tools/operator/cli";
import { sqlBootstrap } from "../../../tools/operator/sql-bootstrap";
import { vaultDeployerPolicy } from "../../../tools/operator/vault-deployer-policy";
import { vaultTransitUnsealPolicy } from "../../../tools/operator/vault-transit-unseal-policy";
import { vaultSnapshotRestore } from "../../../tools/operator/vault-snapshot-restore";
import { pgpKeyForVault, vaultInit } from "../../../tools/operator/vault-init";
import { transitUnsealPolicy } from "../../../components/vault/unseal/transit";
import { capture } from "../../support/command-output";

const STACKS = ["dev", "staging", "prod", "local"] as const;

const statementsOf = (sql: string) =>
  sql
    .split("\n")
    .filter((l) => l && !l.startsWith("--"))
    .map((l) => l.replace(/;$/, ""));

describe("operator commands (tools/operator)", () => {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sp-operator-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A copy of a shipped stack file with its catalog edited. */
  const editedStack = (stack: string, edit: (catalog: Record<string, unknown>) => void) => {
    const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8"));
    edit(doc.config["secrets-platform:catalog"]);
    const file = path.join(tmp, `Pulumi.edited-${stack}.yaml`);
    fs.writeFileSync(file, YAML.stringify(doc));
    return file;
  };

  describe("npm run sql:bootstrap", () => {
    it("--help prints the usage and exit codes on stdout, exit 0", () => {
      const r = capture(sqlBootstrap, "--help");
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^usage: npm run -s sql:bootstrap -- \(--stack <name> \| --stack-file <path>\)/);
      assert.match(r.stdout, /--database <name>/);
      assert.match(r.stdout, /Exit codes: 0 printed, 2 invalid input/);
      assert.equal(r.stderr, "");
    });

    for (const stack of STACKS) {
      it(`prints every database of ${stack}, each headed by where to run it, exactly the dialect's statements`, () => {
        const { catalog } = loadCatalog({ stack });
        const r = capture(sqlBootstrap, "--stack", stack);
        assert.equal(r.code, 0, r.stderr);
        const expected = catalog.databases.flatMap((d) => {
          const statics = rolesOf(catalog, d)
            .filter((role) => role.credential === "static")
            .map((role) => ({ username: role.username!, access: role.access }));
          return dialectOf(d).bootstrap(d, statics).statements;
        });
        assert.deepEqual(statementsOf(r.stdout), expected);
        for (const d of catalog.databases)
          assert.ok(
            r.stdout.includes(
              `-- ${d.name} (${d.engine} at ${d.host}:${d.port}): run as the master user, connected to database ${d.database}\n`,
            ),
          );
      });
    }

    it("--database selects one database by its catalog name", () => {
      const r = capture(sqlBootstrap, "--stack", "prod", "--database", "ledger-mysql");
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^-- ledger-mysql \(mysql at /m);
      assert.doesNotMatch(r.stdout, /orders/);
      assert.ok(statementsOf(r.stdout).length > 0);
    });

    it("an unknown database: exit 2 naming it and the stack's databases, nothing on stdout", () => {
      const r = capture(sqlBootstrap, "--stack", "prod", "--database", "orders");
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(
        r.stderr,
        /no database "orders" in stack prod's catalog; its databases are orders-pg \(postgresql, database orders\), ledger-mysql/,
      );
    });

    it("an unknown stack: exit 2 naming it and the stacks there are", () => {
      const r = capture(sqlBootstrap, "--stack", "prdo");
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(
        r.stderr,
        /unknown stack "prdo": no Pulumi\.prdo\.yaml in .*; the stacks here are dev, local, prod, staging/,
      );
      assert.match(r.stderr, /--help explains every option/);
    });

    it("a stack name that is a path is refused, not read", () => {
      const r = capture(sqlBootstrap, "--stack", "../main/prod");
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown stack "\.\.\/main\/prod"/);
    });

    it("arguments: neither or both of --stack/--stack-file, an unknown option, a missing value: exit 2", () => {
      for (const argv of [
        [],
        ["--stack", "dev", "--stack-file", "Pulumi.dev.yaml"],
        ["--stak", "dev"],
        ["--stack"],
      ]) {
        const r = capture(sqlBootstrap, ...argv);
        assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, /^error: /);
        assert.equal(r.stdout, "");
      }
    });

    it("--stack-file: reads any stack file; an invalid catalog is exit 2 with the key path", () => {
      const ok = editedStack("dev", () => undefined);
      assert.equal(capture(sqlBootstrap, "--stack-file", ok).code, 0);
      const bad = editedStack(
        "dev",
        (c) => ((c.databases as Array<Record<string, unknown>>)[0].engine = "oracle"),
      );
      const r = capture(sqlBootstrap, "--stack-file", bad);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /invalid secrets-platform:catalog of stack edited-dev .*databases\[0\]\.engine/);
      const missing = capture(sqlBootstrap, "--stack-file", path.join(tmp, "Pulumi.none.yaml"));
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /Pulumi\.none\.yaml: no such file/);
    });

    it("a stack whose catalog is a file (catalogFile) in its project: the same catalog; its problems exit 2 naming key and file", () => {
      // A project of its own: Pulumi.yaml, a stack file setting catalogFile, the catalog file.
      const project = path.join(tmp, "catalog-file-project");
      fs.mkdirSync(path.join(project, "catalogs"), { recursive: true });
      fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
      const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"));
      const catalog = doc.config["secrets-platform:catalog"];
      delete doc.config["secrets-platform:catalog"];
      doc.config["secrets-platform:catalogFile"] = "catalogs/files.yaml";
      fs.writeFileSync(path.join(project, "Pulumi.files.yaml"), YAML.stringify(doc));
      fs.writeFileSync(path.join(project, "catalogs", "files.yaml"), YAML.stringify(catalog));

      const byName = loadCatalog({ stack: "files" }, project);
      assert.equal(byName.stack, "files");
      assert.deepEqual(byName.catalog, loadCatalog({ stack: "prod" }).catalog);
      const byFile = loadCatalog({ stackFile: path.join(project, "Pulumi.files.yaml") }, project);
      assert.deepEqual(byFile.catalog, byName.catalog);
      assert.equal(
        renderPolicy(deployerPolicy(byName.catalog)),
        renderPolicy(deployerPolicy(loadCatalog({ stack: "prod" }).catalog)),
      );

      const refused = (edit: () => void, message: RegExp) => {
        edit();
        assert.throws(
          () => loadCatalog({ stack: "files" }, project),
          (err: Error) => {
            assert.equal(err.name, "InputError");
            assert.match(err.message, message);
            return true;
          },
        );
      };
      refused(
        () =>
          fs.writeFileSync(
            path.join(project, "catalogs", "files.yaml"),
            YAML.stringify({ ...catalog, prefix: "No" }),
          ),
        /^invalid secrets-platform:catalogFile catalogs\/files\.yaml of stack files \(.*Pulumi\.files\.yaml\): prefix: /,
      );
      refused(
        () => fs.rmSync(path.join(project, "catalogs", "files.yaml")),
        /^secrets-platform:catalogFile catalogs\/files\.yaml of stack files .*: no such file in the project directory/,
      );
      refused(() => {
        doc.config["secrets-platform:catalog"] = catalog;
        fs.writeFileSync(path.join(project, "Pulumi.files.yaml"), YAML.stringify(doc));
      }, /^stack files .* sets both secrets-platform:catalog and secrets-platform:catalogFile/);
    });

    it("a failure that is not the operator's input is exit 3 with the stack trace", () => {
      const code = sqlBootstrap(["--stack", "dev"], {
        out: () => {
          throw new Error("stdout closed");
        },
        err: (t) => assert.match(t, /^internal error \(please report it\): Error: stdout closed\n\s+at /),
      });
      assert.equal(code, 3);
    });
  });

  describe("npm run vault:deployer-policy", () => {
    it("--help prints the usage on stdout, exit 0", () => {
      const r = capture(vaultDeployerPolicy, "-h");
      assert.equal(r.code, 0);
      assert.match(
        r.stdout,
        /^usage: npm run -s vault:deployer-policy -- \(--stack <name> \| --stack-file <path>\)/,
      );
      assert.match(r.stdout, /"platform-deployer"/);
    });

    for (const stack of STACKS) {
      it(`prints ${stack}'s deployer policy exactly as the configuration layer renders it`, () => {
        const r = capture(vaultDeployerPolicy, "--stack", stack);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, renderPolicy(deployerPolicy(loadCatalog({ stack }).catalog)));
        assert.equal(r.stderr, "");
      });
    }

    it("an unknown stack or option: exit 2", () => {
      assert.equal(capture(vaultDeployerPolicy, "--stack", "qa").code, 2);
      assert.equal(capture(vaultDeployerPolicy, "--stack", "dev", "--database", "x").code, 2);
    });
  });

  describe("npm run vault:transit-unseal-policy", () => {
    const TRANSIT = {
      address: "https://unseal.example.internal:8200",
      keyName: "sp-prod-unseal",
      caCertFile: "certs/vault-ca-prod.pem",
      tokenSecretName: "vault-transit-seal",
    };

    it("prints the seal token's policy for a stack unsealing through transit, its name on stderr", () => {
      const file = editedStack("prod", (c) => {
        Object.assign(c.vault as object, { unseal: "transit", transitUnseal: TRANSIT });
      });
      const r = capture(vaultTransitUnsealPolicy, "--stack-file", file);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, renderPolicy(transitUnsealPolicy({ ...TRANSIT, mount: "transit" })));
      assert.match(r.stdout, /^path "transit\/encrypt\/sp-prod-unseal" \{$/m);
      assert.equal(r.stderr, "policy name on the unsealing Vault: sp-prod-vault-unseal\n");
    });

    it("a stack unsealing with a cloud KMS: exit 2 naming what it unseals with", () => {
      const r = capture(vaultTransitUnsealPolicy, "--stack", "prod");
      assert.equal(r.code, 2);
      assert.match(r.stderr, /does not unseal through transit \(vault.unseal is "aws"\)/);
      assert.equal(r.stdout, "");
    });
  });

  describe("npm run vault:snapshot-restore (input checks; the restore itself: test/integration/vault/live)", () => {
    const restore = async (stdin: string, ...argv: string[]) => {
      let stdout = "";
      let stderr = "";
      const code = await vaultSnapshotRestore(
        argv,
        { out: (t) => (stdout += t), err: (t) => (stderr += t) },
        () => stdin,
      );
      return { code, stdout, stderr };
    };

    it("needs a snapshot file that exists, an https address and a token on stdin: exit 2 naming what is wrong", async () => {
      const snap = path.join(tmp, "x.snap");
      fs.writeFileSync(snap, "not a snapshot");
      assert.match((await restore("t", "--stack", "prod")).stderr, /--snapshot <file> is required/);
      assert.match(
        (await restore("t", "--stack", "prod", "--snapshot", path.join(tmp, "none"))).stderr,
        /no such file/,
      );
      const plain = await restore(
        "t",
        "--stack",
        "prod",
        "--snapshot",
        snap,
        "--address",
        "http://127.0.0.1:8200",
      );
      assert.equal(plain.code, 2);
      assert.match(plain.stderr, /must be https:\/\//);
      const empty = await restore(
        "\n",
        "--stack",
        "prod",
        "--snapshot",
        snap,
        "--address",
        "https://127.0.0.1:1",
      );
      assert.equal(empty.code, 2);
      assert.match(empty.stderr, /no Vault token on stdin/);
    });

    it("a Vault it cannot reach: exit 1 naming the address, nothing on stdout", async () => {
      const snap = path.join(tmp, "x.snap");
      fs.writeFileSync(snap, "not a snapshot");
      const r = await restore(
        "a-token",
        "--stack",
        "prod",
        "--snapshot",
        snap,
        "--address",
        "https://127.0.0.1:1",
      );
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Vault at https:\/\/127\.0\.0\.1:1 \(POST sys\/storage\/raft\/snapshot\)/);
      assert.equal(r.stdout, "");
    });
  });

  describe("npm run vault:init (input checks; the initialisation itself: test/integration/vault/live)", () => {
    const init = async (...argv: string[]) => {
      let stdout = "";
      let stderr = "";
      const code = await vaultInit(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
      return { code, stdout, stderr };
    };

    it("gives Vault each armored PGP key as base64 of the binary key (what the API takes)", () => {
      const binary = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
      const b64 = binary.toString("base64");
      const armored = [
        "-----BEGIN PGP PUBLIC KEY BLOCK-----",
        "Comment: a header line",
        "",
        ...(b64.match(/.{1,64}/g) ?? []),
        "=AbCd",
        "-----END PGP PUBLIC KEY BLOCK-----",
        "",
      ].join("\n");
      assert.equal(pgpKeyForVault(Buffer.from(armored), "k.asc"), b64);
      assert.equal(pgpKeyForVault(binary, "k.gpg"), b64);
    });

    it("a stack that configures an existing Vault: exit 2; an unreachable Vault: exit 1 naming it; nothing on stdout", async () => {
      const existing = await init("--stack", "local");
      assert.equal(existing.code, 2);
      assert.match(existing.stderr, /does not deploy Vault with vault.operators/);
      const keysDir = path.join(tmp, "keys");
      fs.mkdirSync(keysDir, { recursive: true });
      const file = editedStack("prod", (c) => {
        const vault = c.vault as { operators: Array<{ name: string; pgpKeyFile: string }> };
        for (const o of vault.operators) {
          o.pgpKeyFile = path.join(keysDir, `${o.name}.gpg`);
          fs.writeFileSync(o.pgpKeyFile, Buffer.from([1, 2, 3]));
        }
      });
      const unreachable = await init("--stack-file", file, "--address", "https://127.0.0.1:1");
      assert.equal(unreachable.code, 1);
      assert.match(unreachable.stderr, /Vault at https:\/\/127\.0\.0\.1:1 \(GET sys\/init\)/);
      assert.equal(unreachable.stdout, "");
    });
  });

  describe("as the npm scripts run them", () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).scripts;
    const runScript = (name: string, ...args: string[]) => {
      const [, , file] = /^ts-node (--transpile-only) (\S+)$/.exec(scripts[name]) ?? [];
      assert.ok(file, `package.json script ${name} runs a file with ts-node --transpile-only`);
      return spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(PROJECT_DIR, file), ...args],
        { cwd: tmp, encoding: "utf8" },
      );
    };

    it("sql:bootstrap prints SQL and exits 0; a bad database exits 2", function () {
      this.timeout(60_000);
      const ok = runScript("sql:bootstrap", "--stack", "prod", "--database", "orders-pg");
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /^CREATE ROLE "orders_owner" NOLOGIN;$/m);
      const bad = runScript("sql:bootstrap", "--stack", "prod", "--database", "nope");
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /no database "nope"/);
    });

    it("vault:deployer-policy prints HCL and exits 0 from any working directory", function () {
      this.timeout(60_000);
      const ok = runScript("vault:deployer-policy", "--stack", "staging");
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /^path "sys\/auth" \{/);
    });
  });
});
