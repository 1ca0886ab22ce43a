/** The gate's engine semantics: config resolution, enforcement levels, unknowns, type filtering. */
import assert from "node:assert/strict";
import { evaluatePolicies } from "../../tools/offline/gate";
import { awsSecretsmanagerLimitRotationInterval, vaultDatabaseLimitRoleTtl } from "../../policy/policies";
import { compliantStack, recorded } from "./fixtures";

const ROTATION = "aws-secretsmanager-limit-rotation-interval";

function withThirtyDayRotation() {
  const resources = compliantStack();
  const rotation = resources.find((r) => r.type === "aws:secretsmanager/secretRotation:SecretRotation")!;
  (rotation.inputs.rotationRules as Record<string, unknown>).scheduleExpression = "rate(30 days)";
  return resources;
}

describe("policy gate", () => {
  it("holds prod to 7-day rotation and dev to its 90-day maximum", async () => {
    const prod = await evaluatePolicies(withThirtyDayRotation(), { environment: "prod" });
    assert.deepEqual(
      prod.map((v) => v.policyName),
      [ROTATION],
    );
    assert.match(prod[0].message, /every 30 days; prod requires at most 7/);
    assert.deepEqual(await evaluatePolicies(withThirtyDayRotation(), { environment: "dev" }), []);
    assert.deepEqual(await evaluatePolicies(withThirtyDayRotation(), { environment: "staging" }), []);
  });

  it("lets policy config override a threshold and the environment", async () => {
    assert.deepEqual(
      await evaluatePolicies(withThirtyDayRotation(), {
        environment: "prod",
        config: { [ROTATION]: { maxRotationDays: 30 } },
      }),
      [],
    );
    const strictDev = await evaluatePolicies(withThirtyDayRotation(), {
      environment: "dev",
      config: { [ROTATION]: { environment: "prod" } },
    });
    assert.equal(strictDev.length, 1);
  });

  it("applies enforcement levels from `all`, then the policy's own entry, and skips disabled policies", async () => {
    const all = await evaluatePolicies(withThirtyDayRotation(), {
      environment: "prod",
      config: { all: "advisory" },
    });
    assert.equal(all[0].enforcementLevel, "advisory");
    const own = await evaluatePolicies(withThirtyDayRotation(), {
      environment: "prod",
      config: { all: "advisory", [ROTATION]: { enforcementLevel: "mandatory" } },
    });
    assert.equal(own[0].enforcementLevel, "mandatory");
    assert.deepEqual(
      await evaluatePolicies(withThirtyDayRotation(), {
        environment: "prod",
        config: { [ROTATION]: "disabled" },
      }),
      [],
    );
  });

  it("rejects config that names no policy or no setting, before evaluating anything", async () => {
    await assert.rejects(
      evaluatePolicies([], { environment: "prod", config: { "aws-nothing": "advisory" } }),
      /aws-nothing/,
    );
    await assert.rejects(
      evaluatePolicies([], { environment: "prod", config: { [ROTATION]: { maxRotationDay: 3 } } }),
      /maxRotationDay/,
    );
    await assert.rejects(evaluatePolicies([], { environment: "prod", config: { all: "strict" } }), /strict/);
  });

  it("reads the environment from the stack in the URN when config names none (the engine's path)", async () => {
    const resources = withThirtyDayRotation().map((r) => ({
      ...r,
      urn: r.urn.replace("urn:pulumi:prod::", "urn:pulumi:dev::"),
    }));
    // The gate always names the environment; the engine hands policies no `environment`, as here.
    const noEnvironment = {
      environment: "prod" as const,
      policies: [{ ...awsSecretsmanagerLimitRotationInterval, configSchema: { properties: {} } }],
    };
    assert.deepEqual(await evaluatePolicies(resources, noEnvironment), []);
  });

  it("reports a value unknown during preview as an advisory 'can't run' violation, like the engine", async () => {
    const { unknownStringValue } = require("@pulumi/policy/proxy"); // eslint-disable-line @typescript-eslint/no-require-imports
    const role = recorded("vault:database/secretBackendRole:SecretBackendRole", "r", {
      backend: "db",
      dbName: "x",
      creationStatements: [],
      defaultTtl: unknownStringValue,
      maxTtl: 60,
    });
    const violations = await evaluatePolicies([role], {
      environment: "prod",
      policies: [vaultDatabaseLimitRoleTtl],
    });
    assert.equal(violations.length, 1);
    assert.equal(violations[0].enforcementLevel, "advisory");
    assert.match(violations[0].message, /can't run policy 'vault-database-limit-role-ttl' during preview/);
  });

  it("does not call validators typed for another resource type", async () => {
    let calls = 0;
    const spy = {
      ...vaultDatabaseLimitRoleTtl,
      validateResource: Object.assign(() => void calls++, {
        __pulumiType: "vault:database/secretBackendRole:SecretBackendRole",
      }),
    };
    await evaluatePolicies(compliantStack(), { environment: "prod", policies: [spy] });
    assert.equal(calls, 1);
  });
});
