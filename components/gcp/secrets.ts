/**
 * GCP Secret Manager for one environment: CMEK keys, rotation topics, one secret per
 * (workload, gcp secret), for each rotated database its admin-login secret (from the stack's
 * secret config) and topic, a Google service account per workload with
 * `roles/secretmanager.secretAccessor` on exactly its secrets, Workload Identity, and
 * data-access audit logs for every read.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { grantsFor } from "../../stacks/access";
import { cloudSecretName, databaseAdminSecretName } from "../../stacks/naming";
import type { EnvironmentProfile } from "../../stacks/profiles";
import { utcMidnightAfter } from "../../stacks/schedule";
import type { Database, GcpSettings, SecretOf, Workload } from "../../stacks/schema";
import { rotatedDatabases } from "../cloud-secrets-args";
import type { WorkloadIdentities } from "../interfaces";
import { adminSecretValue, initialSecretValue, rotationSecretKey } from "../rotation/seed";
import { checkGcpSecretsArgs, type GcpSecretsArgs } from "./args";
import { createSecretKeys, keyLocations } from "./encryption";
import { gcpLabels } from "./names";
import { createRotationTopic, type RotationTopic } from "./rotation-topic";
import { createWorkloadServiceAccount } from "./workload-identity";

export type { GcpSecretsArgs } from "./args";

export const SECRET_MANAGER_SERVICE = "secretmanager.googleapis.com";
export const SECRET_ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";

/**
 * Database credentials are rotated by our function on the static-rotation schedule; other
 * secrets (third-party keys set out of band) get a reminder every `secretExpiryDays`.
 */
export function rotationPeriodDays(profile: EnvironmentProfile, secret: SecretOf<"gcp">): number {
  return secret.rotation ? profile.staticRotation.periodDays : profile.secretExpiryDays;
}

/** What `GcpDatabaseRotationFunction` needs for one database whose logins gcp secrets hold. */
export interface GcpRotatedDatabase {
  /** `rotationSecretKey(workload, secret)` → `projects/<project>/secrets/<id>` of each secret it rotates. */
  readonly secrets: Readonly<Record<string, pulumi.Output<string>>>;
  /** `projects/<project>/secrets/<id>` of the admin login (the rotated secrets' `masterarn`). */
  readonly adminSecret: pulumi.Output<string>;
  /** Full id of the topic only these secrets publish to: the function's trigger. */
  readonly rotationTopicId: pulumi.Output<string>;
}

interface RotatedDatabaseParts {
  readonly database: Database;
  readonly admin: gcp.secretmanager.Secret;
  readonly topic: RotationTopic;
  readonly secrets: Record<string, pulumi.Output<string>>;
}

export class GcpSecrets extends pulumi.ComponentResource {
  public readonly project: string;
  /** Workload → its Google service account (`gcpServiceAccountEmail`). */
  public readonly workloadIdentities: WorkloadIdentities;
  /** Workload → catalog secret name → Secret Manager secret id (what ESO's `remoteRef.key` names). */
  public readonly secretIds: Readonly<Record<string, Readonly<Record<string, pulumi.Output<string>>>>>;
  /** Full id of the topic receiving the `SECRET_ROTATE` reminders of secrets rotated by their issuer. */
  public readonly rotationTopicId: pulumi.Output<string>;
  /** Database name → its rotated secrets, admin secret and topic, for databases some gcp secret rotates. */
  public readonly rotatedDatabases: Readonly<Record<string, GcpRotatedDatabase>>;
  /** Location → CMEK key id. */
  public readonly kmsKeyIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** The Secret Manager service agent (publishes rotation notifications, uses the keys). */
  public readonly secretManagerAgentEmail: pulumi.Output<string>;

  constructor(name: string, args: GcpSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    checkGcpSecretsArgs(args);
    super("secrets-platform:gcp:GcpSecrets", name, {}, opts);
    const { catalog, profile } = args;
    const settings = catalog.gcp as GcpSettings;
    const referenceTime = args.referenceTime ?? new Date();
    this.project = settings.project;

    const agent = new gcp.projects.ServiceIdentity(
      `${name}-agent`,
      { project: settings.project, service: SECRET_MANAGER_SERVICE },
      { parent: this },
    );
    const { keys, agentGrants } = createSecretKeys(name, this, catalog, profile, agent.member);
    const reminders = createRotationTopic(name, this, catalog, agent.member);

    new gcp.projects.IAMAuditConfig(
      `${name}-audit`,
      {
        project: settings.project,
        service: SECRET_MANAGER_SERVICE,
        // DATA_READ records every AccessSecretVersion; ADMIN_READ records metadata reads.
        auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }],
      },
      { parent: this },
    );

    const replication = (): gcp.types.input.secretmanager.SecretReplication =>
      settings.replicaLocations.length > 0
        ? {
            userManaged: {
              replicas: keyLocations(settings).map((location) => ({
                location,
                customerManagedEncryption: { kmsKeyName: (keys.get(location) as gcp.kms.CryptoKey).id },
              })),
            },
          }
        : { auto: { customerManagedEncryption: { kmsKeyName: [...keys.values()][0].id } } };

    const accounts = new Map<string, gcp.serviceaccount.Account>();
    const accountFor = (workload: Workload) => {
      let account = accounts.get(workload.name);
      if (!account) {
        account = createWorkloadServiceAccount(name, this, catalog, workload);
        accounts.set(workload.name, account);
      }
      return account;
    };

    // Secret Manager has no recovery window: a deleted secret and its versions are gone.
    const stateful = { parent: this, protect: profile.protect, retainOnDelete: profile.protect };
    const newSecret = (
      role: string,
      secretId: string,
      periodDays: number,
      rotationTopic: RotationTopic,
      labels: Record<string, string>,
      description: string | undefined,
    ) =>
      new gcp.secretmanager.Secret(
        `${name}-secret-${role}`,
        {
          project: settings.project,
          secretId,
          replication: replication(),
          deletionProtection: profile.deletionProtection,
          rotation: {
            rotationPeriod: `${periodDays * 86_400}s`,
            nextRotationTime: utcMidnightAfter(referenceTime, periodDays).toISOString(),
          },
          topics: [{ name: rotationTopic.topic.id }],
          labels: gcpLabels(catalog, labels),
          annotations: description ? { description } : undefined,
        },
        {
          ...stateful,
          // Secret Manager advances nextRotationTime at each notification; it is ours only at creation.
          ignoreChanges: ["rotation.nextRotationTime"],
          dependsOn: [...agentGrants, rotationTopic.publisherGrant],
        },
      );

    // Admin logins of rotated databases: only their rotation function is granted read (in
    // GcpDatabaseRotationFunction); an operator changes the config value to rotate one, and the
    // reminder goes to the environment's topic.
    const databases = new Map<string, RotatedDatabaseParts>();
    for (const database of rotatedDatabases(catalog, "gcp")) {
      const admin = newSecret(
        `admin-${database.name}`,
        databaseAdminSecretName(catalog, database),
        profile.secretExpiryDays,
        reminders,
        { purpose: "database-admin", database: database.name },
        `Admin login of ${database.name}, read by its rotation function`,
      );
      const password = args.secrets?.get(database.adminPasswordConfigKey) as pulumi.Input<string>;
      new gcp.secretmanager.SecretVersion(
        `${name}-version-admin-${database.name}`,
        { secret: admin.id, secretData: adminSecretValue(database, password) },
        // Not protected: a new config value replaces the version.
        { parent: this },
      );
      const topic = createRotationTopic(name, this, catalog, agent.member, database);
      databases.set(database.name, { database, admin, topic, secrets: {} });
    }

    const secretIds: Record<string, Record<string, pulumi.Output<string>>> = {};
    for (const grant of grantsFor(catalog, "gcp")) {
      const workload = grant.workload;
      const secret = grant.secret as SecretOf<"gcp">;
      const role = `${workload.name}-${secret.name}`;
      const rotated = secret.rotation && databases.get(secret.rotation.database);
      const created = newSecret(
        role,
        cloudSecretName(catalog, workload, secret),
        rotationPeriodDays(profile, secret),
        rotated ? rotated.topic : reminders,
        { workload: workload.name, secret: secret.name },
        secret.description,
      );
      // Database logins start in the rotation function's JSON shape; other secrets with a
      // strong random first version, so a consumer never reads an empty secret, until the
      // real value of a third-party key is added out of band (`gcloud secrets versions add`).
      const initial = initialSecretValue(
        `${name}-initial-${role}`,
        this,
        workload,
        secret,
        rotated && { database: rotated.database, masterarn: rotated.admin.id },
      );
      new gcp.secretmanager.SecretVersion(
        `${name}-version-${role}`,
        { secret: created.id, secretData: initial },
        // Seeded once: a new generator must never add a version on top of the real value.
        { ...stateful, ignoreChanges: ["secretData"] },
      );
      new gcp.secretmanager.SecretIamMember(
        `${name}-access-${role}`,
        {
          project: settings.project,
          secretId: created.id,
          role: SECRET_ACCESSOR_ROLE,
          member: accountFor(workload).member,
        },
        { parent: this },
      );
      (secretIds[workload.name] ??= {})[secret.name] = created.secretId;
      if (rotated) rotated.secrets[rotationSecretKey(workload, secret)] = created.id;
    }

    this.workloadIdentities = Object.fromEntries(
      [...accounts].map(([workload, account]) => [workload, { gcpServiceAccountEmail: account.email }]),
    );
    this.secretIds = secretIds;
    this.rotationTopicId = reminders.topic.id;
    this.rotatedDatabases = Object.fromEntries(
      [...databases].map(([database, { admin, topic, secrets }]) => [
        database,
        { secrets, adminSecret: admin.id, rotationTopicId: topic.topic.id },
      ]),
    );
    this.kmsKeyIds = Object.fromEntries([...keys].map(([location, key]) => [location, key.id]));
    this.secretManagerAgentEmail = agent.email;
    this.registerOutputs({
      project: this.project,
      workloadIdentities: this.workloadIdentities,
      secretIds: this.secretIds,
      rotationTopicId: this.rotationTopicId,
      rotatedDatabases: this.rotatedDatabases,
      kmsKeyIds: this.kmsKeyIds,
      secretManagerAgentEmail: this.secretManagerAgentEmail,
    });
  }
}
