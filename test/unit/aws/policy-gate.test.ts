/**
 * AwsSecrets wired to the rotation function the way the platform wires it (one function per
 * rotated database), evaluated by the whole policy pack for every shipped stack: no violation.
 */
import * as assert from "node:assert/strict";
import { AwsSecrets } from "../../../components/aws";
import { ROTATED_BY_ISSUER } from "../../../components/aws/policies";
import { DatabaseRotationFunction } from "../../../components/rotation/aws/function";
import { evaluatePolicies } from "../../../tools/offline/gate";
import { ROTATED_BY_ISSUER_TAG } from "../../../policy/policies/aws-secretsmanager-require-rotation";
import type { Environment } from "../../../stacks/schema";
import { loadedStackFor, recordResources, shippedCatalog } from "../../support/offline";

describe("AwsSecrets with its rotation functions under the policy pack", () => {
  it("tags unrotated secrets with the tag the pack accepts", () => {
    assert.deepEqual(ROTATED_BY_ISSUER, { [ROTATED_BY_ISSUER_TAG.key]: ROTATED_BY_ISSUER_TAG.value });
  });

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
      assert.deepEqual(await evaluatePolicies(resources, { environment }), []);
    });
  }
});
