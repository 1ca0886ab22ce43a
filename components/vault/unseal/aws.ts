/**
 * AWS KMS auto-unseal: a rotating key whose policy names no wildcard principal, used only by
 * an IRSA role that Vault's service account alone can assume.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { environmentName } from "../../../stacks/naming";
import { KMS_KEY_ADMINISTRATION } from "../../aws/policies";
import { serviceAccountSubject } from "../serverNames";
import { clamp, type Unseal, type UnsealContext } from "./types";

const KEY_USE = ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"];

export function awsUnseal(ctx: UnsealContext): Unseal {
  const { name, parent, catalog, vault, profile, cluster } = ctx;
  const settings = catalog.aws;
  if (!settings) throw new Error(`vault.unseal: "aws" needs the top-level aws section`);
  const issuer = cluster.oidcIssuerUrl.replace(/^https:\/\//, "").replace(/\/$/, "");
  const tags = { ...catalog.tags, "secrets-platform/purpose": "vault-unseal" };

  const role = new aws.iam.Role(
    `${name}-unseal-role`,
    {
      name: environmentName(catalog, "vault-unseal"),
      description: `Vault ${catalog.environment} auto-unseal (IRSA for ${serviceAccountSubject(vault.namespace)})`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: `arn:aws:iam::${settings.accountId}:oidc-provider/${issuer}` },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                [`${issuer}:sub`]: serviceAccountSubject(vault.namespace),
                [`${issuer}:aud`]: "sts.amazonaws.com",
              },
            },
          },
        ],
      }),
      tags,
    },
    { parent },
  );

  const key = new aws.kms.Key(
    `${name}-unseal-key`,
    {
      description: `Vault ${catalog.environment} auto-unseal`,
      keyUsage: "ENCRYPT_DECRYPT",
      enableKeyRotation: true,
      rotationPeriodInDays: clamp(profile.keyRotationDays, 90, 2560),
      deletionWindowInDays: clamp(profile.recoveryWindowDays, 7, 30),
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministersKey",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${settings.accountId}:root` },
            Action: KMS_KEY_ADMINISTRATION,
            Resource: "*",
          },
          {
            Sid: "VaultUnsealUsesKey",
            Effect: "Allow",
            Principal: { AWS: role.arn },
            Action: KEY_USE,
            Resource: "*",
          },
        ],
      }),
      tags,
    },
    { parent, protect: profile.protect },
  );

  new aws.kms.Alias(
    `${name}-unseal-alias`,
    { name: `alias/${environmentName(catalog, "vault-unseal")}`, targetKeyId: key.keyId },
    { parent },
  );

  new aws.iam.RolePolicy(
    `${name}-unseal-policy`,
    {
      role: role.name,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: KEY_USE, Resource: key.arn }],
      }),
    },
    { parent },
  );

  return {
    seal: key.keyId.apply((keyId) => ({
      type: "seal",
      label: "awskms",
      attributes: { region: settings.region, kms_key_id: keyId },
    })),
    serviceAccountAnnotations: role.arn.apply((arn): Record<string, string> => ({
      "eks.amazonaws.com/role-arn": arn,
    })),
    podLabels: {},
    volumes: [],
  };
}
