/**
 * What the AWS component will build, derived from the catalog and checked before any resource
 * is registered: every problem is reported with the catalog or profile key to change.
 */
import { awsNames, cloudSecretName, environmentName, workloadIdentityName } from "../../stacks/naming";
import type { EnvironmentProfile } from "../../stacks/profiles";
import type {
  AwsSettings,
  Catalog,
  Database,
  KubernetesCluster,
  SecretOf,
  Workload,
} from "../../stacks/schema";
import { rotatedUsername } from "../rotation/seed";
import { OWNER_TAG, roleArn } from "./policies";

/** Secrets Manager accepts recovery windows of 7 to 30 days; KMS the same for key deletion. */
const RECOVERY_WINDOW_DAYS = { min: 7, max: 30 };
/** KMS automatic rotation periods. */
const KEY_ROTATION_DAYS = { min: 90, max: 2560 };

export interface PlannedSecret {
  readonly workload: Workload;
  readonly secret: SecretOf<"aws">;
  /** `<workload>/<secret>`: the key of per-secret outputs. */
  readonly id: string;
  /** Suffix of child resource names: `<workload>-<secret>`. */
  readonly logicalName: string;
  /** Name in Secrets Manager. */
  readonly name: string;
  /** For rotated database secrets: the database, the base user the rotation alternates, its function's role. */
  readonly rotation?: { readonly database: Database; readonly username: string; readonly roleArn: string };
}

export interface PlannedWorkload {
  readonly workload: Workload;
  readonly cluster: KubernetesCluster;
  readonly roleName: string;
  readonly secrets: readonly PlannedSecret[];
}

export interface AwsPlan {
  readonly settings: AwsSettings;
  /** Primary Region first, then the replica Regions. */
  readonly regions: readonly string[];
  /** `<prefix>-<environment>`. */
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly workloads: readonly PlannedWorkload[];
  readonly secrets: readonly PlannedSecret[];
  /** Databases some rotated secret uses, each needing an admin-login secret. */
  readonly rotatedDatabases: readonly Database[];
  /** Cluster issuers IRSA trusts (empty with Pod Identity). */
  readonly irsaClusters: readonly KubernetesCluster[];
  /** Database name → ARN of its rotation function's role, for every rotated database. */
  readonly rotationRoleArns: Readonly<Record<string, string>>;
  readonly keyAlias: string;
}

export class AwsArgumentError extends Error {
  override readonly name = "AwsArgumentError";
  constructor(key: string, problem: string) {
    super(`AwsSecrets: ${key}: ${problem}`);
  }
}

function checkRange(key: string, value: number, range: { min: number; max: number }, what: string): void {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new AwsArgumentError(
      key,
      `${value} is outside ${range.min}-${range.max}, the range AWS accepts for ${what}`,
    );
  }
}

export function planAws(
  catalog: Catalog,
  profile: EnvironmentProfile,
  secretConfigKeys: ReadonlySet<string>,
): AwsPlan {
  const settings = catalog.aws;
  if (!settings) {
    throw new AwsArgumentError(
      "catalog.aws",
      'is not set; add an "aws" section to the catalog or drop AwsSecrets',
    );
  }
  if (profile.environment !== catalog.environment) {
    throw new AwsArgumentError(
      "profile.environment",
      `is ${JSON.stringify(profile.environment)} but the catalog is for ${JSON.stringify(catalog.environment)}; pass profileFor(catalog.environment)`,
    );
  }
  checkRange(
    "profile.recoveryWindowDays",
    profile.recoveryWindowDays,
    RECOVERY_WINDOW_DAYS,
    "recovery and key deletion windows",
  );
  checkRange(
    "profile.keyRotationDays",
    profile.keyRotationDays,
    KEY_ROTATION_DAYS,
    "KMS key rotation periods",
  );
  const seenRegions = new Set([settings.region]);
  settings.replicaRegions.forEach((region, i) => {
    if (seenRegions.has(region)) {
      throw new AwsArgumentError(
        `aws.replicaRegions[${i}]`,
        `${region} is listed twice or is the primary Region`,
      );
    }
    seenRegions.add(region);
  });
  settings.operatorRoleArns.forEach((arn, i) => {
    if (!arn.startsWith(`arn:aws:iam::${settings.accountId}:`)) {
      throw new AwsArgumentError(
        `aws.operatorRoleArns[${i}]`,
        `${arn} is not in account ${settings.accountId}; the key policy only admits this account's principals`,
      );
    }
  });

  const clusters = new Map(catalog.kubernetes.clusters.map((c) => [c.name, c]));
  const databases = new Map(catalog.databases.map((d) => [d.name, d]));
  const workloads: PlannedWorkload[] = [];
  catalog.workloads.forEach((workload, wi) => {
    const cluster = clusters.get(workload.cluster);
    if (!cluster)
      throw new AwsArgumentError(`workloads[${wi}].cluster`, `unknown cluster ${workload.cluster}`);
    const secrets: PlannedSecret[] = [];
    workload.secrets.forEach((secret, si) => {
      if (secret.source !== "aws") return;
      const at = `workloads[${wi}].secrets[${si}]`;
      let rotation: PlannedSecret["rotation"];
      if (secret.rotation) {
        const database = databases.get(secret.rotation.database);
        if (!database)
          throw new AwsArgumentError(
            `${at}.rotation.database`,
            `unknown database ${secret.rotation.database}`,
          );
        const username = rotatedUsername(workload, secret, database.engine);
        if (!secretConfigKeys.has(database.adminPasswordConfigKey)) {
          const di = catalog.databases.indexOf(database);
          throw new AwsArgumentError(
            `databases[${di}].adminPasswordConfigKey`,
            `no secret config value ${database.adminPasswordConfigKey} was passed; the rotation function needs the admin login`,
          );
        }
        const roleArnOfFunction = roleArn(
          settings.accountId,
          awsNames.rotationFunctionRole(catalog, database),
        );
        rotation = { database, username, roleArn: roleArnOfFunction };
      }
      secrets.push({
        workload,
        secret,
        id: `${workload.name}/${secret.name}`,
        logicalName: `${workload.name}-${secret.name}`,
        name: cloudSecretName(catalog, workload, secret),
        rotation,
      });
    });
    if (secrets.length > 0) {
      workloads.push({ workload, cluster, roleName: workloadIdentityName(catalog, workload), secrets });
    }
  });

  const secrets = workloads.flatMap((w) => w.secrets);
  const rotatedDatabases = [...new Set(secrets.flatMap((s) => (s.rotation ? [s.rotation.database] : [])))];
  const irsaClusters =
    settings.workloadIdentity === "irsa" ? [...new Set(workloads.map((w) => w.cluster))] : [];
  const namePrefix = `${catalog.prefix}-${catalog.environment}`;
  return {
    settings,
    regions: [settings.region, ...settings.replicaRegions],
    namePrefix,
    tags: {
      ...catalog.tags,
      environment: catalog.environment,
      "managed-by": "secrets-platform",
      [OWNER_TAG]: namePrefix,
    },
    workloads,
    secrets,
    rotatedDatabases,
    irsaClusters,
    rotationRoleArns: Object.fromEntries(
      rotatedDatabases.map((d) => [
        d.name,
        roleArn(settings.accountId, awsNames.rotationFunctionRole(catalog, d)),
      ]),
    ),
    keyAlias: `alias/${environmentName(catalog, "secrets")}`,
  };
}
