/**
 * docs/library.md stays true: its TypeScript example is the fixture the engine suite deploys
 * (test/engine/library-consumers.test.ts), and each component's argument and output tables name
 * exactly what the component declares (inherited arguments included), with the defaults the
 * component applies.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import * as YAML from "yaml";
import { DATABASE_CREDENTIALS_DEFAULTS } from "../../../components/vault/database-credentials";
import { WORKLOAD_ACCESS_DEFAULTS } from "../../../components/vault/workload-access";
import { PROJECT_DIR } from "../../support/offline";

const DOC = fs.readFileSync(path.join(PROJECT_DIR, "docs", "library.md"), "utf8");
/** The sources the components and their shared arguments are declared in. */
const SOURCES = ["workload-access.ts", "database-credentials.ts", "workload-login.ts"].map((f) => {
  const file = path.join(PROJECT_DIR, "components", "vault", f);
  return ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
});

/**
 * Rows of the table under `heading` in the section `## <section>` (up to the next heading):
 * first column → the other columns.
 */
function table(section: string, heading: string): Map<string, string[]> {
  const sectionStart = DOC.indexOf(`\n## ${section}\n`);
  assert.ok(sectionStart >= 0, `no section ${section}`);
  const start = DOC.indexOf(`\n${heading}\n`, sectionStart);
  const next = DOC.indexOf("\n## ", sectionStart + 1);
  assert.ok(start >= 0 && (next < 0 || start < next), `no ${heading} in ${section}`);
  const lines = DOC.slice(start + heading.length + 2).split("\n");
  const end = lines.findIndex((l) => l.startsWith("#"));
  return new Map(
    lines
      .slice(0, end < 0 ? undefined : end)
      .filter((l) => l.startsWith("| `"))
      .map((l) => l.split("|").map((c) => c.trim()))
      .map((cells) => [cells[1].replace(/`/g, ""), cells.slice(2, -1)]),
  );
}

/**
 * Property names of an interface or class in the components' sources; an interface's include
 * those of the interfaces it extends.
 */
function declared(name: string, kind: "interface" | "class"): string[] {
  const names: string[] = [];
  let found = false;
  for (const file of SOURCES) {
    file.forEachChild((node) => {
      const match =
        (kind === "interface" && ts.isInterfaceDeclaration(node) && node.name.text === name) ||
        (kind === "class" && ts.isClassDeclaration(node) && node.name?.text === name);
      if (!match) return;
      found = true;
      const declaration = node as ts.InterfaceDeclaration | ts.ClassDeclaration;
      for (const member of declaration.members) {
        if (
          (ts.isPropertySignature(member) || ts.isPropertyDeclaration(member)) &&
          ts.isIdentifier(member.name)
        )
          names.push(member.name.text);
      }
      if (kind === "interface")
        for (const clause of declaration.heritageClauses ?? [])
          for (const base of clause.types) names.push(...declared(base.expression.getText(), "interface"));
    });
  }
  assert.ok(found, `no ${kind} ${name} in the components' sources`);
  return names;
}

describe("docs/library.md", () => {
  it("shows the fixture program the engine suite deploys, verbatim", () => {
    const fixture = fs.readFileSync(
      path.join(PROJECT_DIR, "test", "fixtures", "library-consumer", "index.ts"),
      "utf8",
    );
    const program = fixture.replace(/^\/\*\*[\s\S]*?\*\/\n/, "");
    const block = /```ts\n(import \* as pulumi[\s\S]*?)```/.exec(DOC);
    assert.ok(block, "no TypeScript example starting with the pulumi import");
    assert.equal(block[1], program);
  });

  const components = [
    ["VaultWorkloadAccess", WORKLOAD_ACCESS_DEFAULTS],
    ["VaultDatabaseCredentials", DATABASE_CREDENTIALS_DEFAULTS],
  ] as const;
  for (const [component, defaults] of components) {
    it(`lists exactly the arguments of ${component}Args, with the defaults the component applies`, () => {
      const args = table(component, "### Arguments");
      assert.deepEqual([...args.keys()].sort(), declared(`${component}Args`, "interface").sort());
      for (const [key, value] of Object.entries(defaults))
        assert.equal(args.get(key)?.[1], `\`${value}\``, `default of ${key}`);
    });

    it(`lists exactly the outputs of ${component}`, () => {
      assert.deepEqual(
        [...table(component, "### Outputs").keys()].sort(),
        declared(component, "class").sort(),
      );
    });
  }

  it("shows the YAML and Python programs' use of the component as the fixtures the engine suite deploys", () => {
    const fixtures = path.join(PROJECT_DIR, "test", "fixtures");
    type Program = { resources: Record<string, unknown>; outputs: Record<string, string> };
    const yamlBlock = /```yaml\n(resources:[\s\S]*?)```/.exec(DOC);
    assert.ok(yamlBlock, "no YAML example");
    const shown = YAML.parse(yamlBlock[1]) as Program;
    const yamlFixture = YAML.parse(
      fs.readFileSync(path.join(fixtures, "library-consumer-yaml", "Pulumi.yaml"), "utf8"),
    ) as Program;
    for (const resource of ["orders-api", "orders-api-db"])
      assert.deepEqual(shown.resources[resource], yamlFixture.resources[resource], resource);
    for (const [output, value] of Object.entries(shown.outputs))
      assert.equal(value, yamlFixture.outputs[output], output);
    const pythonBlock = /```python\n([\s\S]*?)```/.exec(DOC);
    assert.ok(pythonBlock, "no Python example");
    const python = fs.readFileSync(path.join(fixtures, "library-consumer-python", "__main__.py"), "utf8");
    for (const line of pythonBlock[1].split("\n").filter((l) => l.trim()))
      assert.ok(python.includes(line), `__main__.py has no line ${JSON.stringify(line)}`);
  });
});
