/**
 * The catalog reference cannot go stale: docs/catalog.md and docs/catalog.schema.json are what
 * `npm run docs:catalog` generates from the zod schema now, and the JSON Schema editors use
 * accepts every shipped stack file and refuses one-field mutations of it that the program
 * refuses too.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as YAML from "yaml";
import { CATALOG_SCHEMA_JSON, generated } from "../../../tools/docs/catalog-reference";
import { catalogSchema } from "../../../stacks/schema";
import { PROJECT_DIR } from "../../support/offline";

const STACK_FILES = fs
  .readdirSync(PROJECT_DIR)
  .filter((f) => /^Pulumi\.[\w-]+\.yaml$/.test(f))
  .sort();
const CATALOG = "secrets-platform:catalog";

type Doc = { config: Record<string, any> } & Record<string, unknown>;
const load = (file: string): Doc => YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8"));

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(CATALOG_SCHEMA_JSON, "utf8")));
}

describe("catalog reference (docs/catalog.md, docs/catalog.schema.json)", () => {
  it("the committed files are what npm run docs:catalog generates from stacks/schema.ts", async () => {
    for (const [file, text] of await generated())
      assert.equal(
        fs.readFileSync(file, "utf8"),
        text,
        `${path.relative(PROJECT_DIR, file)} is stale: run npm run docs:catalog`,
      );
  });

  it("ships four stack files, each naming the schema for editors in its first line", () => {
    assert.deepEqual(STACK_FILES, [
      "Pulumi.dev.yaml",
      "Pulumi.local.yaml",
      "Pulumi.prod.yaml",
      "Pulumi.staging.yaml",
    ]);
    for (const file of STACK_FILES)
      assert.equal(
        fs.readFileSync(path.join(PROJECT_DIR, file), "utf8").split("\n")[0],
        "# yaml-language-server: $schema=./docs/catalog.schema.json",
        file,
      );
  });

  describe("the JSON Schema", () => {
    const validate = validator();
    const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

    for (const file of STACK_FILES) {
      it(`accepts ${file}`, () => {
        assert.ok(validate(load(file)), errors().join("\n"));
      });
    }

    /** One-field mutations of a shipped stack file: each must be refused by the schema. */
    const mutations: ReadonlyArray<readonly [string, (d: Doc) => void, boolean]> = [
      // [what, edit, whether zod refuses the catalog too (false: a config-map mutation)]
      ["a misspelt catalog field", (d) => (d.config[CATALOG].workloads[0].serviceAcount = "x"), true],
      [
        "a misspelt nested field",
        (d) => (d.config[CATALOG].kubernetes.clusters[0].oidcIssuer = "https://x.example"),
        true,
      ],
      ["a misspelt top-level catalog key", (d) => (d.config[CATALOG].workload = []), true],
      [
        "a wrong type (string for a boolean)",
        (d) => (d.config[CATALOG].kubernetes.clusters[0].runsPods = "yes"),
        true,
      ],
      [
        "a wrong type (string for a port number)",
        (d) => (d.config[CATALOG].databases[0].port = "5432"),
        true,
      ],
      ["a value outside an enum", (d) => (d.config[CATALOG].environment = "production"), true],
      [
        "a pattern broken (upper-case namespace)",
        (d) => (d.config[CATALOG].workloads[0].namespace = "Payments"),
        true,
      ],
      ["a missing required key (workloads)", (d) => delete d.config[CATALOG].workloads, true],
      [
        "a missing required key (a workload's namespace)",
        (d) => delete d.config[CATALOG].workloads[0].namespace,
        true,
      ],
      [
        "a secret's field of another source (path on a vault-database secret)",
        (d) => {
          const secret = d.config[CATALOG].workloads
            .flatMap((w: any) => w.secrets)
            .find((s: any) => s.source === "vault-database");
          secret.path = "orders/api";
        },
        true,
      ],
      ["no catalog", (d) => delete d.config[CATALOG], false],
      ["a misspelt config key", (d) => (d.config["secrets-platform:catalogue"] = d.config[CATALOG]), false],
      [
        "a secret config key in plain text",
        (d) => {
          const key = Object.keys(d.config).find((k) => k !== CATALOG)!;
          d.config[key] = "hunter2";
        },
        false,
      ],
      ["an unknown top-level key of the stack file", (d) => (d.secretprovider = "passphrase"), false],
    ];

    for (const file of STACK_FILES) {
      for (const [what, edit, zodToo] of mutations) {
        it(`refuses ${file} with ${what}${zodToo ? ", as the program does" : ""}`, () => {
          const doc = load(file);
          edit(doc);
          assert.equal(validate(doc), false, `${what} accepted`);
          if (zodToo) assert.equal(catalogSchema.safeParse(doc.config[CATALOG]).success, false);
        });
      }
    }
  });
});
