/**
 * GcpDatabaseRotationFunction: the alternating-users rotation function for Secret Manager
 * database secrets as a Cloud Function (2nd gen) triggered by the secrets' rotation topic.
 * Its own service account holds, on each rotated secret only, a custom role with exactly the
 * four version permissions the function uses, and `secretAccessor` on the admin secret: no
 * project-level grant. The Eventarc trigger runs as a second account that may only invoke this
 * function. The secrets themselves (with `topics` and `rotation` from `secretRotationSchedule`)
 * belong to the GCP component.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import type { EnvironmentProfile } from "../../../stacks/profiles";
import { boundedAccountId } from "../../gcp/names";
import { bundleFunction } from "../aws/bundle";

/** Exactly what `handler.ts` calls on a rotated secret: list, access, add, disable (never destroy). */
export const ROTATOR_PERMISSIONS = [
  "secretmanager.versions.list",
  "secretmanager.versions.access",
  "secretmanager.versions.add",
  "secretmanager.versions.disable",
] as const;

export interface GcpDatabaseRotationFunctionArgs {
  readonly project: pulumi.Input<string>;
  readonly region: string;
  /** Secrets to rotate, by a stable key (names the per-secret grants): key → `projects/<p>/secrets/<id>`. */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  /** The secret with the administrative login (the rotated secrets' `masterarn`). */
  readonly adminSecret: pulumi.Input<string>;
  /** `projects/<p>/topics/<t>`: the topic the rotated secrets publish their notifications to. */
  readonly rotationTopic: pulumi.Input<string>;
  /** Serverless VPC Access connector for databases without public endpoints. */
  readonly vpcConnector?: pulumi.Input<string>;
  /** TLS to the databases; "verify" (default) checks the server certificate. */
  readonly databaseTls?: "verify" | "disable";
}

/** The `rotation` block the GCP component sets on each rotated secret, from the profile. */
export function secretRotationSchedule(
  profile: EnvironmentProfile,
  from: Date,
): { rotationPeriod: string; nextRotationTime: string } {
  const period = profile.staticRotation.periodDays * 24 * 3600;
  return {
    rotationPeriod: `${period}s`,
    nextRotationTime: new Date(from.getTime() + period * 1000).toISOString(),
  };
}

const SECRET_KEY = /^[a-z0-9][a-z0-9-]{0,40}$/;
const REGION = /^[a-z]+-[a-z]+\d$/;

function validate(name: string, args: GcpDatabaseRotationFunctionArgs): void {
  const fail = (message: string) => {
    throw new Error(`GcpDatabaseRotationFunction ${name}: ${message}`);
  };
  const keys = Object.keys(args.secrets ?? {});
  if (keys.length === 0) fail(`"secrets" must name at least one secret to rotate`);
  for (const key of keys) {
    if (!SECRET_KEY.test(key)) fail(`secrets key "${key}" must be lowercase letters, digits and dashes`);
  }
  if (!REGION.test(args.region ?? ""))
    fail(`region "${args.region}" is not a GCP region such as europe-west1`);
  if (args.databaseTls !== undefined && !["verify", "disable"].includes(args.databaseTls)) {
    fail(`databaseTls must be "verify" or "disable"`);
  }
}

export class GcpDatabaseRotationFunction extends pulumi.ComponentResource {
  public readonly functionName: pulumi.Output<string>;
  public readonly serviceAccountEmail: pulumi.Output<string>;
  public readonly triggerServiceAccountEmail: pulumi.Output<string>;

  constructor(name: string, args: GcpDatabaseRotationFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args);
    super("secrets-platform:rotation:GcpDatabaseRotationFunction", name, args, opts);
    const parent = { parent: this };
    const { project } = args;

    const account = new gcp.serviceaccount.Account(
      `${name}-sa`,
      { project, accountId: boundedAccountId(`${name}-rot`), displayName: `Database rotation ${name}` },
      parent,
    );
    const triggerAccount = new gcp.serviceaccount.Account(
      `${name}-trigger-sa`,
      { project, accountId: boundedAccountId(`${name}-trg`), displayName: `Rotation trigger ${name}` },
      parent,
    );
    const rotatorRole = new gcp.projects.IAMCustomRole(
      `${name}-rotator-role`,
      {
        project,
        roleId: `${name.replace(/[^a-zA-Z0-9_]/g, "_")}_rotator`,
        title: `Database secret rotator (${name})`,
        permissions: [...ROTATOR_PERMISSIONS],
      },
      parent,
    );

    const grants = Object.entries(args.secrets).map(
      ([key, secretId]) =>
        new gcp.secretmanager.SecretIamMember(
          `${name}-rotate-${key}`,
          { project, secretId, role: rotatorRole.name, member: account.member },
          parent,
        ),
    );
    grants.push(
      new gcp.secretmanager.SecretIamMember(
        `${name}-read-admin`,
        {
          project,
          secretId: args.adminSecret,
          role: "roles/secretmanager.secretAccessor",
          member: account.member,
        },
        parent,
      ),
    );

    const bucket = new gcp.storage.Bucket(
      `${name}-source`,
      {
        project,
        location: args.region,
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        versioning: { enabled: true },
      },
      parent,
    );
    const source = new gcp.storage.BucketObject(
      `${name}-source`,
      {
        bucket: bucket.name,
        name: "rotation-function.zip",
        source: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset(bundleFunction(path.join(__dirname, "handler.ts"))),
          "package.json": new pulumi.asset.StringAsset(
            JSON.stringify({ name: "database-rotation", main: "index.js", engines: { node: "22" } }),
          ),
        }),
      },
      parent,
    );

    const fn = new gcp.cloudfunctionsv2.Function(
      `${name}-function`,
      {
        project,
        location: args.region,
        buildConfig: {
          runtime: "nodejs22",
          entryPoint: "rotate",
          source: {
            storageSource: { bucket: bucket.name, object: source.name, generation: source.generation },
          },
        },
        serviceConfig: {
          serviceAccountEmail: account.email,
          // One instance, one request: a redelivery never runs beside the delivery it repeats.
          maxInstanceCount: 1,
          maxInstanceRequestConcurrency: 1,
          timeoutSeconds: 60,
          availableMemory: "256Mi",
          ingressSettings: "ALLOW_INTERNAL_ONLY",
          allTrafficOnLatestRevision: true,
          vpcConnector: args.vpcConnector,
          vpcConnectorEgressSettings: args.vpcConnector ? "PRIVATE_RANGES_ONLY" : undefined,
          environmentVariables: {
            ROTATION_SECRETS: pulumi.all(Object.values(args.secrets)).apply((ids) => ids.join(",")),
            ROTATION_DB_TLS: args.databaseTls ?? "verify",
          },
        },
        eventTrigger: {
          triggerRegion: args.region,
          eventType: "google.cloud.pubsub.topic.v1.messagePublished",
          pubsubTopic: args.rotationTopic,
          // A failed rotation is retried: every step is safe to repeat.
          retryPolicy: "RETRY_POLICY_RETRY",
          serviceAccountEmail: triggerAccount.email,
        },
      },
      // The grants must exist before the first notification can arrive.
      { parent: this, dependsOn: grants },
    );

    new gcp.cloudrunv2.ServiceIamMember(
      `${name}-trigger-invoker`,
      {
        project,
        location: args.region,
        name: fn.name,
        role: "roles/run.invoker",
        member: triggerAccount.member,
      },
      parent,
    );

    this.functionName = fn.name;
    this.serviceAccountEmail = account.email;
    this.triggerServiceAccountEmail = triggerAccount.email;
    this.registerOutputs({
      functionName: this.functionName,
      serviceAccountEmail: this.serviceAccountEmail,
      triggerServiceAccountEmail: this.triggerServiceAccountEmail,
    });
  }
}
