/**
 * What a cloud component stores before the first rotation, in the shape `core/secret.ts` parses:
 * the database's admin login (from the stack's secret config) and, per rotated secret, a
 * generated password for its base user plus `masterarn` naming the admin secret. AWS, GCP and
 * Azure store the same JSON, so one rotation core serves all three.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { createHash } from "node:crypto";
import type { Database, Workload, WorkloadSecret } from "../../stacks/schema";
import { CLONE_SUFFIX, GROUP_SUFFIX } from "./core/users";

/** The special characters a generated first password may contain, the same in every cloud. */
export const ROTATION_PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}<>:?";

const SUFFIX_LENGTH = Math.max(CLONE_SUFFIX.length, GROUP_SUFFIX.length);
/** Longest base user name the alternating-users rotation can extend with `_clone`/`_owner`. */
const ROTATED_USERNAME_MAX = { postgresql: 63 - SUFFIX_LENGTH, mysql: 32 - SUFFIX_LENGTH } as const;

/**
 * Database user a rotated secret starts from: `<workload>_<secret>` when the engine leaves room
 * for the rotation's suffixes, otherwise its head plus a digest of the whole, so two secrets
 * never share a user.
 */
export function rotatedUsername(
  workload: Workload,
  secret: WorkloadSecret,
  engine: Database["engine"],
): string {
  const full = `${workload.name}_${secret.name}`.replace(/-/g, "_");
  const max = ROTATED_USERNAME_MAX[engine];
  if (full.length <= max) return full;
  const digest = createHash("sha256").update(full).digest("hex").slice(0, 6);
  return `${full.slice(0, max - digest.length - 1).replace(/_+$/, "")}_${digest}`;
}

/** Longest key the rotation functions accept in `secrets` (it names their per-secret grants). */
const SECRET_KEY_MAX = 41;

/** The key of a rotated secret in a rotation function's `secrets`: `<workload>-<secret>`, bounded. */
export function rotationSecretKey(workload: Workload, secret: WorkloadSecret): string {
  const full = `${workload.name}-${secret.name}`;
  if (full.length <= SECRET_KEY_MAX) return full;
  const digest = createHash("sha256").update(full).digest("hex").slice(0, 6);
  return `${full.slice(0, SECRET_KEY_MAX - digest.length - 1).replace(/-+$/, "")}-${digest}`;
}

function databaseSecretJson(database: Database, username: string, password: string, masterarn?: string) {
  return JSON.stringify({
    engine: database.engine,
    host: database.host,
    port: database.port,
    dbname: database.database,
    username,
    password,
    ...(masterarn === undefined ? {} : { masterarn }),
  });
}

/** The admin login the rotation function reads, as a Pulumi secret. */
export function adminSecretValue(database: Database, password: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.output(password).apply((pw) => databaseSecretJson(database, database.adminUsername, pw)),
  );
}

/**
 * A rotated secret's first value: a generated password for its base user; the function's
 * first run creates the users and sets it. `masterarn` is how the admin secret is named in the
 * secret's own cloud (ARN, `projects/<p>/secrets/<id>`, Key Vault secret name).
 */
export function initialRotatedValue(
  name: string,
  parent: pulumi.Resource,
  database: Database,
  username: string,
  masterarn: pulumi.Input<string>,
): pulumi.Output<string> {
  const password = new random.RandomPassword(
    name,
    { length: 32, special: true, overrideSpecial: ROTATION_PASSWORD_SPECIALS },
    { parent },
  );
  return pulumi.secret(
    pulumi
      .all([password.result, masterarn])
      .apply(([pw, admin]) => databaseSecretJson(database, username, pw, admin)),
  );
}

/**
 * The first value of a workload's cloud secret: for a rotated database login, the JSON above
 * with `masterarn`; otherwise a strong random value, so a consumer never reads an empty or
 * guessable secret before the real one is set out of band.
 */
export function initialSecretValue(
  name: string,
  parent: pulumi.Resource,
  workload: Workload,
  secret: WorkloadSecret,
  rotation?: { readonly database: Database; readonly masterarn: pulumi.Input<string> },
): pulumi.Output<string> {
  if (rotation) {
    const username = rotatedUsername(workload, secret, rotation.database.engine);
    return initialRotatedValue(name, parent, rotation.database, username, rotation.masterarn);
  }
  return new random.RandomPassword(name, { length: 40, special: true, overrideSpecial: "-_.~" }, { parent })
    .result;
}
