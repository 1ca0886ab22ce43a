/**
 * What a run of the program loads: a backend's provider SDK only when the catalog uses it
 * (issue 26: loading @pulumi/aws, @pulumi/gcp and @pulumi/azure-native costs every run about a
 * thousand modules). Each case runs index.ts under the mock runtime in a child process
 * (test/support/program-modules.ts) and reads that process's `require.cache`.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import type { ProgramModules } from "../../support/program-modules";

function runProgram(scenario: string, env: NodeJS.ProcessEnv = {}): ProgramModules {
  const out = execFileSync(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      path.join(__dirname, "..", "..", "support", "program-modules.ts"),
      scenario,
    ],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, ...env },
    },
  );
  return JSON.parse(out.trim().split("\n").pop()!) as ProgramModules;
}

describe("the program loads the provider SDKs of the backends its catalog uses, and no other", () => {
  it("a stack deploying Vault unsealed by transit, snapshots to an S3-compatible store, no cloud: no @pulumi/aws, @pulumi/gcp or @pulumi/azure-native", () => {
    const run = runProgram("transit-unseal");
    // The run did deploy a transit-unsealed Vault (the seal's CA ConfigMap, the chart's release)
    // and its snapshot job (which the cloud destinations' modules sit beside).
    assert.ok(run.types.includes("secrets-platform:vault:VaultCluster"), run.types.join(", "));
    assert.ok(run.types.includes("kubernetes:helm.sh/v3:Release"));
    assert.ok(run.types.includes("kubernetes:batch/v1:CronJob"), run.types.join(", "));
    assert.deepEqual(run.sdks, {
      "@pulumi/aws": false,
      "@pulumi/gcp": false,
      "@pulumi/azure-native": false,
      "@pulumi/kubernetes": true,
      "@pulumi/vault": true,
      "@pulumi/random": false,
    });
  });

  it("the shipped dev stack (AWS, Vault unsealed by AWS KMS): @pulumi/aws, not @pulumi/gcp or @pulumi/azure-native", () => {
    const run = runProgram("aws-unseal");
    assert.ok(run.types.includes("aws:kms/key:Key"));
    assert.equal(run.sdks["@pulumi/aws"], true);
    assert.equal(run.sdks["@pulumi/gcp"], false);
    assert.equal(run.sdks["@pulumi/azure-native"], false);
  });
});

describe("the TypeScript compile of `pulumi preview`/`up` (tsconfig.pulumi.json) and of every ts-node run", () => {
  it("is esbuild's transform, and the program it compiles registers the same resources as the TypeScript compiler's", () => {
    const project = (file: string) => path.join(__dirname, "..", "..", file);
    const pulumiCompile = runProgram("transit-unseal", {
      TS_NODE_PROJECT: project("../tsconfig.pulumi.json"),
    });
    const typescriptCompile = runProgram("transit-unseal", {
      TS_NODE_PROJECT: project("support/tsconfig.typescript-compile.json"),
    });
    // The tests' own compile (this file's process and its children without TS_NODE_PROJECT).
    assert.equal(runProgram("aws-unseal").esbuild, true);
    assert.equal(pulumiCompile.esbuild, true);
    assert.equal(typescriptCompile.esbuild, false);
    assert.deepEqual(pulumiCompile.types, typescriptCompile.types);
    assert.deepEqual(pulumiCompile.sdks, typescriptCompile.sdks);
  });
});
