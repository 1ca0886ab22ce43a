/**
 * DatabaseRotationFunction: the alternating-users rotation function for Secrets Manager
 * database secrets, with a least-privilege execution role, an invoke permission per secret
 * scoped by source ARN and account, and a rotation schedule per secret from the profile.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import type { EnvironmentProfile } from "../../../stacks/profiles";
import { bundleRotationHandler } from "./bundle";
import { arnParts, rotationPolicy } from "./policy";

export interface DatabaseRotationVpcConfig {
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
}

export interface DatabaseRotationFunctionArgs {
  /** The environment's profile: schedule and window come from `staticRotation`. */
  readonly profile: EnvironmentProfile;
  /** Secrets to rotate, by a stable key (names the per-secret children): key → secret ARN. */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  /** ARN of the secret with the administrative login (the rotated secrets' `masterarn`). */
  readonly adminSecretArn: pulumi.Input<string>;
  /** Customer-managed key encrypting the rotated and admin secrets. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Attach the function to a VPC (databases without public endpoints). */
  readonly vpc?: DatabaseRotationVpcConfig;
  /** TLS to the databases; "verify" (default) checks the server certificate. */
  readonly databaseTls?: "verify" | "disable";
  /** PEM bundle of the database CA (e.g. the RDS global bundle), shipped with the function. */
  readonly databaseCaBundlePath?: string;
  /** Retention of the function's log group. Default 365 days. */
  readonly logRetentionDays?: number;
  /**
   * Fixed name of the execution role. Secret and key policies name the rotation role before
   * it exists (stacks/naming.ts `awsNames.rotationFunctionRole`), so it cannot be auto-named.
   */
  readonly roleName?: string;
  /**
   * Fixed name of the function (its log group is then `/aws/lambda/<name>`), so that the CI
   * deploy role's Lambda and log permissions can be scoped to the environment's names.
   */
  readonly functionName?: string;
}

const SECRET_KEY = /^[a-z0-9][a-z0-9-]{0,40}$/;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const CA_FILE = "ca.pem";

function validate(name: string, args: DatabaseRotationFunctionArgs): void {
  const keys = Object.keys(args.secrets ?? {});
  if (keys.length === 0)
    throw new Error(`DatabaseRotationFunction ${name}: "secrets" must name at least one secret to rotate`);
  for (const key of keys) {
    if (!SECRET_KEY.test(key)) {
      throw new Error(
        `DatabaseRotationFunction ${name}: secrets key "${key}" must be lowercase letters, digits and dashes`,
      );
    }
  }
  if (args.functionName !== undefined && !FUNCTION_NAME.test(args.functionName)) {
    throw new Error(
      `DatabaseRotationFunction ${name}: functionName "${args.functionName}" must be 1-64 letters, digits, '-' or '_'`,
    );
  }
  if (args.databaseCaBundlePath !== undefined && !fs.existsSync(args.databaseCaBundlePath)) {
    throw new Error(
      `DatabaseRotationFunction ${name}: databaseCaBundlePath "${args.databaseCaBundlePath}" does not exist`,
    );
  }
  if (args.databaseCaBundlePath !== undefined && args.databaseTls === "disable") {
    throw new Error(
      `DatabaseRotationFunction ${name}: databaseCaBundlePath is set but databaseTls is "disable"`,
    );
  }
}

export class DatabaseRotationFunction extends pulumi.ComponentResource {
  public readonly functionArn: pulumi.Output<string>;
  public readonly functionName: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: DatabaseRotationFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args);
    super("secrets-platform:rotation:DatabaseRotationFunction", name, args, opts);
    const parent = { parent: this };
    const entries = Object.entries(args.secrets);

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: args.functionName && `/aws/lambda/${args.functionName}`,
        retentionInDays: args.logRetentionDays ?? 365,
      },
      parent,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      },
      parent,
    );

    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([pulumi.all(entries.map(([, arn]) => arn)), args.adminSecretArn, args.kmsKeyArn, logGroup.arn])
          .apply(([secretArns, adminSecretArn, kmsKeyArn, logGroupArn]) =>
            JSON.stringify(
              rotationPolicy({
                secretArns,
                adminSecretArn,
                kmsKeyArn,
                logGroupArn,
                vpc: args.vpc !== undefined,
              }),
            ),
          ),
      },
      parent,
    );

    const tls = args.databaseTls ?? "verify";
    const assets: pulumi.asset.AssetMap = {
      "index.js": new pulumi.asset.StringAsset(bundleRotationHandler()),
    };
    const variables: Record<string, string> = { ROTATION_DB_TLS: tls };
    if (args.databaseCaBundlePath !== undefined) {
      assets[CA_FILE] = new pulumi.asset.FileAsset(args.databaseCaBundlePath);
      variables.ROTATION_DB_TLS_CA_FILE = `/var/task/${CA_FILE}`;
    }

    const fn = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.functionName,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive(assets),
        role: role.arn,
        timeout: 60,
        memorySize: 256,
        environment: { variables },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        vpcConfig: args.vpc && { subnetIds: args.vpc.subnetIds, securityGroupIds: args.vpc.securityGroupIds },
      },
      // The role's policy must exist before Secrets Manager can first invoke the function.
      { parent: this, dependsOn: [policy] },
    );

    for (const [key, secretArn] of entries) {
      const permission = new aws.lambda.Permission(
        `${name}-invoke-${key}`,
        {
          function: fn.name,
          action: "lambda:InvokeFunction",
          principal: "secretsmanager.amazonaws.com",
          sourceArn: secretArn,
          sourceAccount: pulumi.output(secretArn).apply((arn) => arnParts(arn, `secrets.${key}`).account),
        },
        parent,
      );
      new aws.secretsmanager.SecretRotation(
        `${name}-rotation-${key}`,
        {
          secretId: secretArn,
          rotationLambdaArn: fn.arn,
          rotationRules: {
            scheduleExpression: args.profile.staticRotation.awsScheduleExpression,
            duration: args.profile.staticRotation.awsWindow,
          },
        },
        { parent: this, dependsOn: [permission] },
      );
    }

    this.functionArn = fn.arn;
    this.functionName = fn.name;
    this.roleArn = role.arn;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      functionArn: this.functionArn,
      functionName: this.functionName,
      roleArn: this.roleArn,
      logGroupName: this.logGroupName,
    });
  }
}
