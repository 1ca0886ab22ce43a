/**
 * DatabaseRotationFunction under Pulumi's mock runtime: the least-privilege wiring (role policy,
 * invoke permission, rotation rules) as registered, for each environment profile.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseRotationFunction } from "../../../components/rotation/aws/function";
import { PROFILES } from "../../../stacks/profiles";
import type { Environment } from "../../../stacks/schema";
import { named } from "../../support/offline";

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

const registered: Registered[] = [];
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const SECRETS = {
  orders: arn("secretsmanager", "secret:orders-db-AbCdEf"),
  billing: arn("secretsmanager", "secret:billing-db-GhIjKl"),
};
const ADMIN = arn("secretsmanager", "secret:admin-db-MnOpQr");
const KEY = arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab");

function installMocks(): void {
  // Installed per suite: the mock runtime is process-wide and other suites install their own.
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const service = args.type.split(":")[1].split("/")[0];
        return {
          id: `${args.name}-id`,
          state: {
            ...args.inputs,
            arn: arn(service === "cloudwatch" ? "logs" : service, `${args.name}`),
            name: args.name,
          },
        };
      },
      call: (args) => args.inputs,
    },
    "secrets-platform",
    "unit",
    false,
  );
}

/** Waits until the mock runtime has registered every resource the component creates. */
async function settle(count: number): Promise<void> {
  for (let i = 0; i < 500 && registered.length < count; i++) await new Promise((r) => setTimeout(r, 5));
}

const find = (type: string, name: string) => named(registered, type, name);

async function deploy(name: string, environment: Environment, vpc: boolean): Promise<void> {
  const before = registered.length;
  new DatabaseRotationFunction(name, {
    profile: PROFILES[environment],
    secrets: SECRETS,
    adminSecretArn: ADMIN,
    kmsKeyArn: KEY,
    vpc: vpc ? { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] } : undefined,
  });
  // component, log group, role, policy, function, and per secret a permission and a rotation.
  await settle(before + 5 + 2 * Object.keys(SECRETS).length);
}

describe("DatabaseRotationFunction (mock runtime)", function () {
  this.timeout(60_000);

  before(() => {
    installMocks();
    return deploy("rot-dev", "dev", false);
  });

  it("grants exactly the rotation actions on exactly the rotated and admin secrets", () => {
    const policy = JSON.parse(
      find("aws:iam/rolePolicy:RolePolicy", "rot-dev-policy").inputs.policy as string,
    );
    const secretArns = Object.values(SECRETS);
    assert.deepEqual(policy.Statement, [
      {
        Sid: "RotateSecrets",
        Effect: "Allow",
        Action: [
          "secretsmanager:DescribeSecret",
          "secretsmanager:GetSecretValue",
          "secretsmanager:PutSecretValue",
          "secretsmanager:UpdateSecretVersionStage",
        ],
        Resource: secretArns,
      },
      {
        Sid: "ReadAdminSecret",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: [ADMIN],
      },
      {
        Sid: "GeneratePasswords",
        Effect: "Allow",
        Action: ["secretsmanager:GetRandomPassword"],
        Resource: ["*"],
      },
      {
        Sid: "UseKeyThroughSecretsManager",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [KEY],
        Condition: {
          StringEquals: {
            "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`,
            "kms:EncryptionContext:SecretARN": [...secretArns, ADMIN],
          },
        },
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${arn("logs", "rot-dev-logs")}:*`],
      },
    ]);
  });

  it("lets only Lambda assume the role", () => {
    const trust = JSON.parse(find("aws:iam/role:Role", "rot-dev-role").inputs.assumeRolePolicy as string);
    assert.deepEqual(trust.Statement, [
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });

  it("ships the bundled handler on Node 22 with TLS verification and its own log group", () => {
    const fn = find("aws:lambda/function:Function", "rot-dev-function").inputs;
    assert.equal(fn.runtime, "nodejs22.x");
    assert.equal(fn.handler, "index.handler");
    assert.deepEqual(fn.environment, { variables: { ROTATION_DB_TLS: "verify" } });
    assert.deepEqual(fn.loggingConfig, { logFormat: "JSON", logGroup: "rot-dev-logs" });
    assert.equal(fn.vpcConfig, undefined);
  });

  it("lets Secrets Manager invoke the function only for each rotated secret of this account", () => {
    for (const [key, secretArn] of Object.entries(SECRETS)) {
      const permission = find("aws:lambda/permission:Permission", `rot-dev-invoke-${key}`).inputs;
      assert.deepEqual(
        { ...permission, function: undefined },
        {
          function: undefined,
          action: "lambda:InvokeFunction",
          principal: "secretsmanager.amazonaws.com",
          sourceArn: secretArn,
          sourceAccount: ACCOUNT,
        },
      );
    }
  });

  for (const environment of ["dev", "staging", "prod"] as const) {
    it(`schedules rotation from the ${environment} profile`, async () => {
      const name = `rot-${environment}-sched`;
      await deploy(name, environment, false);
      for (const [key, secretArn] of Object.entries(SECRETS)) {
        const rotation = find(
          "aws:secretsmanager/secretRotation:SecretRotation",
          `${name}-rotation-${key}`,
        ).inputs;
        assert.equal(rotation.secretId, secretArn);
        assert.deepEqual(rotation.rotationRules, {
          scheduleExpression: PROFILES[environment].staticRotation.awsScheduleExpression,
          duration: PROFILES[environment].staticRotation.awsWindow,
        });
      }
    });
  }

  it("adds network-interface permissions only when attached to a VPC", async () => {
    await deploy("rot-vpc", "prod", true);
    const policy = JSON.parse(
      find("aws:iam/rolePolicy:RolePolicy", "rot-vpc-policy").inputs.policy as string,
    );
    assert.deepEqual(policy.Statement.at(-1), {
      Sid: "AttachToVpc",
      Effect: "Allow",
      Action: [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
      ],
      Resource: ["*"],
    });
    assert.deepEqual(find("aws:lambda/function:Function", "rot-vpc-function").inputs.vpcConfig, {
      subnetIds: ["subnet-1"],
      securityGroupIds: ["sg-1"],
    });
  });

  it("refuses bad arguments before registering anything", () => {
    const before = registered.length;
    const base = { profile: PROFILES.dev, adminSecretArn: ADMIN, kmsKeyArn: KEY };
    assert.throws(
      () => new DatabaseRotationFunction("bad", { ...base, secrets: {} }),
      /"secrets" must name at least one/,
    );
    assert.throws(
      () => new DatabaseRotationFunction("bad", { ...base, secrets: { Orders: SECRETS.orders } }),
      /secrets key "Orders"/,
    );
    assert.equal(registered.length, before);
  });
});
