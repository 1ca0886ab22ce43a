/**
 * Cloud KMS auto-unseal: a rotating crypto key; a Google service account, bound to Vault's
 * Kubernetes service account by Workload Identity, may use that key and nothing else.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { environmentName } from "../../../stacks/naming";
import { SERVICE_ACCOUNT } from "../serverNames";
import type { Unseal, UnsealContext } from "./types";

const DAY_SECONDS = 86_400;

export function gcpUnseal(ctx: UnsealContext): Unseal {
  const { name, parent, catalog, vault, profile } = ctx;
  const settings = catalog.gcp;
  if (!settings) throw new Error(`vault.unseal: "gcp" needs the top-level gcp section`);
  const keyRingName = environmentName(catalog, "vault");
  const cryptoKeyName = "vault-unseal";

  // Key rings cannot be deleted in GCP; protect them with the key.
  const keyRing = new gcp.kms.KeyRing(
    `${name}-unseal-keyring`,
    { name: keyRingName, location: settings.region, project: settings.project },
    { parent, protect: profile.protect },
  );
  const key = new gcp.kms.CryptoKey(
    `${name}-unseal-key`,
    {
      name: cryptoKeyName,
      keyRing: keyRing.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: `${profile.keyRotationDays * DAY_SECONDS}s`,
      labels: { purpose: "vault-unseal", environment: catalog.environment },
    },
    { parent, protect: profile.protect },
  );
  const account = new gcp.serviceaccount.Account(
    `${name}-unseal-sa`,
    {
      accountId: environmentName(catalog, "vault-unseal"),
      displayName: `Vault ${catalog.environment} auto-unseal`,
      project: settings.project,
    },
    { parent },
  );
  new gcp.kms.CryptoKeyIAMMember(
    `${name}-unseal-use`,
    { cryptoKeyId: key.id, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: account.member },
    { parent },
  );
  // Vault reads the key's metadata (cloudkms.cryptoKeys.get) when the seal starts.
  new gcp.kms.CryptoKeyIAMMember(
    `${name}-unseal-view`,
    { cryptoKeyId: key.id, role: "roles/cloudkms.viewer", member: account.member },
    { parent },
  );
  new gcp.serviceaccount.IAMMember(
    `${name}-unseal-workload-identity`,
    {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${settings.project}.svc.id.goog[${vault.namespace}/${SERVICE_ACCOUNT}]`,
    },
    { parent },
  );

  return {
    seal: pulumi.all([keyRing.name, key.name]).apply(([ring, cryptoKey]) => ({
      type: "seal",
      label: "gcpckms",
      attributes: {
        project: settings.project,
        region: settings.region,
        key_ring: ring,
        crypto_key: cryptoKey,
      },
    })),
    serviceAccountAnnotations: account.email.apply((email): Record<string, string> => ({
      "iam.gke.io/gcp-service-account": email,
    })),
    podLabels: {},
    volumes: [],
  };
}
