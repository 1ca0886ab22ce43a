/**
 * Inputs the ESO component receives from other components, built here with realistic values:
 * cloud identities per workload and the Vault connection.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExternalSecretsPlatform } from "../../../components/eso";
import type {
  VaultConnection,
  WorkloadCloudIdentity,
  WorkloadIdentities,
} from "../../../components/interfaces";
import { mockUuid } from "../../../tools/offline/mocks/context";
import { workloadIdentityName } from "../../../stacks/naming";
import { externalSecretManifest, vaultDynamicSecretManifest } from "../../../components/eso/external-secrets";
import { esoNetworkPolicyManifest } from "../../../components/eso/network-policy";
import {
  clusterSecretStoreManifest,
  secretStoreManifest,
  storeBackends,
  type VaultEndpoint,
} from "../../../components/eso/stores";
import { namespaceManifest, workloadServiceAccountManifest } from "../../../components/kubernetes/manifests";
import { profileFor } from "../../../stacks/profiles";
import type { Catalog, SecretOf } from "../../../stacks/schema";

/** A CA certificate is public, but this one is not even a certificate: only its shape matters. */
export const CA_BUNDLE_PEM =
  "-----BEGIN CERTIFICATE-----\nTUlJQm9mZmxpbmUtdGVzdC1jYQ==\n-----END CERTIFICATE-----\n";

export function identitiesFor(catalog: Catalog): WorkloadIdentities {
  return Object.fromEntries(
    catalog.workloads.map((w) => {
      const sources = new Set(w.secrets.map((s) => s.source));
      const id = workloadIdentityName(catalog, w);
      const identity: WorkloadCloudIdentity = {
        ...(sources.has("aws") && {
          awsRoleArn: pulumi.output(`arn:aws:iam::${catalog.aws?.accountId}:role/${id}`),
        }),
        ...(sources.has("gcp") && {
          gcpServiceAccountEmail: pulumi.output(`${w.name}@${catalog.gcp?.project}.iam.gserviceaccount.com`),
        }),
        ...(sources.has("azure") && { azureClientId: pulumi.output(mockUuid("client", id)) }),
      };
      return [w.name, identity];
    }),
  );
}

export function vaultConnectionFor(catalog: Catalog): VaultConnection {
  return { address: pulumi.output(catalog.vault?.address ?? ""), caBundle: pulumi.output(CA_BUNDLE_PEM) };
}

export const vaultEndpointFor = (catalog: Catalog): VaultEndpoint => ({
  server: catalog.vault?.address ?? "",
  caBundlePem: CA_BUNDLE_PEM,
});

/** Every object the ESO builders produce for a catalog: namespaces, accounts, stores, ExternalSecrets, generators, policy. */
export function everyObject(catalog: Catalog): Array<{ apiVersion?: unknown; kind?: unknown }> {
  const profile = profileFor(catalog.environment);
  return [
    esoNetworkPolicyManifest("external-secrets", catalog.vault?.address),
    ...catalog.workloads.flatMap((w) => [
      namespaceManifest(w.namespace),
      workloadServiceAccountManifest(w, { awsRoleArn: "arn:aws:iam::123456789012:role/x" }, undefined),
      ...storeBackends(w).map((b) => secretStoreManifest(catalog, w, b, vaultEndpointFor(catalog))),
      ...w.secrets.map((s) => externalSecretManifest(catalog, profile, w, s)),
      ...w.secrets
        .filter((s): s is SecretOf<"vault-database"> => s.source === "vault-database")
        .map((s) => vaultDynamicSecretManifest(catalog, w, s, vaultEndpointFor(catalog))),
    ]),
    ...(catalog.eso?.clusterSecretStores ?? []).map((s) =>
      clusterSecretStoreManifest(catalog, s, vaultEndpointFor(catalog)),
    ),
  ];
}

/** The ESO component for a catalog, with a provider per cluster and the fixtures above as its inputs. */
export function esoPlatform(
  catalog: Catalog,
  overrides: Partial<ConstructorParameters<typeof ExternalSecretsPlatform>[1]> = {},
) {
  const kubernetesProviders = Object.fromEntries(
    catalog.kubernetes.clusters.map((c) => [c.name, new k8s.Provider(`k8s-${c.name}`, {})]),
  );
  return new ExternalSecretsPlatform("eso", {
    catalog,
    profile: profileFor(catalog.environment),
    kubernetesProviders,
    identities: identitiesFor(catalog),
    vault: vaultConnectionFor(catalog),
    ...overrides,
  });
}
