/**
 * The catalog reference cannot go stale: docs/catalog.md, docs/catalog.schema.json and
 * docs/catalog-file.schema.json are what `npm run docs:catalog` generates from the zod schema
 * now, and the JSON Schemas editors use accept every shipped stack file (and its catalog as a
 * file of its own) and refuse one-field mutations of them that the program refuses too.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as YAML from "yaml";
import {
  CATALOG_FILE_SCHEMA_JSON,
  CATALOG_SCHEMA_JSON,
  generated,
} from "../../../tools/docs/catalog-reference";
import { catalogSchema } from "../../../stacks/schema";
import { PROJECT_DIR } from "../../support/offline";

const STACK_FILES = fs
  .readdirSync(PROJECT_DIR)
  .filter((f) => /^Pulumi\.[\w-]+\.yaml$/.test(f))
  .sort();
const CATALOG = "secrets-platform:catalog";
const CATALOG_FILE = "secrets-platform:catalogFile";

type Doc = { config: Record<string, any> } & Record<string, unknown>;
const load = (file: string): Doc => YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8"));

function validator(file = CATALOG_SCHEMA_JSON) {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(file, "utf8")));
}

describe("catalog reference (docs/catalog.md, docs/catalog.schema.json)", () => {
  it("the committed files are what npm run docs:catalog generates from stacks/schema.ts", async () => {
    const files = await generated();
    assert.deepEqual(
      [...files.keys()].map((f) => path.relative(PROJECT_DIR, f)),
      ["docs/catalog.md", "docs/catalog.schema.json", "docs/catalog-file.schema.json"],
    );
    for (const [file, text] of files)
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

    /** A stack file whose catalog is in its own file: catalogFile instead of catalog. */
    const withCatalogFile = (d: Doc, file = "catalogs/prod.yaml") => {
      delete d.config[CATALOG];
      d.config[CATALOG_FILE] = file;
      return d;
    };
    for (const file of STACK_FILES)
      it(`accepts ${file} with catalogFile instead of catalog`, () => {
        assert.ok(validate(withCatalogFile(load(file))), errors().join("\n"));
        assert.ok(validate(withCatalogFile(load(file), "catalogs/prod.catalog.json")), errors().join("\n"));
      });

    const catalogFileMutations: ReadonlyArray<readonly [string, (d: Doc) => void]> = [
      ["both catalog and catalogFile", (d) => (d.config[CATALOG_FILE] = "catalogs/prod.yaml")],
      [
        "a catalogFile leaving the project (..)",
        (d) => (withCatalogFile(d).config[CATALOG_FILE] = "../prod.yaml"),
      ],
      ["an absolute catalogFile", (d) => (withCatalogFile(d).config[CATALOG_FILE] = "/srv/prod.yaml")],
      [
        "a catalogFile neither YAML nor JSON",
        (d) => (withCatalogFile(d).config[CATALOG_FILE] = "catalogs/prod.toml"),
      ],
      ["a secure catalogFile", (d) => (withCatalogFile(d).config[CATALOG_FILE] = { secure: "v1:abc" })],
    ];
    for (const file of STACK_FILES)
      for (const [what, edit] of catalogFileMutations)
        it(`refuses ${file} with ${what}`, () => {
          const doc = load(file);
          edit(doc);
          assert.equal(validate(doc), false, `${what} accepted`);
        });

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

  describe("the JSON Schema of a catalog file (catalogFile)", () => {
    const validate = validator(CATALOG_FILE_SCHEMA_JSON);
    const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

    for (const file of STACK_FILES) {
      it(`accepts the catalog of ${file} as a file of its own`, () => {
        assert.ok(validate(load(file).config[CATALOG]), errors().join("\n"));
      });
      it(`refuses the catalog of ${file} under a stack file's config:, and a misspelt field, as the program does`, () => {
        assert.equal(validate({ config: { [CATALOG]: load(file).config[CATALOG] } }), false);
        const misspelt = load(file).config[CATALOG];
        misspelt.workloads[0].serviceAcount = "x";
        assert.equal(validate(misspelt), false);
        assert.equal(catalogSchema.safeParse(misspelt).success, false);
      });
    }
  });
});
