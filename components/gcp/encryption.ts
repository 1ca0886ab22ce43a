/**
 * Customer-managed encryption: for Secret Manager one Cloud KMS key per location the secrets
 * are stored in, usable by the Secret Manager service agent and nobody else we grant (the Vault
 * snapshots' bucket takes a key of its own the same way: components/vault/snapshots/gcs.ts).
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

/** One Cloud KMS key of the platform and the grant that lets a Google service agent use it. */
export interface CmekKey {
  readonly key: gcp.kms.CryptoKey;
  readonly agentGrant: gcp.kms.CryptoKeyIAMMember;
}

/**
 * A key ring `<prefix>-<env>-<ring>` in `location` holding one key, rotated on the profile's
 * period, usable by `agentMember` (a service's agent, which encrypts on the service's behalf).
 * Children: `${name}-keyring${suffix}`, `${name}-key${suffix}`, `${name}-key-agent${suffix}`.
 */
export function createCmekKey(
  name: string,
  suffix: string,
  parent: pulumi.Resource,
  args: {
    readonly catalog: Catalog;
    readonly profile: EnvironmentProfile;
    readonly location: string;
    readonly ring: string;
    readonly key: string;
    readonly agentMember: pulumi.Input<string>;
  },
): CmekKey {
  const { catalog, profile, location } = args;
  const settings = catalog.gcp as GcpSettings;
  // Key rings and keys cannot be deleted in Cloud KMS; destroying a key's versions makes
  // everything it protects unreadable. In prod Pulumi must neither delete nor forget them.
  const stateful = { parent, protect: profile.protect, retainOnDelete: profile.protect };
  const ring = new gcp.kms.KeyRing(
    `${name}-keyring${suffix}`,
    { project: settings.project, location, name: environmentName(catalog, args.ring) },
    stateful,
  );
  const key = new gcp.kms.CryptoKey(
    `${name}-key${suffix}`,
    {
      keyRing: ring.id,
      name: args.key,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: `${profile.keyRotationDays * 86_400}s`,
      labels: gcpLabels(catalog, { purpose: `${args.key}-cmek` }),
    },
    stateful,
  );
  const agentGrant = new gcp.kms.CryptoKeyIAMMember(
    `${name}-key-agent${suffix}`,
    { cryptoKeyId: key.id, role: KMS_ENCRYPTER_DECRYPTER_ROLE, member: args.agentMember },
    { parent },
  );
  return { key, agentGrant };
}

export function createSecretKeys(
  name: string,
  parent: pulumi.Resource,
  catalog: Catalog,
  profile: EnvironmentProfile,
  agentMember: pulumi.Input<string>,
): SecretKeys {
  const keys = new Map<string, gcp.kms.CryptoKey>();
  const agentGrants: gcp.kms.CryptoKeyIAMMember[] = [];
  for (const location of keyLocations(catalog.gcp as GcpSettings)) {
    const { key, agentGrant } = createCmekKey(name, `-${location}`, parent, {
      catalog,
      profile,
      location,
      ring: "secrets",
      key: "secret-manager",
      agentMember,
    });
    keys.set(location, key);
    agentGrants.push(agentGrant);
  }
  return { keys, agentGrants };
}
