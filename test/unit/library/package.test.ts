/**
 * The npm package `secrets-platform` (library/) as it is packed: its manifest, its build (only
 * what the entries load, every `exports` target present), and the component package schema the
 * Pulumi Node SDK infers from the built declarations (the same code the CLI runs for
 * `packages:` and `pulumi package add`).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { buildLibrary, entryModules, LIBRARY_DIR, ROOT } from "../../../tools/build-library";

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license: string;
  main: string;
  types: string;
  exports: Record<string, string | { types: string; default: string }>;
  files: string[];
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const read = (file: string) => fs.readFileSync(file, "utf8");
const manifest = JSON.parse(read(path.join(LIBRARY_DIR, "package.json"))) as Manifest;
const rootManifest = JSON.parse(read(path.join(ROOT, "package.json"))) as Manifest;

describe("the npm package secrets-platform (library/)", function () {
  this.timeout(300_000);

  it("is publishable: a semver version with a CHANGELOG section, Apache-2.0 with the license text", () => {
    assert.equal(manifest.private, undefined);
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
    assert.match(
      read(path.join(LIBRARY_DIR, "CHANGELOG.md")),
      new RegExp(`^## ${manifest.version.replace(/\./g, "\\.")} - \\d{4}-\\d{2}-\\d{2}$`, "m"),
    );
    assert.equal(manifest.license, "Apache-2.0");
    assert.equal(rootManifest.license, "Apache-2.0");
    assert.match(read(path.join(ROOT, "LICENSE")), /Apache License\s+Version 2\.0, January 2004/);
  });

  it("has one export per entry module (and `.` for all of them), types first", () => {
    const expected: Record<string, { types: string; default: string }> = {};
    for (const entry of entryModules()) {
      const base = path.basename(entry, ".ts");
      const out = `./dist/library/src/${base}`;
      expected[base === "index" ? "." : `./${base}`] = { types: `${out}.d.ts`, default: `${out}.js` };
    }
    const { "./package.json": pkg, ...components } = manifest.exports;
    assert.equal(pkg, "./package.json");
    assert.deepEqual(components, expected);
    for (const target of Object.values(components))
      assert.deepEqual(Object.keys(target as object), ["types", "default"]);
    assert.equal(`./${manifest.main}`, expected["."].default);
    assert.equal(`./${manifest.types}`, expected["."].types);
  });

  it("pins @pulumi/vault to the provider version the engine runs and shares the program's @pulumi/pulumi", () => {
    assert.deepEqual(manifest.dependencies, { "@pulumi/vault": rootManifest.dependencies["@pulumi/vault"] });
    // Installed as a component package, the package is its own npm project: the exact runtime.
    assert.deepEqual(manifest.devDependencies, {
      "@pulumi/pulumi": rootManifest.dependencies["@pulumi/pulumi"],
    });
    assert.deepEqual(manifest.peerDependencies, {
      "@pulumi/pulumi": `^${rootManifest.dependencies["@pulumi/pulumi"]}`,
    });
  });

  it("the consumer fixtures pin the versions scripts/engine-env.sh builds", () => {
    const script = read(path.join(ROOT, "scripts", "engine-env.sh"));
    const pinned = (variable: string) => new RegExp(`^${variable}=([0-9.]+)`, "m").exec(script)?.[1];
    const fixture = (...parts: string[]) => path.join(ROOT, "test", "fixtures", ...parts);
    const deps = (file: string) => (JSON.parse(read(file)) as Manifest).dependencies;
    assert.deepEqual(deps(fixture("library-consumer", "package.json")), {
      "@pulumi/pulumi": pinned("NODEJS_HOST_VERSION"),
      "@pulumi/random": pinned("RANDOM_VERSION"),
      "@pulumi/vault": pinned("VAULT_PROVIDER_VERSION"),
      "secrets-platform": "file:secrets-platform.tgz",
    });
    assert.deepEqual(read(fixture("library-consumer-python", "requirements.txt")).trim().split("\n"), [
      `pulumi==${pinned("PYTHON_HOST_VERSION")}`,
      `pulumi-random==${pinned("RANDOM_VERSION")}`,
      `pulumi-vault==${pinned("VAULT_PROVIDER_VERSION")}`,
    ]);
  });

  describe("built (what `npm pack` runs as prepack), in a directory of its own", () => {
    // Not library/ itself: an engine suite may be running `npm pack` there in another worker.
    let packageDir: string;
    let files: readonly string[];
    before(() => {
      packageDir = fs.mkdtempSync(path.join(LIBRARY_DIR, ".test-build-"));
      for (const file of ["package.json", "index.ts", "tsconfig.json", "PulumiPlugin.yaml", "CHANGELOG.md"])
        fs.copyFileSync(path.join(LIBRARY_DIR, file), path.join(packageDir, file));
      files = buildLibrary(packageDir).files;
    });
    after(() => fs.rmSync(packageDir, { recursive: true, force: true }));

    it("holds every exports target and only the modules the entries load", () => {
      for (const target of Object.values(manifest.exports)) {
        for (const file of typeof target === "string" ? [target] : Object.values(target))
          assert.ok(fs.existsSync(path.join(packageDir, file)), `${file} is missing`);
      }
      assert.ok(files.includes("dist/components/vault/workload-access.js"));
      assert.ok(files.includes("dist/components/vault/database-credentials.js"));
      // The shared SQL module, not the catalog's dialects (which load the catalog plan).
      assert.ok(files.includes("dist/components/vault/sql/logins.js"));
      assert.ok(!files.some((f) => f.startsWith("dist/components/vault/sql/postgresql")), files.join("\n"));
      // Imported for types only: emitted by the compiler, left out of the package.
      assert.ok(!files.some((f) => f.startsWith("dist/stacks/schema")), files.join("\n"));
      assert.ok(!files.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")));
      for (const listed of manifest.files)
        assert.ok(fs.existsSync(path.join(packageDir, listed)), `files: ${listed} is missing`);
    });

    it("yields the component package schema the Pulumi Node SDK infers: inputs, defaults documented, outputs", async () => {
      // Loaded from the build, as the plugin host loads the installed package.
      const built = (await import(path.join(packageDir, manifest.main))) as Record<string, unknown>;
      const provider = new ComponentProvider({
        name: manifest.name,
        version: manifest.version,
        dirname: packageDir,
        components: [built.VaultWorkloadAccess as never, built.VaultDatabaseCredentials as never],
      });
      const schema = JSON.parse(await provider.getSchema()) as {
        name: string;
        version: string;
        types: Record<string, { properties: Record<string, { type: string }>; required: string[] }>;
        resources: Record<
          string,
          {
            isComponent: boolean;
            inputProperties: Record<string, { type: string; description: string }>;
            requiredInputs: string[];
            properties: Record<string, { type: string }>;
          }
        >;
      };
      assert.equal(schema.name, "secrets-platform");
      assert.equal(schema.version, manifest.version);
      assert.deepEqual(Object.keys(schema.resources).sort(), [
        "secrets-platform:index:VaultDatabaseCredentials",
        "secrets-platform:index:VaultWorkloadAccess",
      ]);
      const component = schema.resources["secrets-platform:index:VaultWorkloadAccess"];
      assert.equal(component.isComponent, true);
      assert.deepEqual(component.requiredInputs, ["kvPaths", "namespace", "serviceAccount"]);
      assert.match(component.inputProperties.kvMount.description, /Default `secret`/);
      assert.match(component.inputProperties.tokenTtlSeconds.description, /Default 900/);
      assert.deepEqual(Object.keys(component.properties).sort(), [
        "loginPath",
        "policyName",
        "readPaths",
        "roleName",
      ]);
      const credentials = schema.resources["secrets-platform:index:VaultDatabaseCredentials"];
      assert.equal(credentials.isComponent, true);
      assert.deepEqual(credentials.requiredInputs, [
        "connection",
        "dbMount",
        "engine",
        "grants",
        "namespace",
        "serviceAccount",
      ]);
      assert.match(credentials.inputProperties.maxTtlSeconds.description, /Default 14400/);
      assert.match(credentials.inputProperties.authMount.description, /Default `kubernetes`/);
      assert.deepEqual(credentials.inputProperties.grants, {
        type: "array",
        items: { $ref: "#/types/secrets-platform:index:DatabaseGrant" },
        description: credentials.inputProperties.grants.description,
      });
      assert.deepEqual(schema.types["secrets-platform:index:DatabaseGrant"].required, [
        "privileges",
        "tables",
      ]);
      assert.deepEqual(Object.keys(credentials.properties).sort(), [
        "credentialsPath",
        "databaseRoleName",
        "loginPath",
        "policyName",
        "roleName",
      ]);
    });
  });
});
