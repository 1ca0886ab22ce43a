/**
 * docs/library.md stays true: its TypeScript example is the fixture the engine suite deploys
 * (test/engine/library-consumers.test.ts), and its argument and output tables name exactly what
 * the component declares, with the defaults the component applies.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import * as YAML from "yaml";
import { WORKLOAD_ACCESS_DEFAULTS } from "../../../components/vault/workload-access";
import { PROJECT_DIR } from "../../support/offline";

const DOC = fs.readFileSync(path.join(PROJECT_DIR, "docs", "library.md"), "utf8");
const SOURCE = path.join(PROJECT_DIR, "components", "vault", "workload-access.ts");

/** Rows of the table under `heading` (up to the next heading): first column → the other columns. */
function table(heading: string): Map<string, string[]> {
  const start = DOC.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `no section ${heading}`);
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

/** Property names of an interface or class in the component's source. */
function declared(name: string, kind: "interface" | "class"): string[] {
  const file = ts.createSourceFile(SOURCE, fs.readFileSync(SOURCE, "utf8"), ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  file.forEachChild((node) => {
    const match =
      (kind === "interface" && ts.isInterfaceDeclaration(node) && node.name.text === name) ||
      (kind === "class" && ts.isClassDeclaration(node) && node.name?.text === name);
    if (!match) return;
    for (const member of (node as ts.InterfaceDeclaration | ts.ClassDeclaration).members) {
      if (
        (ts.isPropertySignature(member) || ts.isPropertyDeclaration(member)) &&
        ts.isIdentifier(member.name)
      )
        names.push(member.name.text);
    }
  });
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

  it("lists exactly the arguments of VaultWorkloadAccessArgs, with the defaults the component applies", () => {
    const args = table("### Arguments");
    assert.deepEqual([...args.keys()].sort(), declared("VaultWorkloadAccessArgs", "interface").sort());
    for (const [key, value] of Object.entries(WORKLOAD_ACCESS_DEFAULTS))
      assert.equal(args.get(key)?.[1], `\`${value}\``, `default of ${key}`);
  });

  it("lists exactly the outputs of VaultWorkloadAccess", () => {
    assert.deepEqual(
      [...table("### Outputs").keys()].sort(),
      declared("VaultWorkloadAccess", "class").sort(),
    );
  });

  it("shows the YAML and Python programs' use of the component as the fixtures the engine suite deploys", () => {
    const fixtures = path.join(PROJECT_DIR, "test", "fixtures");
    type Program = { resources: Record<string, unknown>; outputs: Record<string, string> };
    const yamlBlock = /```yaml\n(resources:[\s\S]*?)```/.exec(DOC);
    assert.ok(yamlBlock, "no YAML example");
    const shown = YAML.parse(yamlBlock[1]) as Program;
    const yamlFixture = YAML.parse(
      fs.readFileSync(path.join(fixtures, "library-consumer-yaml", "Pulumi.yaml"), "utf8"),
    ) as Program;
    assert.deepEqual(shown.resources["orders-api"], yamlFixture.resources["orders-api"]);
    assert.equal(shown.outputs.role, yamlFixture.outputs.role);
    const pythonBlock = /```python\n([\s\S]*?)```/.exec(DOC);
    assert.ok(pythonBlock, "no Python example");
    const python = fs.readFileSync(path.join(fixtures, "library-consumer-python", "__main__.py"), "utf8");
    for (const line of pythonBlock[1].split("\n").filter((l) => l.trim()))
      assert.ok(python.includes(line), `__main__.py has no line ${JSON.stringify(line)}`);
  });
});
