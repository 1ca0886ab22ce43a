/**
 * Automated raft snapshots of the shipped stacks under the mock runtime: schedule and retention
 * from the profile, the CronJob's real commands, and least privilege on both sides (the Vault
 * role and policy of the job's own service account; the IAM role only that account assumes,
 * putting objects below the prefix).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "@cdktf/hcl2json";
import { SNAPSHOT_IDENTITY } from "../../../components/vault/serverNames";
import { AWS_CLI_IMAGE } from "../../../components/vault/snapshots/destination";
import { GCLOUD_IMAGE } from "../../../components/vault/snapshots/gcs";
import { VAULT_IMAGE } from "../../../components/vault/helmValues";
import { PROFILES } from "../../../stacks/profiles";
import { ENVIRONMENTS, type CatalogInput } from "../../../stacks/schema";
import { CatalogError, validateCatalog } from "../../../stacks/validate";
import { evaluatePolicies } from "../../../tools/offline/gate";
import {
  azureAuthorizationRestrictSnapshotUploaderRoles,
  gcpStorageRestrictSnapshotUploaderRoles,
} from "../../../policy/policies";
import type { RecordedResource } from "../../../tools/offline/types";
import { PROJECT_DIR, shippedCatalog, shippedCatalogInput } from "../../support/offline";
import { recordVault, single } from "./support";

type Container = {
  name: string;
  image: string;
  command: string[];
  env: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
};
type PodSpec = {
  serviceAccountName: string;
  automountServiceAccountToken: boolean;
  initContainers: Container[];
  containers: Container[];
  volumes: Array<Record<string, any>>;
};

/** The message of the CatalogError validateCatalog throws for `input` (fails when it accepts it). */
function refusal(input: CatalogInput): string {
  try {
    validateCatalog(input);
  } catch (err) {
    if (err instanceof CatalogError) return err.message;
    throw err;
  }
  throw new Error("the catalog was accepted");
}

for (const env of ENVIRONMENTS) {
  describe(`raft snapshots of the shipped ${env} stack`, () => {
    const catalog = shippedCatalog(env);
    const s3 = catalog.vault!.snapshots!.s3!;
    const profile = PROFILES[env];
    let resources: RecordedResource[];
    const byName = (type: string, suffix: string) =>
      single(resources, (r) => r.type === type && r.name.endsWith(suffix));
    before(async () => {
      resources = await recordVault(catalog);
    });

    it(`runs a CronJob on the profile's schedule (${profile.vault.snapshots.schedule}), one at a time, under its own account`, () => {
      const job = byName("kubernetes:batch/v1:CronJob", "-snapshot-job").inputs as Record<string, any>;
      assert.equal(job.spec.schedule, profile.vault.snapshots.schedule);
      assert.equal(job.spec.concurrencyPolicy, "Forbid");
      assert.deepEqual(job.metadata, { name: SNAPSHOT_IDENTITY, namespace: catalog.vault!.namespace });
      const pod = job.spec.jobTemplate.spec.template.spec as PodSpec;
      assert.equal(pod.serviceAccountName, SNAPSHOT_IDENTITY);
      assert.equal(pod.automountServiceAccountToken, false);
    });

    it("saves with the Vault CLI as the job's account (a projected token for Vault only) and uploads with the AWS CLI", () => {
      const job = byName("kubernetes:batch/v1:CronJob", "-snapshot-job").inputs as Record<string, any>;
      const pod = job.spec.jobTemplate.spec.template.spec as PodSpec;
      const [save] = pod.initContainers;
      assert.equal(save.image, `${VAULT_IMAGE.repository}:${VAULT_IMAGE.tag}`);
      assert.deepEqual(save.command.slice(0, 2), ["/bin/sh", "-ec"]);
      const script = save.command[2];
      assert.match(
        script,
        new RegExp(
          `vault write -field=token auth/kubernetes-${catalog.vault!.cluster}/login role=${SNAPSHOT_IDENTITY} jwt=@/var/run/secrets/vault/token`,
        ),
      );
      assert.match(
        script,
        /vault operator raft snapshot save "\/snapshots\/sp-[a-z]+-\$\(date -u \+%Y%m%dT%H%M%SZ\)\.snap"/,
      );
      assert.match(script, /vault token revoke -self$/);
      // From the active server: a standby's redirect ends the CLI's download as "incomplete".
      const lines = script.split("\n");
      const leader = lines.indexOf('VAULT_ADDR="$(vault read -field=leader_address sys/leader)"');
      assert.ok(
        leader > 0 && leader < lines.findIndex((l) => l.startsWith("vault operator raft snapshot save")),
      );
      const env = Object.fromEntries(save.env.map((e) => [e.name, e.value]));
      assert.equal(env.VAULT_ADDR, `https://vault.${catalog.vault!.namespace}.svc:8200`);
      assert.equal(env.VAULT_CACERT, "/vault/ca/ca.crt");
      const token = pod.volumes.find((v) => v.name === "vault-token")!;
      assert.deepEqual(token.projected.sources, [
        { serviceAccountToken: { path: "token", audience: "vault", expirationSeconds: 600 } },
      ]);
      const [upload] = pod.containers;
      assert.equal(upload.image, `${AWS_CLI_IMAGE.repository}:${AWS_CLI_IMAGE.tag}`);
      assert.deepEqual(upload.command, [
        "aws",
        "s3",
        "cp",
        "/snapshots/",
        `s3://${s3.bucket}/${s3.prefix}/`,
        "--recursive",
        "--only-show-errors",
      ]);
      // No container sees the server's TLS key: the CA comes from a ConfigMap of its own.
      assert.deepEqual(
        pod.volumes.filter((v) => v.secret),
        [],
      );
    });

    it(`keeps snapshots ${profile.vault.snapshots.retentionDays} days (bucket lifecycle), encrypted, never public, TLS only`, () => {
      const bucket = byName("aws:s3/bucket:Bucket", "-snapshots");
      assert.equal(bucket.inputs.bucket, s3.bucket);
      assert.equal(bucket.opts.protect, profile.protect);
      const lifecycle = byName(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "-retention",
      );
      assert.deepEqual(
        (lifecycle.inputs.rules as any[]).map((r) => [r.filter, r.expiration, r.status]),
        [[{ prefix: `${s3.prefix}/` }, { days: profile.vault.snapshots.retentionDays }, "Enabled"]],
      );
      const block = byName("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "-public-access").inputs;
      assert.deepEqual(
        [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
        [true, true, true, true],
      );
      const policy = JSON.parse(
        String(byName("aws:s3/bucketPolicy:BucketPolicy", "-tls-only").inputs.policy),
      );
      assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
      assert.equal(policy.Statement[0].Effect, "Deny");
    });

    it("the job's IAM role: assumed by its service account alone, may only put objects below the prefix", () => {
      const role = byName("aws:iam/role:Role", "-snapshot-role");
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
      const condition = trust.Statement[0].Condition.StringEquals as Record<string, string>;
      assert.deepEqual(
        Object.entries(condition)
          .map(([k, v]) => `${k.split(":").pop()}=${v}`)
          .sort(),
        [
          "aud=sts.amazonaws.com",
          `sub=system:serviceaccount:${catalog.vault!.namespace}:${SNAPSHOT_IDENTITY}`,
        ],
      );
      const policy = JSON.parse(
        String(byName("aws:iam/rolePolicy:RolePolicy", "-snapshot-policy").inputs.policy),
      );
      assert.deepEqual(policy.Statement, [
        {
          Sid: "PutSnapshots",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
          Resource: `arn:aws:s3:::${s3.bucket}/${s3.prefix}/*`,
        },
      ]);
      const account = byName("kubernetes:core/v1:ServiceAccount", "-snapshot-account");
      assert.deepEqual(account.inputs.metadata, {
        name: SNAPSHOT_IDENTITY,
        namespace: catalog.vault!.namespace,
        annotations: { "eks.amazonaws.com/role-arn": role.outputs.arn },
      });
    });

    it("the job's Vault identity: a Kubernetes role bound to its account only, whose policy reads sys/storage/raft/snapshot and nothing else", async () => {
      const role = single(
        resources,
        (r) =>
          r.type === "vault:kubernetes/authBackendRole:AuthBackendRole" &&
          r.inputs.roleName === SNAPSHOT_IDENTITY,
      );
      assert.deepEqual(
        [
          role.inputs.boundServiceAccountNames,
          role.inputs.boundServiceAccountNamespaces,
          role.inputs.audience,
        ],
        [[SNAPSHOT_IDENTITY], [catalog.vault!.namespace], "vault"],
      );
      assert.deepEqual(role.inputs.tokenPolicies, [SNAPSHOT_IDENTITY]);
      const policy = single(
        resources,
        (r) => r.type === "vault:index/policy:Policy" && r.inputs.name === SNAPSHOT_IDENTITY,
      );
      const parsed = (await parse("snapshot.hcl", String(policy.inputs.policy))) as {
        path: Record<string, Array<{ capabilities: string[] }>>;
      };
      assert.deepEqual(parsed.path, { "sys/storage/raft/snapshot": [{ capabilities: ["read"] }] });
    });
  });
}

describe("the cluster's images.vault: the server and the snapshot job's save container run it", () => {
  it("replaces the pinned version in the chart's values and the CronJob", async () => {
    const input = shippedCatalogInput("prod");
    const cluster = input.kubernetes.clusters.find((c) => c.name === input.vault!.cluster)!;
    cluster.images = { vault: "registry.example.com/mirror/vault:1.21.1" };
    const resources = await recordVault(validateCatalog(input));
    const values = single(resources, (r) => r.type === "kubernetes:helm.sh/v3:Release").inputs.values as {
      server: { image: unknown };
    };
    assert.deepEqual(values.server.image, { repository: "registry.example.com/mirror/vault", tag: "1.21.1" });
    const job = single(resources, (r) => r.type === "kubernetes:batch/v1:CronJob").inputs as Record<
      string,
      any
    >;
    assert.equal(
      job.spec.jobTemplate.spec.template.spec.initContainers[0].image,
      "registry.example.com/mirror/vault:1.21.1",
    );
  });
});

describe("raft snapshot settings in the catalog", () => {
  const invalid = (edit: (c: CatalogInput) => void): string => {
    const input = shippedCatalogInput("prod");
    edit(input);
    return refusal(input);
  };

  it("refuses S3 snapshots of a Vault that does not run on AWS, naming the key", () => {
    const message = invalid((c) => {
      c.vault!.cluster = "gke-prod";
      c.vault!.unseal = "gcp";
    });
    assert.match(message, /vault\.snapshots\.s3: the snapshot job's S3 role is bound .* runs on gcp/);
  });

  it("refuses a bad bucket or prefix", () => {
    assert.match(
      invalid((c) => (c.vault!.snapshots!.s3!.bucket = "Bad_Bucket")),
      /vault\.snapshots\.s3\.bucket: must be an S3 bucket name/,
    );
    assert.match(
      invalid((c) => (c.vault!.snapshots!.s3!.prefix = "/vault/")),
      /vault\.snapshots\.s3\.prefix: must be a key prefix/,
    );
  });
});

describe("raft snapshots to an S3-compatible store of the site (on-premises: transit unseal, no cloud)", () => {
  const store = {
    endpoint: "https://s3.storage.example.internal:9000",
    bucket: "vault-backups",
    prefix: "vault/prod",
    caCertFile: "certs/vault-ca-prod.pem",
  };
  const onPremisesInput = (edit: (c: CatalogInput) => void = () => undefined) => {
    const input = shippedCatalogInput("prod");
    input.vault!.unseal = "transit";
    input.vault!.transitUnseal = {
      address: "https://unseal.example.internal:8200",
      keyName: "sp-prod-unseal",
      caCertFile: "certs/vault-ca-prod.pem",
    };
    input.vault!.snapshots = { s3Compatible: { ...store } };
    edit(input);
    return input;
  };
  const onPremises = (edit?: (c: CatalogInput) => void) => validateCatalog(onPremisesInput(edit));
  const uploader = (resources: RecordedResource[]) => {
    const job = single(resources, (r) => r.type === "kubernetes:batch/v1:CronJob").inputs as Record<
      string,
      any
    >;
    const pod = job.spec.jobTemplate.spec.template.spec as PodSpec;
    return { pod, upload: pod.containers[0] };
  };

  it("uploads to the store's endpoint with the operator's access key, by reference only; registers nothing on AWS", async () => {
    const resources = await recordVault(onPremises());
    assert.deepEqual(
      resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.type),
      [],
      "no bucket, no IAM role: the store is the site's",
    );
    const { upload } = uploader(resources);
    assert.deepEqual(upload.command.slice(4, 5), ["s3://vault-backups/vault/prod/"]);
    const env = Object.fromEntries(upload.env.map((e) => [e.name, e.value ?? e.valueFrom]));
    assert.equal(env.AWS_ENDPOINT_URL_S3, store.endpoint);
    assert.equal(env.AWS_REGION, "us-east-1");
    for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])
      assert.deepEqual(env[key], { secretKeyRef: { name: "vault-snapshot-s3", key } }, key);
    const account = single(resources, (r) => r.type === "kubernetes:core/v1:ServiceAccount").inputs as {
      metadata: { annotations: Record<string, string> };
    };
    assert.deepEqual(account.metadata.annotations, {}, "no IRSA role to annotate");
    assert.deepEqual(
      resources.filter((r) => r.type === "kubernetes:core/v1:Secret"),
      [],
      "the access key's Secret is the operator's",
    );
  });

  it("publishes path-style requests and the store's private CA from the committed file, mounted read-only by the uploader alone", async () => {
    const resources = await recordVault(onPremises());
    const published = single(
      resources,
      (r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name.endsWith("-snapshot-store"),
    ).inputs as { metadata: { name: string }; data: Record<string, string> };
    assert.equal(published.data["ca.crt"], fs.readFileSync(path.join(PROJECT_DIR, store.caCertFile), "utf8"));
    assert.match(published.data.config, /^\[default\]\ns3 =\n {2}addressing_style = path\n$/);
    const { pod, upload } = uploader(resources);
    const env = Object.fromEntries(upload.env.map((e) => [e.name, e.value]));
    for (const file of [env.AWS_CA_BUNDLE, env.AWS_CONFIG_FILE]) {
      const mount = upload.volumeMounts.find((m) => file?.startsWith(`${m.mountPath}/`));
      assert.ok(mount?.readOnly, `${file} on a read-only mount`);
      assert.deepEqual(pod.volumes.find((v) => v.name === mount!.name)?.configMap, {
        name: published.metadata.name,
      });
      assert.ok(!pod.initContainers[0].volumeMounts.some((m) => m.name === mount!.name));
    }
  });

  it("without caCertFile, publishes no CA and sets no bundle (the image's public roots)", async () => {
    const resources = await recordVault(
      onPremises((c) => delete c.vault!.snapshots!.s3Compatible!.caCertFile),
    );
    const published = single(resources, (r) => r.name.endsWith("-snapshot-store")).inputs as {
      data: Record<string, string>;
    };
    assert.deepEqual(Object.keys(published.data), ["config"]);
    assert.ok(!uploader(resources).upload.env.some((e) => e.name === "AWS_CA_BUNDLE"));
  });

  it("images.snapshotUploader replaces the pinned AWS CLI image", async () => {
    const resources = await recordVault(
      onPremises((c) => {
        const cluster = c.kubernetes.clusters.find((k) => k.name === c.vault!.cluster)!;
        cluster.images = { snapshotUploader: "registry.example.internal/mirror/aws-cli:2.31.0" };
      }),
    );
    assert.equal(uploader(resources).upload.image, "registry.example.internal/mirror/aws-cli:2.31.0");
  });

  it("runs on a cluster of any cloud (no IRSA: the S3 destination's check does not apply)", () => {
    assert.doesNotThrow(() =>
      onPremises((c) => {
        c.vault!.cluster = "gke-prod";
      }),
    );
  });

  it("refuses both destinations, neither, a plain-HTTP endpoint and a bad credentials Secret name, naming the key", () => {
    const message = (edit: (c: CatalogInput) => void) => refusal(onPremisesInput(edit));
    assert.match(
      message((c) => (c.vault!.snapshots!.s3 = { bucket: "sp-prod-vault-snapshots" })),
      /vault\.snapshots: set exactly one destination: s3 \(AWS S3\), s3Compatible \(a store of the site\), gcs \(Google Cloud Storage\) or azureBlob \(Azure Blob Storage\)/,
    );
    assert.match(
      message((c) => (c.vault!.snapshots = {})),
      /vault\.snapshots: set exactly one destination/,
    );
    assert.match(
      message(
        (c) => (c.vault!.snapshots!.s3Compatible!.endpoint = "http://s3.storage.example.internal:9000"),
      ),
      /vault\.snapshots\.s3Compatible\.endpoint: must be an https:\/\/ URL/,
    );
    assert.match(
      message((c) => (c.vault!.snapshots!.s3Compatible!.credentialsSecretName = "Keys_Here")),
      /vault\.snapshots\.s3Compatible\.credentialsSecretName: /,
    );
  });
});

/** The shipped prod catalog with Vault on `cluster`, unsealed by that cloud's KMS, snapshots to `snapshots`. */
function onCloud(
  cluster: "gke-prod" | "aks-prod",
  snapshots: NonNullable<NonNullable<CatalogInput["vault"]>["snapshots"]>,
  edit: (c: CatalogInput) => void = () => undefined,
): CatalogInput {
  const input = shippedCatalogInput("prod");
  input.vault!.cluster = cluster;
  input.vault!.unseal = cluster === "gke-prod" ? "gcp" : "azure";
  input.vault!.snapshots = snapshots;
  edit(input);
  return input;
}
const cronJobPod = (resources: RecordedResource[]) => {
  const job = single(resources, (r) => r.type === "kubernetes:batch/v1:CronJob").inputs as Record<
    string,
    any
  >;
  return job.spec.jobTemplate.spec.template as {
    metadata: { labels: Record<string, string> };
    spec: PodSpec;
  };
};

describe("raft snapshots to Google Cloud Storage (Vault on GKE)", () => {
  const gcs = { bucket: "example-sp-prod-vault-snapshots", prefix: "vault/prod" };
  const profile = PROFILES.prod;
  let catalog: ReturnType<typeof validateCatalog>;
  let resources: RecordedResource[];
  const byName = (type: string, suffix: string) =>
    single(resources, (r) => r.type === type && r.name.endsWith(`-${suffix}`));
  before(async () => {
    catalog = validateCatalog(onCloud("gke-prod", { gcs }));
    resources = await recordVault(catalog);
  });

  it(`a bucket for the snapshots alone: uniform access, public access prevented, no versioning, objects below the prefix deleted after ${profile.vault.snapshots.retentionDays} days`, () => {
    const bucket = byName("gcp:storage/bucket:Bucket", "snapshots");
    assert.equal(bucket.inputs.name, gcs.bucket);
    assert.equal(bucket.inputs.project, catalog.gcp!.project);
    assert.equal(bucket.inputs.location, catalog.gcp!.region);
    assert.equal(bucket.inputs.uniformBucketLevelAccess, true);
    assert.equal(bucket.inputs.publicAccessPrevention, "enforced");
    assert.deepEqual(bucket.inputs.versioning, { enabled: false });
    assert.deepEqual(bucket.inputs.lifecycleRules, [
      {
        action: { type: "Delete" },
        condition: { age: profile.vault.snapshots.retentionDays, matchesPrefixes: ["vault/prod/"] },
      },
    ]);
    assert.equal(bucket.opts.protect, profile.protect);
  });

  it("encrypts with a Cloud KMS key of its own in the bucket's region, usable by Cloud Storage's agent, granted before the bucket", () => {
    const bucket = byName("gcp:storage/bucket:Bucket", "snapshots");
    const key = byName("gcp:kms/cryptoKey:CryptoKey", "snapshots-key");
    assert.deepEqual(bucket.inputs.encryption, { defaultKmsKeyName: key.id });
    const ring = byName("gcp:kms/keyRing:KeyRing", "snapshots-keyring");
    assert.deepEqual(
      [ring.inputs.location, ring.inputs.name],
      [catalog.gcp!.region, "sp-prod-vault-snapshots"],
    );
    assert.equal(key.inputs.keyRing, ring.id);
    const grant = byName("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "snapshots-key-agent");
    assert.deepEqual(grant.inputs, {
      cryptoKeyId: key.id,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: `serviceAccount:service-${catalog.gcp!.projectNumber}@gs-project-accounts.iam.gserviceaccount.com`,
    });
    assert.ok(bucket.opts.dependsOn.includes(grant.urn), "the bucket waits for the agent's grant");
  });

  it("the job's Google service account: impersonated by exactly its Kubernetes service account, may only create objects below the prefix", () => {
    const account = byName("gcp:serviceaccount/account:Account", "snapshot-sa");
    assert.equal(account.inputs.accountId, "sp-prod-vault-snapshot");
    const member = account.outputs.member as string;
    // Every grant to anyone on this account, and every grant this account holds.
    const onAccount = resources.filter(
      (r) =>
        r.type.startsWith("gcp:serviceaccount/iAM") && r.inputs.serviceAccountId === account.outputs.name,
    );
    assert.deepEqual(
      onAccount.map((r) => [r.type, r.inputs.role, r.inputs.member]),
      [
        [
          "gcp:serviceaccount/iAMMember:IAMMember",
          "roles/iam.workloadIdentityUser",
          `serviceAccount:${catalog.gcp!.project}.svc.id.goog[${catalog.vault!.namespace}/${SNAPSHOT_IDENTITY}]`,
        ],
      ],
    );
    const held = resources.filter((r) => r.inputs.member === member || r.inputs.members !== undefined);
    assert.deepEqual(
      held.map((r) => [r.type, r.inputs.bucket, r.inputs.role, r.inputs.condition]),
      [
        [
          "gcp:storage/bucketIAMMember:BucketIAMMember",
          gcs.bucket,
          "roles/storage.objectCreator",
          {
            title: "vault-snapshots-below-prefix",
            description: "Only objects below vault/prod/",
            expression: `resource.name.startsWith("projects/_/buckets/${gcs.bucket}/objects/vault/prod/")`,
          },
        ],
      ],
    );
    const ksa = single(
      resources,
      (r) => r.type === "kubernetes:core/v1:ServiceAccount" && r.name.endsWith("-snapshot-account"),
    );
    assert.deepEqual((ksa.inputs.metadata as any).annotations, {
      "iam.gke.io/gcp-service-account": account.outputs.email,
    });
  });

  it("uploads with the pinned Google Cloud CLI to gs://bucket/prefix/; registers nothing on AWS or Azure", () => {
    const { metadata, spec } = cronJobPod(resources);
    const [upload] = spec.containers;
    assert.equal(upload.image, `${GCLOUD_IMAGE.repository}:${GCLOUD_IMAGE.tag}`);
    assert.deepEqual(upload.command, [
      "gcloud",
      "storage",
      "cp",
      "/snapshots/*",
      `gs://${gcs.bucket}/vault/prod/`,
    ]);
    assert.deepEqual(metadata.labels, { "app.kubernetes.io/name": SNAPSHOT_IDENTITY });
    assert.deepEqual(
      resources
        .filter((r) => r.type.startsWith("aws:") || r.type.startsWith("azure-native:"))
        .map((r) => r.type),
      [],
    );
  });

  it("images.snapshotUploader replaces the pinned Google Cloud CLI image", async () => {
    const replaced = await recordVault(
      validateCatalog(
        onCloud("gke-prod", { gcs }, (c) => {
          c.kubernetes.clusters.find((k) => k.name === "gke-prod")!.images = {
            snapshotUploader: "registry.example.internal/mirror/cloud-sdk:592.0.0-slim",
          };
        }),
      ),
    );
    assert.equal(
      cronJobPod(replaced).spec.containers[0].image,
      "registry.example.internal/mirror/cloud-sdk:592.0.0-slim",
    );
  });

  it("passes the pack's snapshot-uploader rule, which flags the same resources once the grant reads objects", async () => {
    const rule = { environment: "prod" as const, policies: [gcpStorageRestrictSnapshotUploaderRoles] };
    assert.deepEqual(await evaluatePolicies(resources, rule), []);
    const widened = resources.map((r) =>
      r.type === "gcp:storage/bucketIAMMember:BucketIAMMember"
        ? { ...r, outputs: { ...r.outputs, role: "roles/storage.objectViewer" } }
        : r,
    );
    assert.equal((await evaluatePolicies(widened, rule)).length, 1);
  });

  it("refuses a catalog without the gcp section, a Vault outside GKE and a bad bucket name, naming the key", () => {
    assert.match(
      refusal(onCloud("gke-prod", { gcs }, (c) => delete c.gcp)),
      /vault\.snapshots\.gcs: snapshots to Cloud Storage needs the gcp backend/,
    );
    assert.match(
      refusal(onCloud("gke-prod", { gcs }, (c) => (c.vault!.cluster = "aks-prod"))),
      /vault\.snapshots\.gcs: .*GKE Workload Identity, which needs Vault on a gcp cluster; vault\.cluster "aks-prod" runs on azure/,
    );
    for (const bucket of ["sp.prod.snapshots", "Snapshots", "goog-snapshots", "my-google-snapshots", "ab"])
      assert.match(
        refusal(onCloud("gke-prod", { gcs: { bucket } })),
        /vault\.snapshots\.gcs\.bucket: must/,
        bucket,
      );
  });
});

describe("raft snapshots to Azure Blob Storage (Vault on AKS)", () => {
  const azureBlob = { account: "spprodvaultsnapshots", container: "vault-snapshots", prefix: "vault/prod" };
  const uploaderImage = "registry.example.internal/mirror/azure-cli:2.77.0";
  const withUploader = (c: CatalogInput) => {
    c.kubernetes.clusters.find((k) => k.name === "aks-prod")!.images = { snapshotUploader: uploaderImage };
  };
  const profile = PROFILES.prod;
  let catalog: ReturnType<typeof validateCatalog>;
  let resources: RecordedResource[];
  const byName = (type: string, suffix: string) =>
    single(resources, (r) => r.type === type && r.name.endsWith(`-${suffix}`));
  before(async () => {
    catalog = validateCatalog(onCloud("aks-prod", { azureBlob }, withUploader));
    resources = await recordVault(catalog);
  });

  it("an account for the snapshots alone: https only, TLS 1.2, no public blobs, no shared keys; a private container", () => {
    const account = byName("azure-native:storage:StorageAccount", "snapshots");
    const i = account.inputs;
    assert.deepEqual(
      [i.accountName, i.resourceGroupName, i.location],
      [azureBlob.account, catalog.azure!.resourceGroup, catalog.azure!.location],
    );
    assert.deepEqual(
      [i.enableHttpsTrafficOnly, i.minimumTlsVersion, i.allowBlobPublicAccess, i.allowSharedKeyAccess],
      [true, "TLS1_2", false, false],
    );
    assert.equal(account.opts.protect, profile.protect);
    const container = byName("azure-native:storage:BlobContainer", "snapshots-container");
    assert.deepEqual(
      [container.inputs.accountName, container.inputs.containerName, container.inputs.publicAccess],
      [azureBlob.account, azureBlob.container, "None"],
    );
  });

  it(`deletes blobs below the prefix ${profile.vault.snapshots.retentionDays} days after they were written`, () => {
    const policy = byName("azure-native:storage:ManagementPolicy", "snapshots-retention");
    assert.equal(policy.inputs.accountName, azureBlob.account);
    assert.deepEqual((policy.inputs.policy as any).rules, [
      {
        name: "vault-snapshot-retention",
        enabled: true,
        type: "Lifecycle",
        definition: {
          filters: { blobTypes: ["blockBlob"], prefixMatch: ["vault-snapshots/vault/prod/"] },
          actions: {
            baseBlob: { delete: { daysAfterModificationGreaterThan: profile.vault.snapshots.retentionDays } },
          },
        },
      },
    ]);
  });

  it("the job's managed identity: federated with exactly its Kubernetes service account on the cluster's issuer", () => {
    const identity = byName("azure-native:managedidentity:UserAssignedIdentity", "snapshot-identity");
    assert.equal(identity.inputs.resourceName, "sp-prod-vault-snapshot");
    const credentials = resources.filter(
      (r) =>
        r.type === "azure-native:managedidentity:FederatedIdentityCredential" &&
        r.inputs.resourceName === identity.outputs.name,
    );
    assert.deepEqual(
      credentials.map((r) => [r.inputs.issuer, r.inputs.subject, r.inputs.audiences]),
      [
        [
          catalog.kubernetes.clusters.find((k) => k.name === "aks-prod")!.oidcIssuerUrl,
          `system:serviceaccount:${catalog.vault!.namespace}:${SNAPSHOT_IDENTITY}`,
          ["api://AzureADTokenExchange"],
        ],
      ],
    );
  });

  it("holds one role, on the container only: a custom role that writes blobs and cannot read, list or delete them", () => {
    const identity = byName("azure-native:managedidentity:UserAssignedIdentity", "snapshot-identity");
    const container = byName("azure-native:storage:BlobContainer", "snapshots-container");
    const role = byName("azure-native:authorization:RoleDefinition", "snapshot-writer-role");
    const assignments = resources.filter(
      (r) =>
        r.type === "azure-native:authorization:RoleAssignment" &&
        r.inputs.principalId === identity.outputs.principalId,
    );
    assert.deepEqual(
      assignments.map((r) => [r.inputs.scope, r.inputs.roleDefinitionId]),
      [[container.id, role.id]],
    );
    assert.match(
      container.id!,
      /\/storageAccounts\/spprodvaultsnapshots\/blobServices\/default\/containers\/vault-snapshots$/,
    );
    assert.deepEqual(role.inputs.permissions, [
      {
        actions: [],
        notActions: [],
        dataActions: [
          "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
          "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
        ],
        notDataActions: [],
      },
    ]);
    assert.equal(role.inputs.roleType, "CustomRole");
    const rg = `/subscriptions/${catalog.azure!.subscriptionId}/resourceGroups/${catalog.azure!.resourceGroup}`;
    assert.deepEqual([role.inputs.scope, role.inputs.assignableScopes], [rg, [rg]]);
  });

  it("labels the pod for the Azure Workload Identity webhook, annotates the account with the identity, signs in with the federated token and uploads below the prefix", () => {
    const identity = byName("azure-native:managedidentity:UserAssignedIdentity", "snapshot-identity");
    const ksa = single(
      resources,
      (r) => r.type === "kubernetes:core/v1:ServiceAccount" && r.name.endsWith("-snapshot-account"),
    );
    assert.deepEqual((ksa.inputs.metadata as any).annotations, {
      "azure.workload.identity/client-id": identity.outputs.clientId,
      "azure.workload.identity/tenant-id": catalog.azure!.tenantId,
    });
    const { metadata, spec } = cronJobPod(resources);
    assert.deepEqual(metadata.labels, {
      "azure.workload.identity/use": "true",
      "app.kubernetes.io/name": SNAPSHOT_IDENTITY,
    });
    const [upload] = spec.containers;
    assert.equal(upload.image, uploaderImage);
    assert.deepEqual(upload.command.slice(0, 2), ["/bin/sh", "-ec"]);
    const lines = upload.command[2].split("\n");
    assert.match(
      lines[0],
      /^az login --service-principal .*--federated-token "\$\(cat "\$AZURE_FEDERATED_TOKEN_FILE"\)" --allow-no-subscriptions/,
    );
    assert.ok(
      lines.includes(
        '  az storage blob upload --auth-mode login --account-name spprodvaultsnapshots --container-name vault-snapshots --name "vault/prod/$(basename "$file")" --file "$file" --no-progress --output none',
      ),
      lines.join("\n"),
    );
    assert.deepEqual(
      resources.filter((r) => r.type.startsWith("aws:") || r.type.startsWith("gcp:")).map((r) => r.type),
      [],
    );
  });

  it("passes the pack's snapshot-uploader rule, which flags the same resources with Storage Blob Data Contributor", async () => {
    const rule = {
      environment: "prod" as const,
      policies: [azureAuthorizationRestrictSnapshotUploaderRoles],
    };
    assert.deepEqual(await evaluatePolicies(resources, rule), []);
    const contributor = `/subscriptions/${catalog.azure!.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`;
    const widened = resources.map((r) =>
      r.type === "azure-native:authorization:RoleAssignment"
        ? // Its dependency on the custom role stays: the built-in id it now names decides.
          { ...r, outputs: { ...r.outputs, roleDefinitionId: contributor } }
        : r,
    );
    assert.equal((await evaluatePolicies(widened, rule)).length, 1);
  });

  it("refuses a catalog without images.snapshotUploader or the azure section, and bad account or container names, naming the key", () => {
    assert.match(
      refusal(onCloud("aks-prod", { azureBlob })),
      /kubernetes\.clusters\[2\]\.images\.snapshotUploader: required with vault\.snapshots\.azureBlob: an Azure CLI \(2\.x\) image/,
    );
    assert.match(
      refusal(onCloud("aks-prod", { azureBlob }, (c) => (withUploader(c), delete c.azure))),
      /vault\.snapshots\.azureBlob: snapshots to Blob Storage needs the azure backend/,
    );
    for (const account of ["sp-prod-snapshots", "SpProd", "ab", "a".repeat(25)])
      assert.match(
        refusal(onCloud("aks-prod", { azureBlob: { ...azureBlob, account } }, withUploader)),
        /vault\.snapshots\.azureBlob\.account: must be a storage account name/,
        account,
      );
    for (const container of ["vault--snapshots", "-vault", "Vault", "ab"])
      assert.match(
        refusal(onCloud("aks-prod", { azureBlob: { ...azureBlob, container } }, withUploader)),
        /vault\.snapshots\.azureBlob\.container: must be a blob container name/,
        container,
      );
  });
});
