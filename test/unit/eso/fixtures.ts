/**
 * Inputs the ESO component receives from other components, built here with realistic values:
 * cloud identities per workload and the Vault connection.
 */
import * as pulumi from "@pulumi/pulumi";
import type {
  VaultConnection,
  WorkloadCloudIdentity,
  WorkloadIdentities,
} from "../../../components/interfaces";
import { mockUuid } from "../../../tools/offline/mocks/context";
import { workloadIdentityName } from "../../../stacks/naming";
import type { Catalog } from "../../../stacks/schema";

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
