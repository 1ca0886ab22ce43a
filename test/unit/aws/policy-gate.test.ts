/**
 * AwsSecrets wired to the rotation function the way the platform wires it (one function per
 * rotated database), evaluated by the whole policy pack for every shipped stack with that
 * stack's policy config (its exemptions, by exact secret name): no mandatory violation, and
 * the secrets exempt from rotation are exactly those the component marks as rotated by their
 * issuer (the catalog's `issuerRotation`, and the admin logins of rotated databases).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { AwsSecrets } from "../../../components/aws";
import { ROTATED_BY_ISSUER } from "../../../components/aws/policies";
import { DatabaseRotationFunction } from "../../../components/rotation/aws/function";
import { evaluatePolicies } from "../../../tools/offline/gate";
import type { Environment } from "../../../stacks/schema";
import { loadedStackFor, PROJECT_DIR, recordResources, shippedCatalog } from "../../support/offline";

const policyConfig = (environment: Environment) =>
  JSON.parse(
    fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${environment}.policy-config.json`), "utf8"),
  ) as Record<string, { exemptions?: Array<{ secret: string }> }>;

describe("AwsSecrets with its rotation functions under the policy pack", () => {
  for (const environment of ["dev", "staging", "prod"] as Environment[]) {
    it(`passes every policy in ${environment}`, async () => {
      const catalog = shippedCatalog(environment);
      const stack = loadedStackFor(catalog);
      const resources = await recordResources(
        () => {
          const aws = new AwsSecrets("aws", stack);
          const databases = new Set(Object.values(aws.rotatedSecrets).map((r) => r.database));
          for (const database of databases) {
            const rotated = Object.entries(aws.rotatedSecrets).filter(([, r]) => r.database === database);
            new DatabaseRotationFunction(`rotation-${database}`, {
              profile: stack.profile,
              secrets: Object.fromEntries(rotated.map(([id, r]) => [id.replace("/", "-"), r.secretArn])),
              adminSecretArn: aws.databaseAdminSecretArns[database],
              kmsKeyArn: aws.keyArn,
            });
          }
        },
        catalog,
        environment,
      );
      const config = policyConfig(environment);
      const found = await evaluatePolicies(resources, { environment, config });
      assert.deepEqual(
        found.filter((v) => v.enforcementLevel === "mandatory"),
        [],
      );
      const [[tagKey, tagValue]] = Object.entries(ROTATED_BY_ISSUER);
      const marked = resources
        .filter((r) => r.type === "aws:secretsmanager/secret:Secret")
        .filter((r) => (r.inputs.tags as Record<string, string> | undefined)?.[tagKey] === tagValue)
        .map((r) => String(r.inputs.name))
        .sort();
      const exempt = (config["aws-secretsmanager-require-rotation"]?.exemptions ?? [])
        .map((e) => e.secret)
        .sort();
      assert.deepEqual(exempt, marked);
    });
  }
});
