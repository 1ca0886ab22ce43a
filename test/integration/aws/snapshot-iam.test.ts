/**
 * The raft-snapshot job's AWS documents (components/vault/snapshots.ts) as the shipped prod stack
 * registers them, evaluated by an IAM simulator: only the job's service account assumes the role,
 * which may put snapshots below the catalog's prefix and do nothing else with the bucket (no
 * read, list, delete, nor a put elsewhere), and the bucket refuses plain HTTP.
 */
import * as assert from "node:assert/strict";
import { issuerHost, oidcProviderArn, type PolicyDocument } from "../../../components/aws/policies";
import { SNAPSHOT_IDENTITY } from "../../../components/vault/serverNames";
import type { RecordedResource } from "../../../tools/offline/types";
import { shippedCatalog } from "../../support/offline";
import { recordVault, single } from "../../unit/vault/support";
import { decide } from "./simulate";

describe("the raft-snapshot job's IAM role and bucket policy (prod), evaluated by iam-simulate", () => {
  const catalog = shippedCatalog("prod");
  const { bucket, prefix } = catalog.vault!.snapshots!.s3!;
  const account = catalog.aws!.accountId;
  const cluster = catalog.kubernetes.clusters.find((c) => c.name === catalog.vault!.cluster)!;
  const roleArn = `arn:aws:iam::${account}:role/sp-prod-vault-snapshot`;
  let identity: PolicyDocument;
  let trust: PolicyDocument;
  let bucketPolicy: PolicyDocument;
  before(async () => {
    const resources = await recordVault(catalog);
    const named = (type: string, suffix: string): RecordedResource =>
      single(resources, (r) => r.type === type && r.name.endsWith(suffix));
    identity = JSON.parse(String(named("aws:iam/rolePolicy:RolePolicy", "-snapshot-policy").inputs.policy));
    const role = named("aws:iam/role:Role", "-snapshot-role");
    assert.equal(role.inputs.name, "sp-prod-vault-snapshot");
    trust = JSON.parse(String(role.inputs.assumeRolePolicy));
    bucketPolicy = JSON.parse(
      String(named("aws:s3/bucketPolicy:BucketPolicy", "-tls-only").inputs.policy).replace(
        /arn:aws:s3:::[^"/]+/g,
        `arn:aws:s3:::${bucket}`,
      ),
    );
  });

  const onBucket = (action: string, resource: string, secure = "true") =>
    decide({
      principal: roleArn,
      action,
      resource,
      accountId: account,
      identityPolicies: [identity],
      resourcePolicy: bucketPolicy,
      context: { "aws:SecureTransport": secure },
    });
  const snapshot = `arn:aws:s3:::${bucket}/${prefix}/sp-prod-20261206T220000Z.snap`;

  it("puts a snapshot below the prefix over TLS", async () => {
    assert.equal(await onBucket("s3:PutObject", snapshot), "Allowed");
  });

  it("is refused a put over plain HTTP (bucket policy), and a put outside the prefix", async () => {
    assert.equal(await onBucket("s3:PutObject", snapshot, "false"), "ExplicitlyDenied");
    assert.equal(await onBucket("s3:PutObject", `arn:aws:s3:::${bucket}/other/x.snap`), "ImplicitlyDenied");
    assert.equal(
      await onBucket("s3:PutObject", `arn:aws:s3:::another-bucket/${prefix}/x.snap`),
      "ImplicitlyDenied",
    );
  });

  it("cannot read, list or delete snapshots, nor change the bucket's retention", async () => {
    for (const action of ["s3:GetObject", "s3:DeleteObject", "s3:PutObjectAcl"])
      assert.equal(await onBucket(action, snapshot), "ImplicitlyDenied", action);
    for (const action of ["s3:ListBucket", "s3:PutLifecycleConfiguration", "s3:PutBucketPolicy"])
      assert.equal(await onBucket(action, `arn:aws:s3:::${bucket}`), "ImplicitlyDenied", action);
  });

  it("is assumed by the job's service account alone: not by Vault's server account, nor with another audience", async () => {
    const host = issuerHost(cluster.oidcIssuerUrl);
    const assume = (sub: string, aud = "sts.amazonaws.com") =>
      decide({
        principal: oidcProviderArn(account, cluster.oidcIssuerUrl),
        action: "sts:AssumeRoleWithWebIdentity",
        resource: roleArn,
        accountId: account,
        resourcePolicy: trust,
        context: { [`${host}:sub`]: sub, [`${host}:aud`]: aud },
      });
    const ns = catalog.vault!.namespace;
    assert.equal(await assume(`system:serviceaccount:${ns}:${SNAPSHOT_IDENTITY}`), "Allowed");
    assert.equal(await assume(`system:serviceaccount:${ns}:vault`), "ImplicitlyDenied");
    assert.equal(await assume(`system:serviceaccount:other:${SNAPSHOT_IDENTITY}`), "ImplicitlyDenied");
    assert.equal(
      await assume(`system:serviceaccount:${ns}:${SNAPSHOT_IDENTITY}`, "vault"),
      "ImplicitlyDenied",
    );
  });
});
