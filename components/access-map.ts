/**
 * The access map with concrete identities: for each grant of the catalog, where the secret
 * lives, which ESO store reads it and which identity that store authenticates as. Exported
 * as a stack output and drawn in the preview report.
 */
import * as pulumi from "@pulumi/pulumi";
import { accessGrants, type SecretGrant } from "../stacks/access";
import {
  cloudSecretName,
  databaseCredentialPath,
  esoStoreName,
  keyVaultName,
  kubernetesSecretName,
  vaultNames,
} from "../stacks/naming";
import type { Catalog } from "../stacks/schema";
import type { WorkloadIdentities } from "./interfaces";

export interface AccessMapEntry {
  readonly workload: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The secret's name in the catalog. */
  readonly secret: string;
  readonly source: string;
  readonly backend: string;
  /** Where the secret lives in its backend (cloud secret name, Vault API path). */
  readonly secretRef: string;
  /** The ESO store (or, for database credentials, generator) that reads it on the workload's behalf. */
  readonly store: string;
  /** The identity that authenticates (IAM role ARN, Google SA email, Azure client id, Vault role). */
  readonly identity: string;
}

function secretRef(catalog: Catalog, grant: SecretGrant): string {
  const { workload, secret } = grant;
  switch (secret.source) {
    case "vault-kv":
      return `${vaultNames.kvMount(catalog)}/data/${secret.path}`;
    case "vault-database":
      return databaseCredentialPath(catalog, secret);
    case "azure":
      return `${keyVaultName(catalog)}/${cloudSecretName(catalog, workload, secret)}`;
    default:
      return cloudSecretName(catalog, workload, secret);
  }
}

function identityOf(grant: SecretGrant, identities: WorkloadIdentities): pulumi.Input<string> {
  const { workload, backend } = grant;
  const cloud = identities[workload.name];
  const missing = (what: string) => {
    throw new Error(
      `access map: workload ${workload.name} reads from ${backend} but no ${what} was provisioned for it`,
    );
  };
  switch (backend) {
    case "vault":
      return `vault role auth/${vaultNames.kubernetesAuthMount(workload.cluster)}/role/${vaultNames.workloadRole(workload)}`;
    case "aws":
      return cloud?.awsRoleArn ?? missing("IAM role");
    case "gcp":
      return cloud?.gcpServiceAccountEmail ?? missing("Google service account");
    case "azure":
      return pulumi.interpolate`azure identity ${cloud?.azureClientId ?? missing("managed identity")}`;
  }
}

/** Database credentials come from a per-secret VaultDynamicSecret generator, the rest from a store. */
function storeOf({ workload, secret, backend }: SecretGrant): string {
  return secret.source === "vault-database"
    ? `VaultDynamicSecret ${kubernetesSecretName(workload, secret)}`
    : `SecretStore ${esoStoreName(workload, backend)}`;
}

export function buildAccessMap(
  catalog: Catalog,
  identities: WorkloadIdentities,
): pulumi.Output<AccessMapEntry[]> {
  // `pulumi.all` waits for the identities that are Outputs (cloud ones); a Vault role's is known now.
  return pulumi.all(
    accessGrants(catalog).map((grant) => ({
      workload: grant.workload.name,
      namespace: grant.workload.namespace,
      serviceAccount: grant.workload.serviceAccount,
      secret: grant.secret.name,
      source: grant.secret.source,
      backend: grant.backend,
      secretRef: secretRef(catalog, grant),
      store: storeOf(grant),
      identity: identityOf(grant, identities),
    })),
  );
}
