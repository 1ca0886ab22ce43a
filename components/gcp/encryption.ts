/**
 * Customer-managed encryption for Secret Manager: one Cloud KMS key per location the
 * secrets are stored in, usable by the Secret Manager service agent and nobody else we grant.
 *
 * Secret Manager requires the key of an automatically replicated secret to live in `global`
 * and the key of a user-managed replica to live in that replica's location (API reference,
 * google.cloud.secretmanager.v1.CustomerManagedEncryption.kms_key_name).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { environmentName } from "../../stacks/naming";
import type { EnvironmentProfile } from "../../stacks/profiles";
import type { Catalog, GcpSettings } from "../../stacks/schema";
import { gcpLabels } from "./names";

export const AUTOMATIC_REPLICATION_KEY_LOCATION = "global";
export const KMS_ENCRYPTER_DECRYPTER_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

/** Where secret payloads are stored, hence where their keys must be. */
export function keyLocations(gcpSettings: GcpSettings): string[] {
  return gcpSettings.replicaLocations.length > 0
    ? [...gcpSettings.replicaLocations]
    : [AUTOMATIC_REPLICATION_KEY_LOCATION];
}

export interface SecretKeys {
  /** Location → crypto key. */
  readonly keys: ReadonlyMap<string, gcp.kms.CryptoKey>;
  /** The grants Secret Manager needs before a secret using these keys can be created. */
  readonly agentGrants: readonly gcp.kms.CryptoKeyIAMMember[];
}

export function createSecretKeys(
  name: string,
  parent: pulumi.Resource,
  catalog: Catalog,
  profile: EnvironmentProfile,
  agentMember: pulumi.Input<string>,
): SecretKeys {
  const settings = catalog.gcp as GcpSettings;
  // Key rings and keys cannot be deleted in Cloud KMS; destroying a key's versions makes
  // every secret it protects unreadable. In prod Pulumi must neither delete nor forget them.
  const stateful = { parent, protect: profile.protect, retainOnDelete: profile.protect };
  const keys = new Map<string, gcp.kms.CryptoKey>();
  const agentGrants: gcp.kms.CryptoKeyIAMMember[] = [];
  for (const location of keyLocations(settings)) {
    const ring = new gcp.kms.KeyRing(
      `${name}-keyring-${location}`,
      { project: settings.project, location, name: environmentName(catalog, "secrets") },
      stateful,
    );
    const key = new gcp.kms.CryptoKey(
      `${name}-key-${location}`,
      {
        keyRing: ring.id,
        name: "secret-manager",
        purpose: "ENCRYPT_DECRYPT",
        rotationPeriod: `${profile.keyRotationDays * 86_400}s`,
        labels: gcpLabels(catalog, { purpose: "secret-manager-cmek" }),
      },
      stateful,
    );
    keys.set(location, key);
    agentGrants.push(
      new gcp.kms.CryptoKeyIAMMember(
        `${name}-key-agent-${location}`,
        { cryptoKeyId: key.id, role: KMS_ENCRYPTER_DECRYPTER_ROLE, member: agentMember },
        { parent },
      ),
    );
  }
  return { keys, agentGrants };
}
