/**
 * The pack directory works alone (it is published and attached to other teams' programs):
 *
 * - no file of `policy/` imports anything outside `policy/` or any package its own
 *   `package.json` does not declare (import specifiers of the sources and of `dist/`);
 * - copied to an empty directory with only its own dependencies, it starts under the Node
 *   runtime's `run-policy-pack` (as the Pulumi CLI starts it) and its policy server flags a
 *   foreign program's resources. By default the copy's `node_modules` links only the declared
 *   packages from the repository's install (same pinned versions, checked below); with
 *   `POLICY_PACK_NPM_CI=1` the copy runs its own `npm ci` from `policy/package-lock.json`
 *   instead (needs the registry; minutes).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { policies } from "../../policy/policies";
import { type PackServer, startPackServer } from "../../tools/pack-server";
import { PROJECT_DIR } from "../support/offline";

const POLICY_DIR = path.join(PROJECT_DIR, "policy");
const NPM_CI = process.env.POLICY_PACK_NPM_CI === "1";

interface PackageJson {
  main: string;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")) as PackageJson;

/** Files of the pack directory that Node or ts-node may load. */
function packFiles(dir = POLICY_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : packFiles(full);
    return /\.(ts|js|cjs|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** Every module specifier a file imports, re-exports or requires (static or dynamic). */
function specifiers(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageName = (spec: string) => spec.split("/", spec.startsWith("@") ? 2 : 1).join("/");

describe("policy pack stands alone", () => {
  it("imports nothing outside policy/ and only the packages policy/package.json declares", () => {
    const files = packFiles();
    assert.ok(files.length > 40, `found only ${files.length} files in policy/`);
    const declared = new Set(Object.keys(pkg.dependencies));
    const problems: string[] = [];
    for (const file of files) {
      const rel = path.relative(POLICY_DIR, file);
      for (const spec of specifiers(file)) {
        if (spec.startsWith(".")) {
          const target = path.resolve(path.dirname(file), spec);
          if (
            path.relative(POLICY_DIR, target).startsWith("..") ||
            path.isAbsolute(path.relative(POLICY_DIR, target))
          )
            problems.push(`${rel} imports ${spec}, outside policy/`);
        } else if (path.isAbsolute(spec)) {
          problems.push(`${rel} imports the absolute path ${spec}`);
        } else if (
          !spec.startsWith("node:") &&
          !builtinModules.includes(spec) &&
          !declared.has(packageName(spec))
        ) {
          problems.push(`${rel} imports ${spec}, not a dependency in policy/package.json`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it("has a tsconfig.json that extends nothing outside policy/ (the runtime reads it at every start)", () => {
    const tsconfig = ts.parseConfigFileTextToJson(
      "tsconfig.json",
      fs.readFileSync(path.join(POLICY_DIR, "tsconfig.json"), "utf8"),
    ).config as { extends?: string };
    assert.equal(tsconfig.extends, undefined);
  });

  it("pins the versions the repository installs, and its lockfile matches its package.json", () => {
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      const installed = JSON.parse(
        fs.readFileSync(path.join(PROJECT_DIR, "node_modules", name, "package.json"), "utf8"),
      ) as { version: string };
      // @pulumi/policy publishes its version with a leading "v".
      assert.equal(
        installed.version.replace(/^v/, ""),
        version,
        `${name}: policy/package.json pins ${version}`,
      );
    }
    const lock = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package-lock.json"), "utf8")) as {
      packages: Record<
        string,
        { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
      >;
    };
    assert.deepEqual(lock.packages[""].dependencies, pkg.dependencies);
    assert.deepEqual(lock.packages[""].devDependencies, pkg.devDependencies);
  });

  describe(`copied to an empty directory (${NPM_CI ? "npm ci" : "declared dependencies linked"})`, function () {
    this.timeout(NPM_CI ? 900_000 : 180_000);
    let dir: string;
    let server: PackServer;

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-policy-pack-"));
      fs.cpSync(POLICY_DIR, dir, {
        recursive: true,
        filter: (src) => path.relative(POLICY_DIR, src).split(path.sep)[0] !== "node_modules",
      });
      if (NPM_CI) {
        execFileSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
          cwd: dir,
          stdio: "inherit",
        });
      } else {
        for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
          const link = path.join(dir, "node_modules", name);
          fs.mkdirSync(path.dirname(link), { recursive: true });
          fs.symlinkSync(path.join(PROJECT_DIR, "node_modules", name), link, "dir");
        }
      }
      server = await startPackServer(dir);
    });

    after(async () => {
      await server?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("starts from the built JavaScript and serves every policy of the pack", async () => {
      assert.deepEqual((await server.policyNames()).sort(), policies.map((p) => p.name).sort());
    });

    // A foreign program: a plain resource, none of our components, names or tags.
    const key = (stack: string) => ({
      type: "aws:kms/key:Key",
      urn: `urn:pulumi:${stack}::their-app::aws:kms/key:Key::their-key`,
      properties: { enableKeyRotation: true, rotationPeriodInDays: 300 },
    });
    const rotationViolations = async (stack: string) =>
      (await server.analyze(key(stack))).filter((d) => d.policyName === "aws-kms-require-key-rotation");

    it("holds a stack named like no environment to prod's thresholds", async () => {
      const found = await rotationViolations("payments");
      assert.equal(found.length, 1);
      assert.equal(found[0].enforcementLevel, "mandatory");
      assert.match(found[0].message, /key rotates every 300 days; prod requires at most 90/);
    });

    it("takes the environment from the stack name", async () => {
      assert.deepEqual(await rotationViolations("dev"), []);
    });

    it("flags a wildcard secret grant in a plain IAM policy", async () => {
      const found = await server.analyze({
        type: "aws:iam/policy:Policy",
        urn: "urn:pulumi:payments::their-app::aws:iam/policy:Policy::reader",
        properties: {
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }],
          }),
        },
      });
      assert.deepEqual(
        found.map((d) => d.policyName),
        ["aws-iam-forbid-wildcard-secret-actions"],
      );
    });

    // A foreign program's Vault policy under a name of its own, attached by a separate role.
    const PRIVILEGED = "vault-policy-forbid-privileged-workload-paths";
    const vaultStack = (policyName: string, tokenPolicies: unknown) => [
      {
        type: "vault:index/policy:Policy",
        urn: "urn:pulumi:payments::their-app::vault:index/policy:Policy::ci",
        properties: { name: policyName, policy: 'path "sys/auth/*" {\n  capabilities = ["sudo"]\n}\n' },
      },
      {
        type: "vault:appRole/authBackendRole:AuthBackendRole",
        urn: "urn:pulumi:payments::their-app::vault:appRole/authBackendRole:AuthBackendRole::ci",
        properties: { backend: "approle", roleName: "ci", tokenPolicies },
      },
    ];
    const vaultDiagnostics = async (policyName: string, tokenPolicies: unknown) =>
      (await server.analyzeStack(vaultStack(policyName, tokenPolicies)))
        .filter((d) => d.policyName === PRIVILEGED)
        .map((d) => `${d.enforcementLevel} ${d.urn ? d.urn.split("::").pop() : "(stack)"}`)
        .sort();

    it("flags a privileged Vault policy a machine role attaches, whatever its name (AnalyzeStack)", async () => {
      assert.deepEqual(await vaultDiagnostics("ci-admin", ["ci-admin"]), ["mandatory ci"]);
    });

    it("keeps a policy in scope when the role's policy list is unknown during preview", async () => {
      const { unknownStringValue } = require("@pulumi/policy/proxy"); // eslint-disable-line @typescript-eslint/no-require-imports
      assert.deepEqual(await vaultDiagnostics("ci-admin", unknownStringValue), [
        "advisory ci",
        "mandatory ci",
      ]);
    });

    // Last: Configure applies to the rest of the server's life.
    it("takes the environment from the pack config over the stack name", async () => {
      await server.configure({
        "aws-kms-require-key-rotation": { environment: "dev" },
        [PRIVILEGED]: { exemptions: [{ policy: "ci-admin", reason: "their deployer" }] },
      });
      assert.deepEqual(await rotationViolations("payments"), []);
    });

    it("reports an exemption by exact name as advisory through the real policy server, a near miss as mandatory", async () => {
      assert.deepEqual(await vaultDiagnostics("ci-admin", ["ci-admin"]), ["advisory ci"]);
      const note = (await server.analyzeStack(vaultStack("ci-admin", ["ci-admin"]))).find(
        (d) => d.policyName === PRIVILEGED,
      )!;
      assert.match(note.message, /Exempt by configuration \(exemption "ci-admin"\): their deployer/);
      assert.deepEqual(await vaultDiagnostics("ci-admin2", ["ci-admin2"]), [
        "advisory (stack)",
        "mandatory ci",
      ]);
    });
  });
});
