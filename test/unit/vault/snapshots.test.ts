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
import { VAULT_IMAGE } from "../../../components/vault/helmValues";
import { PROFILES } from "../../../stacks/profiles";
import { ENVIRONMENTS, type CatalogInput } from "../../../stacks/schema";
import { CatalogError, validateCatalog } from "../../../stacks/validate";
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
  const invalid = (edit: (c: CatalogInput) => void): CatalogError => {
    const input = shippedCatalogInput("prod");
    edit(input);
    try {
      validateCatalog(input);
    } catch (err) {
      if (err instanceof CatalogError) return err;
      throw err;
    }
    throw new Error("the catalog was accepted");
  };

  it("refuses S3 snapshots of a Vault that does not run on AWS, naming the key", () => {
    const err = invalid((c) => {
      c.vault!.cluster = "gke-prod";
      c.vault!.unseal = "gcp";
    });
    assert.match(err.message, /vault\.snapshots\.s3: the snapshot job's S3 role is bound .* runs on gcp/);
  });

  it("refuses a bad bucket or prefix", () => {
    assert.match(
      invalid((c) => (c.vault!.snapshots!.s3!.bucket = "Bad_Bucket")).message,
      /vault\.snapshots\.s3\.bucket: must be an S3 bucket name/,
    );
    assert.match(
      invalid((c) => (c.vault!.snapshots!.s3!.prefix = "/vault/")).message,
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
  const onPremises = (edit: (c: CatalogInput) => void = () => undefined) => {
    const input = shippedCatalogInput("prod");
    input.vault!.unseal = "transit";
    input.vault!.transitUnseal = {
      address: "https://unseal.example.internal:8200",
      keyName: "sp-prod-unseal",
      caCertFile: "certs/vault-ca-prod.pem",
    };
    input.vault!.snapshots = { s3Compatible: { ...store } };
    edit(input);
    return validateCatalog(input);
  };
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
    const message = (edit: (c: CatalogInput) => void) => {
      try {
        onPremises(edit);
      } catch (err) {
        if (err instanceof CatalogError) return err.message;
        throw err;
      }
      throw new Error("the catalog was accepted");
    };
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
