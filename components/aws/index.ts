/**
 * AWS Secrets Manager for one environment: a customer-managed key, one secret per (workload,
 * aws secret) readable by exactly that workload's IAM role, CI roles for GitHub Actions and an
 * alert on unexpected reads. Every IAM document comes from `policies.ts`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsNames } from "../../stacks/naming";
import type { EnvironmentProfile } from "../../stacks/profiles";
import type { Catalog } from "../../stacks/schema";
import type { WorkloadIdentities } from "../interfaces";
import { adminSecretValue, initialRotatedValue } from "../rotation/seed";
import { readAlert } from "./audit";
import { type GithubCiRoles, githubCiRoles } from "./ci";
import { grantWorkload, workloadRoles as workloadRolesOf } from "./identity";
import { type PlannedSecret, planAws } from "./plan";
import {
  ROTATED_BY_ISSUER,
  SECRET_METADATA_ACTIONS,
  SECRET_READ_ACTIONS,
  SECRET_ROTATION_ACTIONS,
  type PolicyDocument,
  keyPolicy,
  secretResourcePolicy,
} from "./policies";

export type { GithubCiRoles } from "./ci";

export interface AwsSecretsArgs {
  readonly catalog: Catalog;
  readonly profile: EnvironmentProfile;
  /** Secret config values by key (`LoadedStack.secrets`): the admin passwords of rotated databases. */
  readonly secrets: ReadonlyMap<string, pulumi.Input<string>>;
  /**
   * An existing GitHub Actions OIDC provider to reuse. IAM allows one provider per issuer URL
   * per account, so when several stacks share an account only one of them may create it.
   */
  readonly githubOidcProviderArn?: pulumi.Input<string>;
}

/** What the rotation function needs for one rotated secret. */
export interface RotatedSecret {
  readonly secretArn: pulumi.Output<string>;
  /** Catalog name of the database whose users the function alternates. */
  readonly database: string;
  readonly keyArn: pulumi.Output<string>;
  /** Secret holding the database's admin login (`masterarn` in the rotated secret). */
  readonly adminSecretArn: pulumi.Output<string>;
}

export interface AwsSecretRef {
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
}

const json = (doc: PolicyDocument) => JSON.stringify(doc);

export class AwsSecrets extends pulumi.ComponentResource {
  public readonly keyArn: pulumi.Output<string>;
  public readonly keyAlias: pulumi.Output<string>;
  /** Replica key ARN per replica Region. */
  public readonly replicaKeyArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Workload name → `awsRoleArn`, for every workload with an aws secret. */
  public readonly workloadIdentities: WorkloadIdentities;
  /** `<workload>/<secret>` → ARN and name in Secrets Manager (ESO's `remoteRef.key` is the name). */
  public readonly secretRefs: Readonly<Record<string, AwsSecretRef>>;
  /** `<workload>/<secret>` → what `DatabaseRotationFunction` needs, for secrets with `rotation`. */
  public readonly rotatedSecrets: Readonly<Record<string, RotatedSecret>>;
  /** Database name → ARN of its admin-login secret, for databases some rotated secret uses. */
  public readonly databaseAdminSecretArns: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * Database name → the role its rotation function must run as (`awsNames.rotationFunctionRole`);
   * the secret and key policies admit exactly these ARNs.
   */
  public readonly rotationFunctionRoleArns: Readonly<Record<string, string>>;
  public readonly github?: GithubCiRoles;
  /** SNS topic receiving alerts on reads by unexpected principals (subscribe out of band). */
  public readonly readAlertTopicArn: pulumi.Output<string>;

  constructor(name: string, args: AwsSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Bad arguments fail here, before the component itself is registered.
    const plan = planAws(args.catalog, args.profile, new Set(args.secrets.keys()));
    super("secrets-platform:aws:AwsSecrets", name, {}, opts);
    const { catalog, profile } = args;
    const { settings, regions, namePrefix, tags } = plan;
    const parent = { parent: this };
    const keep = { parent: this, protect: profile.protect };

    // CI identities first: the deploy role administers the key.
    const github = githubCiRoles(this, name, plan, args.githubOidcProviderArn, catalog.environment);
    this.github = github;

    // Workload roles now (the key and secret policies name them), their permissions once the secrets exist.
    const workloadRoles = workloadRolesOf(this, name, plan);

    // ---- the environment key, replicated to every replica Region
    const operators = settings.operatorRoleArns;
    const managers = pulumi
      .output(github?.deployRoleArn)
      .apply((deploy) => [...operators, ...(deploy ? [deploy] : [])]);
    const readerArns = pulumi.all([...workloadRoles.values()].map((r) => r.arn));
    // The read-only CI roles see metadata of the key and secrets, never a value.
    const auditorArns = pulumi
      .all([github?.previewRoleArn, github?.driftRoleArn])
      .apply((arns) => arns.filter((a): a is string => a !== undefined));
    const policyOfKey = pulumi.all([managers, readerArns, auditorArns]).apply(([admins, readers, auditors]) =>
      json(
        keyPolicy({
          accountId: settings.accountId,
          regions,
          administratorArns: admins,
          writerArns: [...admins, ...Object.values(plan.rotationRoleArns)],
          readerArns: readers,
          auditorArns: auditors,
        }),
      ),
    );
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Secrets Manager key of ${namePrefix}`,
        enableKeyRotation: true,
        rotationPeriodInDays: profile.keyRotationDays,
        // A key must outlive every secret it encrypts: its deletion window is the secrets' recovery window.
        deletionWindowInDays: profile.recoveryWindowDays,
        multiRegion: settings.replicaRegions.length > 0,
        policy: policyOfKey,
        tags,
      },
      keep,
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: plan.keyAlias, targetKeyId: key.keyId }, parent);
    const replicaKeys = Object.fromEntries(
      settings.replicaRegions.map((region) => [
        region,
        new aws.kms.ReplicaKey(
          `${name}-key-${region}`,
          {
            region,
            primaryKeyArn: key.arn,
            description: `Secrets Manager key of ${namePrefix} (replica)`,
            deletionWindowInDays: profile.recoveryWindowDays,
            policy: policyOfKey,
            tags,
          },
          keep,
        ).arn,
      ]),
    );
    this.keyArn = key.arn;
    this.keyAlias = pulumi.output(plan.keyAlias);
    this.replicaKeyArns = replicaKeys;
    const keyArns = pulumi.all([key.arn, ...Object.values(replicaKeys)]);

    const newSecret = (
      logicalName: string,
      secretName: string,
      description: string | undefined,
      secretTags: Record<string, string>,
    ) =>
      new aws.secretsmanager.Secret(
        `${name}-secret-${logicalName}`,
        {
          name: secretName,
          description,
          kmsKeyId: key.arn,
          recoveryWindowInDays: profile.recoveryWindowDays,
          replicas: settings.replicaRegions.map((region) => ({ region, kmsKeyId: replicaKeys[region] })),
          tags: secretTags,
        },
        keep,
      );
    const lockDown = (
      logicalName: string,
      secret: aws.secretsmanager.Secret,
      readers: pulumi.Input<string>[],
      rotationRoleArn?: string,
    ) =>
      new aws.secretsmanager.SecretPolicy(
        `${name}-secret-${logicalName}`,
        {
          secretArn: secret.arn,
          blockPublicPolicy: true,
          policy: pulumi.all([managers, pulumi.all(readers), auditorArns]).apply(([m, r, auditors]) =>
            json(
              secretResourcePolicy({
                managerArns: m,
                limited: [
                  { sid: "ReadersOnlyRead", principalArns: r, actions: SECRET_READ_ACTIONS },
                  {
                    sid: "AuditorsOnlyDescribe",
                    principalArns: auditors,
                    actions: SECRET_METADATA_ACTIONS,
                  },
                  {
                    sid: "RotationOnlyRotates",
                    principalArns: rotationRoleArn ? [rotationRoleArn] : [],
                    actions: SECRET_ROTATION_ACTIONS,
                  },
                ],
              }),
            ),
          ),
        },
        parent,
      );

    // ---- admin logins of rotated databases: the function reads them, nobody else but operators
    const adminSecrets = Object.fromEntries(
      plan.rotatedDatabases.map((database) => {
        const logicalName = `admin-${database.name}`;
        const secret = newSecret(
          logicalName,
          awsNames.databaseAdminSecret(catalog, database),
          `Admin login of ${database.name}, used by the rotation function`,
          // Rotated by whoever issues it: an operator changes the config value and runs `pulumi up`.
          { ...tags, ...ROTATED_BY_ISSUER },
        );
        const password = args.secrets.get(database.adminPasswordConfigKey) as pulumi.Input<string>;
        new aws.secretsmanager.SecretVersion(
          `${name}-secret-${logicalName}`,
          {
            secretId: secret.id,
            secretString: adminSecretValue(database, password),
          },
          parent,
        );
        // The rotation function only reads the admin login; nothing else is admitted but operators.
        lockDown(logicalName, secret, [plan.rotationRoleArns[database.name]]);
        return [database.name, secret.arn];
      }),
    );
    this.databaseAdminSecretArns = adminSecrets;

    // ---- workload secrets
    const secretResources = new Map<string, aws.secretsmanager.Secret>();
    for (const planned of plan.secrets) {
      const secret = newSecret(planned.logicalName, planned.name, planned.secret.description, {
        ...tags,
        workload: planned.workload.name,
        secret: planned.secret.name,
        // The catalog says a third party rotates it (`issuerRotation`): the value is set out of band.
        // A secret with neither that nor `rotation` stays untagged, and the policy pack stops it.
        ...(planned.secret.issuerRotation ? ROTATED_BY_ISSUER : {}),
      });
      secretResources.set(planned.id, secret);
      lockDown(
        planned.logicalName,
        secret,
        [workloadRoles.get(planned.workload.name)!.arn],
        planned.rotation?.roleArn,
      );
      if (planned.rotation)
        this.seedRotatedSecret(name, planned, secret, adminSecrets[planned.rotation.database.name]);
    }
    this.secretRefs = Object.fromEntries(
      [...secretResources].map(([id, s]) => [id, { arn: s.arn, name: s.name }]),
    );
    this.rotatedSecrets = Object.fromEntries(
      plan.secrets.flatMap((p) =>
        p.rotation
          ? [
              [
                p.id,
                {
                  secretArn: secretResources.get(p.id)!.arn,
                  database: p.rotation.database.name,
                  keyArn: key.arn,
                  adminSecretArn: adminSecrets[p.rotation.database.name],
                },
              ],
            ]
          : [],
      ),
    );
    this.rotationFunctionRoleArns = plan.rotationRoleArns;

    // ---- workload permissions and Pod Identity associations
    for (const w of plan.workloads) {
      const secretArns = pulumi.all(w.secrets.map((s) => secretResources.get(s.id)!.arn));
      grantWorkload(this, name, plan, w, workloadRoles.get(w.workload.name)!, secretArns, keyArns);
    }
    this.workloadIdentities = Object.fromEntries(
      [...workloadRoles].map(([workload, role]) => [workload, { awsRoleArn: role.arn }]),
    );

    const expectedReaders = pulumi
      .all([managers, readerArns])
      .apply(([m, r]) => [...m, ...r, ...Object.values(plan.rotationRoleArns)]);
    this.readAlertTopicArn = readAlert(this, name, plan, expectedReaders);

    this.registerOutputs({
      keyArn: this.keyArn,
      keyAlias: this.keyAlias,
      replicaKeyArns: this.replicaKeyArns,
      workloadIdentities: this.workloadIdentities,
      secretRefs: this.secretRefs,
      rotatedSecrets: this.rotatedSecrets,
      databaseAdminSecretArns: this.databaseAdminSecretArns,
      rotationFunctionRoleArns: this.rotationFunctionRoleArns,
      github: this.github,
      readAlertTopicArn: this.readAlertTopicArn,
    });
  }

  /**
   * A rotated secret starts with a generated password for its base user in the shape the
   * rotation function reads; the function's first run creates the users and sets it. Pulumi
   * then ignores the value (rotation owns it) so an update never rolls a password back.
   */
  private seedRotatedSecret(
    name: string,
    planned: PlannedSecret,
    secret: aws.secretsmanager.Secret,
    adminSecretArn: pulumi.Output<string>,
  ): void {
    const { database, username } = planned.rotation!;
    new aws.secretsmanager.SecretVersion(
      `${name}-secret-${planned.logicalName}`,
      {
        secretId: secret.id,
        secretString: initialRotatedValue(
          `${name}-initial-${planned.logicalName}`,
          this,
          database,
          username,
          adminSecretArn,
        ),
      },
      { parent: this, ignoreChanges: ["secretString", "versionStages"] },
    );
  }
}
