/** The policy pack has no mandatory objection to what the Vault component registers, on any cloud. */
import * as assert from "node:assert/strict";
import { evaluatePolicies } from "../../../tools/offline/gate";
import { type Catalog, ENVIRONMENTS } from "../../../stacks/schema";
import { validateCatalog } from "../../../stacks/validate";
import { shippedCatalog, shippedCatalogInput } from "../../support/offline";
import { recordVault } from "./support";

function vaultUnsealingWith(cloud: "gcp" | "azure"): Catalog {
  const input = shippedCatalogInput("prod");
  input.vault!.cluster = cloud === "gcp" ? "gke-prod" : "aks-prod";
  input.vault!.unseal = cloud;
  return validateCatalog(input);
}

const cases: Array<[string, () => Catalog]> = [
  ...ENVIRONMENTS.map((env): [string, () => Catalog] => [env, () => shippedCatalog(env)]),
  ["prod, GCP unseal", () => vaultUnsealingWith("gcp")],
  ["prod, Azure unseal", () => vaultUnsealingWith("azure")],
];

describe("Vault component under the policy pack", () => {
  for (const [label, catalog] of cases) {
    it(`${label}: no mandatory violation`, async () => {
      const c = catalog();
      const violations = await evaluatePolicies(await recordVault(c), { environment: c.environment });
      assert.deepEqual(
        violations.filter((v) => v.enforcementLevel === "mandatory"),
        [],
      );
    });
  }
});
