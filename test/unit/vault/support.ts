/** Records what the Vault component registers for a catalog under the mock runtime. */
import * as k8s from "@pulumi/kubernetes";
import { Vault } from "../../../components/vault";
import type { Catalog } from "../../../stacks/schema";
import type { RecordedResource } from "../../../tools/offline/types";
import { loadedStackFor, recordResources } from "../../support/offline";

export function recordVault(catalog: Catalog): Promise<RecordedResource[]> {
  return recordResources(() => {
    const provider = catalog.vault?.deploy ? new k8s.Provider("k8s", {}) : undefined;
    return new Vault("vault", { stack: loadedStackFor(catalog), kubernetesProvider: provider });
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
