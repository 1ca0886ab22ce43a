/**
 * Where a stack's catalog comes from (stacks/catalog-source.ts): the config key `catalog`, or
 * `catalogFile`, a YAML or JSON file of the project. Each case reads a temporary project.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import {
  type CatalogSourceConfig,
  readCatalogSource,
  readStackCatalogSource,
} from "../../../stacks/catalog-source";
import { PROJECT_FILE_PATTERN } from "../../../stacks/schema";
import { CatalogError, validateCatalog } from "../../../stacks/validate";
import { shippedCatalogInput } from "../../support/offline";

const PROJECT = "secrets-platform";

describe("catalog source (catalog or catalogFile)", () => {
  /** The temporary root: the project directory is its `project/`, so `..` leads into it. */
  let root: string;
  let projectDir: string;
  const catalog = shippedCatalogInput("prod");
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(projectDir, file)), { recursive: true });
    fs.writeFileSync(path.join(projectDir, file), text);
  };
  const read = (values: Partial<CatalogSourceConfig>) =>
    readCatalogSource(
      { catalog: values.catalog, catalogFile: values.catalogFile },
      { projectDir, project: PROJECT, stack: "prod" },
    );
  /** The CatalogError a read throws (failing when it throws none, or another error). */
  const refused = (values: Partial<CatalogSourceConfig>): CatalogError => {
    try {
      read(values);
    } catch (err) {
      assert.ok(err instanceof CatalogError, `not a CatalogError: ${String(err)}`);
      assert.doesNotMatch(err.message, /\n/, "one line");
      return err;
    }
    assert.fail("read without an error");
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "sp-catalog-source-"));
    projectDir = path.join(root, "project");
    fs.mkdirSync(projectDir);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("reads a YAML file relative to the project directory, naming key, path and stack as its origin", () => {
    write("catalogs/prod.yaml", `# reviewed like code\n${YAML.stringify(catalog)}`);
    const source = read({ catalogFile: "catalogs/prod.yaml" });
    assert.deepEqual(source.raw, catalog);
    assert.equal(source.origin, "secrets-platform:catalogFile catalogs/prod.yaml of stack prod");
    assert.equal(source.file, path.join(projectDir, "catalogs/prod.yaml"));
    assert.equal(validateCatalog(source.raw, source.origin).environment, "prod");
  });

  it("reads a JSON file (.json) and a .yml file", () => {
    write("prod.catalog.json", JSON.stringify(catalog, null, 2));
    assert.deepEqual(read({ catalogFile: "prod.catalog.json" }).raw, catalog);
    write("catalogs/prod.yml", YAML.stringify(catalog));
    assert.deepEqual(read({ catalogFile: "./catalogs/prod.yml" }).raw, catalog);
  });

  it("reads the catalog config key as the language host delivers it (JSON-encoded)", () => {
    const source = read({ catalog: JSON.stringify(catalog) });
    assert.deepEqual(source.raw, catalog);
    assert.equal(source.origin, "secrets-platform:catalog of stack prod");
    assert.equal(source.file, undefined);
  });

  it("both keys set: an error naming both keys and the stack", () => {
    write("catalogs/prod.yaml", YAML.stringify(catalog));
    const err = refused({ catalog: JSON.stringify(catalog), catalogFile: "catalogs/prod.yaml" });
    assert.match(
      err.message,
      /^stack prod sets both secrets-platform:catalog and secrets-platform:catalogFile: set exactly one/,
    );
  });

  it("neither key set: an error naming both keys and the stack", () => {
    const err = refused({});
    assert.match(
      err.message,
      /^stack prod sets neither secrets-platform:catalog nor secrets-platform:catalogFile: set exactly one/,
    );
  });

  it("a missing file: names the key, the path and the project directory", () => {
    const err = refused({ catalogFile: "catalogs/prod.yaml" });
    assert.equal(
      err.message,
      `secrets-platform:catalogFile catalogs/prod.yaml of stack prod: no such file in the project directory ${projectDir}`,
    );
  });

  const escaping: ReadonlyArray<readonly [string, () => string]> = [
    ["../x.yaml", () => "../x.yaml"],
    ["catalogs/../../x.yaml", () => "catalogs/../../x.yaml"],
    ["an absolute path", () => path.join(root, "x.yaml")],
    ["/etc/x.yaml", () => "/etc/x.yaml"],
  ];
  for (const [what, file] of escaping) {
    it(`a path escaping the project (${what}) is refused, though the file exists`, () => {
      // Every such file but /etc's is written where the path leads (inside this test's root):
      // the rule refuses it, not a missing file.
      fs.writeFileSync(path.join(root, "x.yaml"), YAML.stringify(catalog));
      const err = refused({ catalogFile: file() });
      assert.equal(
        err.message,
        `secrets-platform:catalogFile ${file()} of stack prod: must be a path relative to the project directory, without '..' (the catalog file is committed with the project)`,
      );
    });
  }

  it("uses the schema's project-file rule (PROJECT_FILE_PATTERN), the one caCertFile follows", () => {
    assert.ok(PROJECT_FILE_PATTERN.test("catalogs/prod.yaml"));
    assert.ok(!PROJECT_FILE_PATTERN.test("../prod.yaml"));
    assert.ok(!PROJECT_FILE_PATTERN.test("/prod.yaml"));
    const schema = fs.readFileSync(path.join(__dirname, "..", "..", "..", "stacks", "schema.ts"), "utf8");
    assert.equal(schema.split(PROJECT_FILE_PATTERN.source).length - 1, 1, "the rule is written once");
  });

  it("a symbolic link leading out of the project is refused", () => {
    fs.writeFileSync(path.join(root, "prod.yaml"), YAML.stringify(catalog));
    fs.symlinkSync(path.join(root, "prod.yaml"), path.join(projectDir, "prod.yaml"));
    assert.match(
      refused({ catalogFile: "prod.yaml" }).message,
      /^secrets-platform:catalogFile prod\.yaml of stack prod: leads outside the project directory/,
    );
  });

  it("a file that is neither YAML nor JSON by its name is refused", () => {
    write("catalogs/prod.toml", "environment = 'prod'\n");
    assert.match(
      refused({ catalogFile: "catalogs/prod.toml" }).message,
      /must name a \.yaml, \.yml or \.json file$/,
    );
  });

  it("a YAML syntax error names the file and the line", () => {
    const text = YAML.stringify(catalog).split("\n");
    text.splice(3, 0, "workloads: [");
    write("catalogs/prod.yaml", text.join("\n"));
    const err = refused({ catalogFile: "catalogs/prod.yaml" });
    assert.match(
      err.message,
      /^secrets-platform:catalogFile catalogs\/prod\.yaml of stack prod: catalogs\/prod\.yaml:\d+:\d+: not valid YAML: /,
    );
    const line = Number(/prod\.yaml:(\d+):\d+: not valid YAML/.exec(err.message)![1]);
    assert.ok(line >= 4 && line <= 5, `line ${line}: the flow sequence opened on line 4`);
  });

  it("a duplicate key in YAML is an error with its line, not a silently dropped value", () => {
    write("catalogs/prod.yaml", "environment: prod\nprefix: sp\nenvironment: dev\n");
    assert.match(
      refused({ catalogFile: "catalogs/prod.yaml" }).message,
      /catalogs\/prod\.yaml:3:1: not valid YAML: Map keys must be unique/,
    );
  });

  const jsonErrors: ReadonlyArray<readonly [string, string, string]> = [
    // [what, text, where]
    ["a trailing comma", '{\n  "environment": "prod",\n}\n', ":3:1:"],
    ["a misspelt literal", '{\n  "prefix": "sp",\n  "x": tru\n}\n', ":3:8:"],
    ["a trailing comma in a list", '{\n  "workloads": [1,\n  ]\n}\n', ":3:3:"],
    ["a file cut short", '{\n  "environment": "prod",\n', ":3:1:"],
  ];
  for (const [what, text, where] of jsonErrors) {
    it(`a JSON syntax error names the file, the line and the column: ${what}`, () => {
      write("catalogs/prod.json", text);
      const err = refused({ catalogFile: "catalogs/prod.json" });
      assert.ok(
        err.message.startsWith(
          `secrets-platform:catalogFile catalogs/prod.json of stack prod: catalogs/prod.json${where} not valid JSON: `,
        ),
        err.message,
      );
    });
  }

  for (const [what, text, kind] of [
    ["a list", "- environment: prod\n", "a list"],
    ["a string", "prod\n", "a string"],
    ["empty", "# nothing yet\n", "empty"],
  ] as const) {
    it(`a file whose top level is not a mapping (${what}) says so`, () => {
      write("catalogs/prod.yaml", text);
      assert.equal(
        refused({ catalogFile: "catalogs/prod.yaml" }).message,
        `secrets-platform:catalogFile catalogs/prod.yaml of stack prod: the file's top level is ${kind}, not a mapping of catalog keys (environment, kubernetes, workloads, …)`,
      );
    });
  }

  it("a catalog config key that is not a mapping says so", () => {
    assert.match(
      refused({ catalog: "[]" }).message,
      /^secrets-platform:catalog of stack prod: is a list, not a mapping/,
    );
  });

  it("a directory is not a catalog file", () => {
    fs.mkdirSync(path.join(projectDir, "catalogs", "prod.yaml"), { recursive: true });
    assert.match(
      refused({ catalogFile: "catalogs/prod.yaml" }).message,
      /catalogs\/prod\.yaml of stack prod: is a directory/,
    );
  });

  it("a validation error of a file catalog names the file and the catalog key path", () => {
    const bad = structuredClone(catalog) as Record<string, any>;
    bad.workloads[3].name = "Not_A_Name";
    write("catalogs/prod.yaml", YAML.stringify(bad));
    const source = read({ catalogFile: "catalogs/prod.yaml" });
    assert.throws(
      () => validateCatalog(source.raw, source.origin),
      (err: Error) => {
        assert.ok(err instanceof CatalogError);
        assert.match(
          err.message,
          /^invalid secrets-platform:catalogFile catalogs\/prod\.yaml of stack prod: workloads\[3\]\.name: must be 3-32 chars/,
        );
        return true;
      },
    );
  });

  describe("readStackCatalogSource (the tools, from a stack file's config)", () => {
    it("takes the two keys of the project's namespace and names the stack file", () => {
      write("catalogs/prod.yaml", YAML.stringify(catalog));
      const config = {
        project: PROJECT,
        stack: "prod",
        config: { [`${PROJECT}:catalogFile`]: "catalogs/prod.yaml" },
      };
      const source = readStackCatalogSource(config, projectDir, "/somewhere/Pulumi.prod.yaml");
      assert.deepEqual(source.raw, catalog);
      assert.equal(
        source.origin,
        "secrets-platform:catalogFile catalogs/prod.yaml of stack prod (/somewhere/Pulumi.prod.yaml)",
      );
      assert.throws(
        () =>
          readStackCatalogSource(
            { ...config, config: { ...config.config, [`${PROJECT}:catalog`]: JSON.stringify(catalog) } },
            projectDir,
          ),
        /^CatalogSourceError: stack prod sets both secrets-platform:catalog and secrets-platform:catalogFile/,
      );
      // Another project's namespace is not this project's catalog.
      assert.throws(
        () => readStackCatalogSource({ ...config, project: "other" }, projectDir),
        /stack prod sets neither other:catalog nor other:catalogFile/,
      );
    });
  });
});
