/**
 * The policy pack has no mandatory objection to what the Vault component registers, on any
 * cloud, with each stack's shipped policy config; and that config exempts exactly the
 * privileged Vault policies the catalog implies, each of them needed.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { vaultPolicyForbidPrivilegedWorkloadPaths as PRIVILEGED } from "../../../policy/policies";
import { evaluatePolicies } from "../../../tools/offline/gate";
import { readPolicyConfigFile } from "../../../tools/offline/preview";
import { type Catalog, ENVIRONMENTS, type Environment } from "../../../stacks/schema";
import { validateCatalog } from "../../../stacks/validate";
import { PROJECT_DIR, shippedCatalog, shippedCatalogInput } from "../../support/offline";
import { recordVault } from "./support";

function vaultUnsealingWith(cloud: "gcp" | "azure"): Catalog {
  const input = shippedCatalogInput("prod");
  input.vault!.cluster = cloud === "gcp" ? "gke-prod" : "aks-prod";
  input.vault!.unseal = cloud;
  delete input.vault!.snapshots; // S3 snapshots need Vault on AWS
  return validateCatalog(input);
}

/** The shipped stack's policy config (what `--policy-pack-config` gets for that stack). */
const policyConfig = (stack: Environment) =>
  readPolicyConfigFile(path.join(PROJECT_DIR, `Pulumi.${stack}.policy-config.json`));

const cases: Array<[string, Environment, () => Catalog]> = [
  ...ENVIRONMENTS.map((env): [string, Environment, () => Catalog] => [env, env, () => shippedCatalog(env)]),
  ["prod, GCP unseal", "prod", () => vaultUnsealingWith("gcp")],
  ["prod, Azure unseal", "prod", () => vaultUnsealingWith("azure")],
];

/**
 * Privileged Vault policies a catalog declares by design: the deployer's; the read-only one of
 * CI previews when GitHub Actions logs in (it reads configuration under sys/, and sudo-only
 * sys/audit); the operators' and break-glass ones when no OIDC login
 * carries them. A ClusterSecretStore's glob below `data/<prefix>/` is no longer privileged
 * (the rule's globAfterMount), so it needs none.
 */
function expectedExemptions(catalog: Catalog): string[] {
  return [
    "platform-deployer",
    ...(catalog.vault?.jwt ? ["platform-preview"] : []),
    ...(catalog.vault?.oidc ? [] : ["operator", "break-glass"]),
    // Held to its one grant by vault-policy-restrict-snapshot-grants.
    ...(catalog.vault?.deploy && catalog.vault.snapshots ? ["vault-snapshot"] : []),
  ].sort();
}

describe("Vault component under the policy pack", () => {
  for (const [label, stack, catalog] of cases) {
    it(`${label}: no mandatory violation with the stack's policy config`, async () => {
      const c = catalog();
      const violations = await evaluatePolicies(await recordVault(c), {
        environment: c.environment,
        config: policyConfig(stack),
      });
      assert.deepEqual(
        violations.filter((v) => v.enforcementLevel === "mandatory"),
        [],
      );
    });
  }

  for (const stack of ENVIRONMENTS) {
    it(`${stack}: the policy config exempts exactly what the catalog implies, each exemption used and reported`, async () => {
      const catalog = shippedCatalog(stack);
      const config = policyConfig(stack)[PRIVILEGED.name] as {
        exemptions: { policy: string; reason: string }[];
      };
      const names = config.exemptions.map((e) => e.policy).sort();
      assert.deepEqual(names, expectedExemptions(catalog));

      const resources = await recordVault(catalog);
      const run = (withConfig: boolean) =>
        evaluatePolicies(resources, {
          environment: catalog.environment,
          policies: [PRIVILEGED],
          config: withConfig ? { [PRIVILEGED.name]: config } : undefined,
        });
      // Without the config, each exempted policy is a mandatory violation: none is superfluous.
      const without = await run(false);
      assert.ok(without.every((v) => v.enforcementLevel === "mandatory"));
      const flagged = (vs: typeof without) =>
        [...new Set(vs.map((v) => /^Vault policy "([^"]+)"/.exec(v.message)?.[1]))].sort();
      assert.deepEqual(flagged(without), names);
      // With it, one advisory note per exemption, naming its reason.
      const withIt = await run(true);
      assert.ok(withIt.every((v) => v.enforcementLevel === "advisory"));
      assert.deepEqual(flagged(withIt), names);
      for (const e of config.exemptions)
        assert.ok(
          withIt.some((v) =>
            v.message.includes(`Exempt by configuration (exemption "${e.policy}"): ${e.reason}`),
          ),
          e.policy,
        );
    });
  }
});
