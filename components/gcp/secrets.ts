/**
 * GCP Secret Manager for one environment: CMEK keys, the rotation topic, one secret per
 * (workload, gcp secret), a Google service account per workload with
 * `roles/secretmanager.secretAccessor` on exactly its secrets, Workload Identity, and
 * data-access audit logs for every read.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { grantsFor } from "../../stacks/access";
import { cloudSecretName } from "../../stacks/naming";
import type { EnvironmentProfile } from "../../stacks/profiles";
import { utcMidnightAfter } from "../../stacks/schedule";
import type { GcpSettings, SecretOf, Workload } from "../../stacks/schema";
import type { WorkloadIdentities } from "../interfaces";
import { checkGcpSecretsArgs, type GcpSecretsArgs } from "./args";
import { createSecretKeys, keyLocations } from "./encryption";
import { gcpLabels } from "./names";
import { createRotationTopic } from "./rotation-topic";
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

/** A secret whose rotation notifications should drive the database rotation function. */
export interface GcpDatabaseRotation {
  readonly workload: string;
  readonly secret: string;
  /** Catalog database whose login the secret holds. */
  readonly database: string;
  /** `projects/<project>/secrets/<id>`. */
  readonly secretName: pulumi.Output<string>;
}

export class GcpSecrets extends pulumi.ComponentResource {
  public readonly project: string;
  /** Workload → its Google service account (`gcpServiceAccountEmail`). */
  public readonly workloadIdentities: WorkloadIdentities;
  /** Workload → catalog secret name → Secret Manager secret id (what ESO's `remoteRef.key` names). */
  public readonly secretIds: Readonly<Record<string, Readonly<Record<string, pulumi.Output<string>>>>>;
  /** Full id of the topic receiving `SECRET_ROTATE` notifications. */
  public readonly rotationTopicId: pulumi.Output<string>;
  public readonly databaseRotations: readonly GcpDatabaseRotation[];
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
    const { topic, publisherGrant } = createRotationTopic(name, this, catalog, agent.member);

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
    const secretIds: Record<string, Record<string, pulumi.Output<string>>> = {};
    const databaseRotations: GcpDatabaseRotation[] = [];
    for (const grant of grantsFor(catalog, "gcp")) {
      const workload = grant.workload;
      const secret = grant.secret as SecretOf<"gcp">;
      const role = `${workload.name}-${secret.name}`;
      const periodDays = rotationPeriodDays(profile, secret);
      const created = new gcp.secretmanager.Secret(
        `${name}-secret-${role}`,
        {
          project: settings.project,
          secretId: cloudSecretName(catalog, workload, secret),
          replication: replication(),
          deletionProtection: profile.deletionProtection,
          rotation: {
            rotationPeriod: `${periodDays * 86_400}s`,
            nextRotationTime: utcMidnightAfter(referenceTime, periodDays).toISOString(),
          },
          topics: [{ name: topic.id }],
          labels: gcpLabels(catalog, { workload: workload.name, secret: secret.name }),
          annotations: secret.description ? { description: secret.description } : undefined,
        },
        {
          ...stateful,
          // Secret Manager advances nextRotationTime at each notification; it is ours only at creation.
          ignoreChanges: ["rotation.nextRotationTime"],
          dependsOn: [...agentGrants, publisherGrant],
        },
      );
      // A strong random first version, so a consumer never reads an empty secret. The real
      // value of a third-party key is added out of band (`gcloud secrets versions add`);
      // database logins are replaced by the rotation function.
      const initial = new random.RandomPassword(
        `${name}-initial-${role}`,
        { length: 40, special: true, overrideSpecial: "-_.~" },
        { parent: this },
      );
      new gcp.secretmanager.SecretVersion(
        `${name}-version-${role}`,
        { secret: created.id, secretData: initial.result },
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
      if (secret.rotation) {
        databaseRotations.push({
          workload: workload.name,
          secret: secret.name,
          database: secret.rotation.database,
          secretName: created.id,
        });
      }
    }

    this.workloadIdentities = Object.fromEntries(
      [...accounts].map(([workload, account]) => [workload, { gcpServiceAccountEmail: account.email }]),
    );
    this.secretIds = secretIds;
    this.rotationTopicId = topic.id;
    this.databaseRotations = databaseRotations;
    this.kmsKeyIds = Object.fromEntries([...keys].map(([location, key]) => [location, key.id]));
    this.secretManagerAgentEmail = agent.email;
    this.registerOutputs({
      project: this.project,
      workloadIdentities: this.workloadIdentities,
      secretIds: this.secretIds,
      rotationTopicId: this.rotationTopicId,
      databaseRotations: this.databaseRotations,
      kmsKeyIds: this.kmsKeyIds,
      secretManagerAgentEmail: this.secretManagerAgentEmail,
    });
  }
}
