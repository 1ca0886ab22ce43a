/**
 * State for teams, under the real Pulumi engine: the DIY S3 backend and the `awskms://` secrets
 * provider, both on the moto server (S3 and KMS as AWS serves them to the Go SDK the CLI uses).
 *
 * - The shipped `local` stack (without its `eso` section: test/engine/local-stack.suite.ts has
 *   that) goes through `up` and `destroy` with its state in a bucket, the second checkout
 *   sharing nothing with the first but the bucket and the committed files.
 * - While one `pulumi up` holds the stack's lock (an object under `.pulumi/locks/`), a second
 *   one from another checkout is refused, and the state is what it was.
 * - The shipped `prod` stack file's secrets provider: config secrets set, read back, and
 *   re-encrypted under a second key with `pulumi stack change-secrets-provider`.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  KMSClient,
  UpdateAliasCommand,
} from "@aws-sdk/client-kms";
import * as YAML from "yaml";
import { requireEngine } from "../integration/engines";
import { PROJECT_DIR } from "../support/offline";
import { type Engine, Project, requirePulumi } from "./cli";
import {
  copyCommittedFiles,
  type LocalPlatform,
  offlinePreview,
  POLICY,
  STACK,
  STACK_FILE,
  startLocalPlatform,
} from "./local-platform";
import { declaredVaultState, union, type VaultState, vaultState } from "./vault-state";

/** moto accepts any credentials; these only have to be there. */
const DUMMY_CREDENTIALS = { accessKeyId: "sp-test-dummy", secretAccessKey: "sp-test-dummy" };

/**
 * What every `pulumi` run gets: the dummy credentials, and no shared AWS config from the
 * machine. moto sends no response checksums; the Go SDK would warn about each S3 read unless
 * it validates them only when asked to.
 */
function awsEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
    ...extra,
  };
}

/** A fresh bucket on moto and the DIY backend URL that keeps state in it. */
async function motoBucket(endpoint: string) {
  const s3 = new S3Client({
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: DUMMY_CREDENTIALS,
  });
  const bucket = `sp-state-${randomBytes(4).toString("hex")}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const keys = async (prefix = "") => {
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      found.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return found.sort();
  };
  return {
    bucket,
    url: `s3://${bucket}?region=us-east-1&endpoint=${endpoint}&use_path_style=true&disable_https=true`,
    keys,
    async text(key: string) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return object.Body!.transformToString("utf8");
    },
    async remove() {
      const all = await keys();
      for (let i = 0; i < all.length; i += 1000)
        await s3.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: all.slice(i, i + 1000).map((Key) => ({ Key })) },
          }),
        );
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      s3.destroy();
    },
  };
}

const CHECKPOINT = `.pulumi/stacks/secrets-platform/${STACK}.json`;
const LOCKS = ".pulumi/locks/";

interface StackExport {
  readonly deployment: {
    readonly resources?: ReadonlyArray<Record<string, unknown> & { urn: string }>;
    readonly pending_operations?: unknown[];
  };
}

/** A DIY backend's checkpoint object (what `pulumi stack export` prints is its `latest`). */
interface StackCheckpoint {
  readonly checkpoint: { readonly latest?: StackExport["deployment"] };
}

/**
 * The deployment's resources by URN, without their timestamps: what a lost or torn write
 * would change. Two saves of the same state differ in ways that are not changes, normalised
 * here: the order of resources (the order their steps finish) and of each one's dependencies
 * (the order the program's inputs resolved), and secrets' ciphertexts (a fresh nonce at each
 * save, so exports are compared with `--show-secrets`).
 */
function resourcesOf(exported: StackExport): Map<string, unknown> {
  const sorted = (urns: unknown) => [...(urns as string[])].sort();
  return new Map(
    (exported.deployment.resources ?? []).map((r) => {
      const kept = Object.entries(r).filter(([k]) => k !== "created" && k !== "modified");
      const normalised = kept.map(([k, v]) =>
        k === "dependencies"
          ? [k, sorted(v)]
          : k === "propertyDependencies"
            ? [k, Object.fromEntries(Object.entries(v as object).map(([p, urns]) => [p, sorted(urns)]))]
            : [k, v],
      );
      return [r.urn, Object.fromEntries(normalised)];
    }),
  );
}

/** URNs whose resource differs (never the values: they hold decrypted secrets). */
function differing(a: Map<string, unknown>, b: Map<string, unknown>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((urn) => !isDeepStrictEqual(a.get(urn), b.get(urn)))
    .sort();
}

describe("the local stack with its state in S3 (DIY backend on moto)", function () {
  this.timeout(900_000);
  let engine: Engine;
  let platform: LocalPlatform;
  let backend: Awaited<ReturnType<typeof motoBucket>>;
  let first: Project | undefined;
  let second: Project | undefined;
  let stackFile: string;
  let declared: VaultState;
  const env = awsEnv();

  before(async function () {
    engine = requirePulumi(this);
    const { motoEndpoint } = await requireEngine(this, "moto");
    // Where state lives does not depend on ESO: its cluster-wide release stays out, so this
    // suite need not wait for the others that install it.
    platform = await startLocalPlatform(this, { eso: false });
    backend = await motoBucket(motoEndpoint);
    first = Project.create(engine, backend.url, "s3-first", { ...env, ...platform.env });
    stackFile = await platform.initStack(first);
  });

  after(async () => {
    await platform?.stop();
    first?.remove();
    second?.remove();
    await backend?.remove();
  });

  /** The state with secrets decrypted: kept in memory, compared, never printed. */
  const exportOf = async (project: Project) =>
    JSON.parse(
      (await project.run(["stack", "export", "--show-secrets", "--stack", STACK])).stdout,
    ) as StackExport;

  it("applies with the policy pack; Vault holds exactly the declared objects, the bucket the checkpoint", async () => {
    assert.ok((await backend.keys()).includes(CHECKPOINT), "stack init wrote the checkpoint to the bucket");
    const offline = await offlinePreview(first!);
    declared = declaredVaultState(offline.steps);
    await first!.run(["up", "--yes", "--stack", STACK, ...POLICY]);
    assert.deepEqual(await vaultState(platform.server.root), union(platform.baseline, declared));

    // The bucket's checkpoint is the state: every resource of the offline model, secrets only
    // as ciphertext.
    const checkpoint = await backend.text(CHECKPOINT);
    const { latest } = (JSON.parse(checkpoint) as StackCheckpoint).checkpoint;
    assert.deepEqual(
      (latest?.resources ?? []).map((r) => r.urn).sort(),
      offline.steps.map((s) => s.urn).sort(),
    );
    for (const [key, value] of platform.configSecrets)
      assert.ok(!checkpoint.includes(value), `config secret ${key} is in plain text in the checkpoint`);
    assert.deepEqual(await backend.keys(LOCKS), [], "the lock is released when up ends");
  });

  it("a second up while the first holds the stack's lock is refused, and nothing is lost", async () => {
    second = Project.create(engine, backend.url, "s3-second", { ...env, ...platform.env });
    // The teammate's checkout: the committed stack file, CA certificates and vendored charts.
    second.write(STACK_FILE, stackFile);
    copyCommittedFiles(first!, second);
    await second.run(["stack", "select", STACK]);
    const before = await exportOf(second);
    assert.ok(resourcesOf(before).size > 10);

    let firstDone = false;
    const firstUp = first!
      .run(["up", "--yes", "--stack", STACK, ...POLICY])
      .finally(() => (firstDone = true));
    try {
      const started = Date.now();
      let locks: string[] = [];
      while (!firstDone && (locks = await backend.keys(LOCKS)).length === 0) {
        assert.ok(Date.now() - started < 120_000, "the first up took no lock within 2 minutes");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(locks.length, 1, "the first up held a lock object while it ran");
      assert.match(locks[0], new RegExp(`^${LOCKS}.*/${STACK}/[^/]+\\.json$`));

      const refused = await second.run(["up", "--yes", "--stack", STACK, ...POLICY], { allow: [1, 255] });
      assert.ok(!firstDone, "the first up was still running when the second was refused");
      assert.notEqual(refused.code, 0);
      assert.match(refused.stdout + refused.stderr, /stack is currently locked/);
    } finally {
      await firstUp; // exit 0: it completed, unharmed by the refused one
    }
    assert.deepEqual(await backend.keys(LOCKS), [], "the lock is released");
    const after = await exportOf(second);
    assert.deepEqual(differing(resourcesOf(before), resourcesOf(after)), []);
    assert.equal(after.deployment.pending_operations?.length ?? 0, 0);
    assert.deepEqual(await vaultState(platform.server.root), union(platform.baseline, declared));
  });

  it("destroy from the second checkout (nothing of the first left on the machine) removes everything of ours", async () => {
    first!.remove();
    first = undefined;
    await second!.run(["destroy", "--yes", "--stack", STACK]);
    const ours = new Set(declared.policies);
    assert.deepEqual(await vaultState(platform.server.root), {
      ...platform.baseline,
      policies: platform.baseline.policies.filter((p) => !ours.has(p)),
    });
    await second!.run(["stack", "rm", "--yes", STACK]);
    assert.ok(!(await backend.keys()).includes(CHECKPOINT), "stack rm removed the checkpoint");
  });
});

/** `secretsprovider:` of the shipped prod stack file. */
function shippedProvider(): string {
  const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8")) as {
    secretsprovider: string;
  };
  return doc.secretsprovider;
}

interface StackFileDoc {
  readonly secretsprovider?: string;
  readonly encryptedkey?: string;
  readonly encryptionsalt?: string;
  readonly config: Record<string, unknown>;
}

describe("config secrets under Pulumi.prod.yaml's awskms:// provider (moto's KMS)", function () {
  this.timeout(300_000);
  let project: Project;
  let backend: Awaited<ReturnType<typeof motoBucket>>;
  let kms: KMSClient;
  let env: Record<string, string>;
  const provider = shippedProvider(); // awskms://alias/<name>?region=<region>
  const url = new URL(provider);
  const region = url.searchParams.get("region")!;
  const rotatedAlias = `alias/sp-config-rotated-${randomBytes(4).toString("hex")}`;
  const rotatedProvider = `awskms://${rotatedAlias}?region=${region}`;
  const keyArns: Record<"shipped" | "rotated", string> = { shipped: "", rotated: "" };
  /** Config key → the value set (never printed). */
  const values = new Map<string, string>();
  let initialised: StackFileDoc;

  const stackFile = () => YAML.parse(project.read("Pulumi.prod.yaml")) as StackFileDoc;
  const secureKeys = (doc: StackFileDoc) =>
    Object.entries(doc.config)
      .filter(([, v]) => typeof v === "object" && v !== null && "secure" in v)
      .map(([k]) => k.replace(/^secrets-platform:/, ""));
  const ciphertextOf = (doc: StackFileDoc, key: string) =>
    (doc.config[`secrets-platform:${key}`] as { secure: string }).secure;
  /** The KMS key that wraps the stack's data key, by asking KMS to unwrap it. */
  const wrappingKey = async (doc: StackFileDoc) => {
    const out = await kms.send(
      new DecryptCommand({ CiphertextBlob: Buffer.from(doc.encryptedkey!, "base64") }),
    );
    assert.equal(out.Plaintext?.length, 32, "a 256-bit data key");
    return out.KeyId;
  };
  const readsBack = async () => {
    for (const [key, value] of values) {
      const { stdout } = await project.run(["config", "get", key, "--stack", "prod"]);
      assert.ok(stdout.trim() === value, `config get ${key} returned another value`);
    }
  };

  before(async function () {
    const engine = requirePulumi(this);
    const { motoEndpoint } = await requireEngine(this, "moto");
    assert.equal(url.protocol, "awskms:");
    kms = new KMSClient({ region, endpoint: motoEndpoint, credentials: DUMMY_CREDENTIALS });
    // The shipped alias names the prod key; on moto it may exist from an earlier run: point it
    // at this run's key either way.
    const alias = `${url.host}${url.pathname}`; // alias/<name>
    assert.equal(`awskms://${alias}?region=${region}`, provider);
    for (const [which, name] of [
      ["shipped", alias],
      ["rotated", rotatedAlias],
    ] as const) {
      const { KeyMetadata } = await kms.send(
        new CreateKeyCommand({ Description: `sp engine test: ${which}` }),
      );
      keyArns[which] = KeyMetadata!.Arn!;
      try {
        await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: KeyMetadata!.KeyId }));
      } catch (err) {
        if ((err as Error).name !== "AlreadyExistsException") throw err;
        await kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: KeyMetadata!.KeyId }));
      }
    }
    backend = await motoBucket(motoEndpoint);
    // The Go SDK finds KMS on moto through AWS_ENDPOINT_URL.
    env = awsEnv({ AWS_ENDPOINT_URL: motoEndpoint });
    project = Project.create(engine, backend.url, "kms", env);
  });

  after(async () => {
    project?.remove();
    await backend?.remove();
    kms?.destroy();
  });

  it("stack init with the shipped provider keeps it in the stack file and adds a data key wrapped by that KMS key", async () => {
    // The CLI does not take the provider from an existing stack file: without the flag it
    // would replace the line with the passphrase provider.
    await project.run(["stack", "init", "prod", "--secrets-provider", provider]);
    initialised = stackFile();
    assert.equal(initialised.secretsprovider, provider);
    assert.ok(initialised.encryptedkey, "encryptedkey written");
    assert.equal(initialised.encryptionsalt, undefined, "no passphrase salt");
    assert.equal(await wrappingKey(initialised), keyArns.shipped);
  });

  it("config set --secret (on stdin) reads back with config get; the stack file holds only ciphertext", async () => {
    const keys = secureKeys(initialised);
    // The cloud rotation functions' admin seeds and Vault's own (rotate-root makes it Vault's alone).
    assert.deepEqual(keys, [
      "vaultOidcClientSecret",
      "ordersDbAdminPassword",
      "ordersDbVaultAdminPassword",
      "ledgerDbAdminPassword",
      "ledgerDbVaultAdminPassword",
    ]);
    for (const key of keys) {
      values.set(key, randomBytes(18).toString("base64url"));
      await project.run(["config", "set", "--secret", key, "--stack", "prod"], { input: values.get(key) });
    }
    await readsBack();
    const text = project.read("Pulumi.prod.yaml");
    const doc = stackFile();
    for (const [key, value] of values) {
      assert.ok(!text.includes(value), `${key} is in plain text in the stack file`);
      assert.match(ciphertextOf(doc, key), /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    }
    assert.equal(doc.encryptedkey, initialised.encryptedkey, "the data key stays");
  });

  it("change-secrets-provider to a second key re-encrypts every secret; they still read back", async () => {
    const before = stackFile();
    await project.run(["stack", "change-secrets-provider", rotatedProvider, "--stack", "prod"]);
    const after = stackFile();
    assert.equal(after.secretsprovider, rotatedProvider);
    assert.notEqual(after.encryptedkey, before.encryptedkey);
    assert.equal(await wrappingKey(after), keyArns.rotated);
    for (const key of values.keys())
      assert.notEqual(ciphertextOf(after, key), ciphertextOf(before, key), key);
    const text = project.read("Pulumi.prod.yaml");
    for (const [key, value] of values)
      assert.ok(!text.includes(value), `${key} is in plain text in the stack file`);
    await readsBack();
    await project.run(["stack", "rm", "--yes", "prod"]);
  });
});
