/** Records what the Vault component registers for a catalog under the mock runtime. */
import * as k8s from "@pulumi/kubernetes";
import { Vault } from "../../../components/vault";
import type { Catalog, Environment } from "../../../stacks/schema";
import { validateCatalog } from "../../../stacks/validate";
import type { RecordedResource } from "../../../tools/offline/types";
import { loadedStackFor, recordResources, shippedCatalogInput } from "../../support/offline";

/** `unset`: config keys the stack does not hold (removed with `pulumi config rm`). */
export function recordVault(catalog: Catalog, unset: readonly string[] = []): Promise<RecordedResource[]> {
  return recordResources(() => {
    const provider = catalog.vault?.deploy ? new k8s.Provider("k8s", {}) : undefined;
    const stack = loadedStackFor(catalog);
    const secrets = new Map([...stack.secrets].filter(([key]) => !unset.includes(key)));
    return new Vault("vault", { stack: { ...stack, secrets }, kubernetesProvider: provider });
  }, catalog);
}

export function single(
  resources: readonly RecordedResource[],
  predicate: (r: RecordedResource) => boolean,
): RecordedResource {
  const found = resources.filter(predicate);
  if (found.length !== 1) throw new Error(`expected exactly one match, found ${found.length}`);
  return found[0];
}

/**
 * The shipped `env` catalog with its Vault unsealed by another Vault's transit engine (the
 * on-premises choice) instead of the cloud KMS: the committed CA of the environment stands in
 * for the unsealing Vault's.
 */
export function transitUnsealCatalog(env: Environment = "prod"): Catalog {
  const input = shippedCatalogInput(env);
  input.vault!.unseal = "transit";
  input.vault!.transitUnseal = {
    address: "https://unseal.example.internal:8200",
    mount: "transit-unseal",
    keyName: `sp-${env}-unseal`,
    caCertFile: `certs/vault-ca-${env}.pem`,
    tokenSecretName: "vault-transit-seal",
  };
  return validateCatalog(input);
}
