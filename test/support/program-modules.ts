/**
 * Child process of test/unit/program/modules.test.ts: runs the program (index.ts) under the
 * mock runtime for one catalog, then prints which provider SDKs the process loaded and what the
 * program registered (one JSON line). In its own process so that `require.cache` holds what this
 * program loaded and nothing a test before it did.
 *   program-modules.ts <scenario>   transit-unseal | aws-unseal
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import type { CatalogInput } from "../../stacks/schema";
import { PROJECT_DIR, shippedStackDocument } from "../../tools/offline/shipped-stacks";
import { readStackConfig } from "../../tools/offline/stack-config";
import { mockContextFromCatalog } from "../../tools/offline/mocks/context";
import { runOffline } from "../../tools/offline/runtime";

export const PROVIDER_SDKS = [
  "@pulumi/aws",
  "@pulumi/gcp",
  "@pulumi/azure-native",
  "@pulumi/kubernetes",
  "@pulumi/vault",
  "@pulumi/random",
] as const;

export interface ProgramModules {
  readonly scenario: string;
  readonly types: string[];
  readonly sdks: Record<string, boolean>;
  /** Whether esbuild compiled the program's TypeScript (tsconfig.json's ts-node transpiler). */
  readonly esbuild: boolean;
}

/**
 * The shipped `local` catalog (clouds off) with its Vault deployed in its cluster, unsealed by
 * another Vault's transit engine and taking snapshots to an S3-compatible store of the site: an
 * on-premises site that uses no cloud.
 */
function transitUnsealLocal(): { config: Record<string, unknown> } {
  // The shipped stack files the tools read are the cloud environments'; `local` is read as is.
  const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.local.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  const catalog = doc.config["secrets-platform:catalog"] as CatalogInput;
  // Vault runs in that cluster and reviews tokens through the in-cluster API.
  delete catalog.kubernetes.clusters[0].apiServer;
  catalog.vault = {
    ...catalog.vault!,
    deploy: true,
    cluster: "local",
    address: "https://vault.local.example.internal:8200",
    caCertFile: "certs/vault-ca-dev.pem",
    tls: { source: "secret", secretName: "vault-server-tls" },
    unseal: "transit",
    transitUnseal: {
      address: "https://unseal.example.internal:8200",
      keyName: "local-dev-unseal",
      caCertFile: "certs/vault-ca-dev.pem",
    },
    operators: [{ name: "alice", pgpKeyFile: "keys/alice.asc" }],
    // Snapshots to the site's own store: no cloud's destination, so no cloud's SDK.
    snapshots: {
      s3Compatible: {
        endpoint: "https://s3.storage.example.internal:9000",
        bucket: "vault-backups",
        prefix: "vault/local",
      },
    },
  };
  return doc;
}

function stackDocument(scenario: string): { config: Record<string, unknown> } {
  if (scenario === "transit-unseal") return transitUnsealLocal();
  if (scenario === "aws-unseal") return shippedStackDocument("dev");
  throw new Error(`program-modules: unknown scenario ${scenario}`);
}

async function main(scenario: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-program-modules-"));
  try {
    const file = path.join(dir, `Pulumi.${scenario}.yaml`);
    fs.writeFileSync(file, YAML.stringify(stackDocument(scenario)));
    const stackConfig = readStackConfig(PROJECT_DIR, file);
    const catalog = JSON.parse(stackConfig.config["secrets-platform:catalog"]) as unknown;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(PROJECT_DIR, "index")) as () => unknown;
    const run = await runOffline({ ...stackConfig, program, mockContext: mockContextFromCatalog(catalog) });
    if (run.error) throw run.error;
    const loaded = Object.keys(require.cache);
    const sdks = Object.fromEntries(
      PROVIDER_SDKS.map((sdk) => [sdk, loaded.some((f) => f.includes(`/node_modules/${sdk}/`))]),
    );
    const result: ProgramModules = {
      scenario,
      types: [...new Set(run.resources.map((r) => r.type))],
      sdks,
      esbuild: loaded.some((f) => f.includes("/node_modules/esbuild/")),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv[2]).then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(`${err.stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
