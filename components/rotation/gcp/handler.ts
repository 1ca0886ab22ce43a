/**
 * Cloud Functions (2nd gen) rotation function for Secret Manager database secrets with
 * alternating users. Secret Manager publishes `SECRET_ROTATE` to the secret's Pub/Sub topic on
 * its rotation schedule; Eventarc delivers the message as a CloudEvent, at least once. One
 * delivery rotates the alternate user's password, proves the login, adds a version and
 * disables versions older than the previous one (disabled, never destroyed: rollback is
 * `EnableSecretVersion`). Clients holding the previous version keep working until the next
 * rotation changes that user's password.
 *
 * Redelivery: a version created after the message was published is this message's rotation,
 * so a repeated delivery only finishes the clean-up. Both timestamps are Google's (Pub/Sub
 * publishTime, Secret Manager createTime), never the function's clock.
 */
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { parseDatabaseSecret, serializeDatabaseSecret, type DatabaseSecret, type TlsMode } from "../core";
import { rotateToAlternate } from "../core/alternate";
import { requiredSetting, tlsFromEnvironment } from "../core/environment";

export const SECRET_ROTATE = "SECRET_ROTATE";
/** Versions kept enabled after a rotation: the new one and the previous one. */
export const ENABLED_VERSIONS_KEPT = 2;

const SECRET_NAME = /^projects\/[^/]+\/secrets\/[^/]+$/;

/** What the function needs from a Pub/Sub message of a Secret Manager topic. */
export interface RotationNotice {
  readonly eventType: string;
  /** `projects/<project>/secrets/<id>` */
  readonly secretName: string;
  readonly publishTime: Date;
  readonly messageId: string;
}

/** The CloudEvent Eventarc delivers for a Pub/Sub message (`google.cloud.pubsub.topic.v1.messagePublished`). */
export interface PubsubCloudEvent {
  readonly data?: {
    readonly message?: {
      readonly attributes?: Readonly<Record<string, string>>;
      readonly messageId?: string;
      readonly publishTime?: string;
    };
  };
}

export function noticeFromCloudEvent(event: PubsubCloudEvent): RotationNotice {
  const message = event.data?.message;
  const attributes = message?.attributes ?? {};
  const publishTime = new Date(message?.publishTime ?? "");
  if (!attributes.eventType || !attributes.secretId || Number.isNaN(publishTime.getTime())) {
    throw new Error("Pub/Sub message lacks the eventType/secretId attributes or a publishTime");
  }
  return {
    eventType: attributes.eventType,
    secretName: attributes.secretId,
    publishTime,
    messageId: message?.messageId ?? "",
  };
}

export interface GcpRotationDependencies {
  readonly client: SecretManagerServiceClient;
  readonly tls: TlsMode;
  /**
   * Secrets this deployment rotates (`projects/<project>/secrets/<id>`); a message for any other
   * secret is refused. Compared by secret id: notifications name the project by number, Pulumi
   * ids by project id, and one function only ever holds grants in its own project.
   */
  readonly secrets: readonly string[];
  readonly log: (entry: Record<string, string>) => void;
}

interface Version {
  readonly name: string;
  readonly number: number;
  readonly created: Date;
}

const shortId = (secretName: string) => secretName.slice(secretName.lastIndexOf("/") + 1);

function timestamp(t: { seconds?: unknown; nanos?: number | null } | null | undefined): Date {
  return new Date(Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6));
}

export function createGcpRotationHandler(
  deps: GcpRotationDependencies,
): (n: RotationNotice) => Promise<string> {
  const { client } = deps;

  /** Enabled versions, newest first. */
  const enabledVersions = async (secretName: string): Promise<Version[]> => {
    const [versions] = await client.listSecretVersions({ parent: secretName, filter: "state:ENABLED" });
    return versions
      .map((v) => ({
        name: v.name ?? "",
        number: Number((v.name ?? "").split("/").pop()),
        created: timestamp(v.createTime),
      }))
      .sort((a, b) => b.number - a.number);
  };

  const read = async (versionName: string): Promise<DatabaseSecret> => {
    const [out] = await client.accessSecretVersion({ name: versionName });
    const data = out.payload?.data;
    const text = data === null || data === undefined ? undefined : Buffer.from(data).toString("utf8");
    return parseDatabaseSecret(text, `secret version ${out.name ?? versionName}`);
  };

  const readAdmin = (reference: string): Promise<DatabaseSecret> => {
    if (!SECRET_NAME.test(reference)) {
      throw new Error(
        `"masterarn" must be a secret name projects/<project>/secrets/<id>, got "${reference}"`,
      );
    }
    return read(`${reference}/versions/latest`);
  };

  /** Disables enabled versions older than the previous one. */
  const retireOld = async (secretName: string): Promise<number> => {
    const old = (await enabledVersions(secretName)).slice(ENABLED_VERSIONS_KEPT);
    for (const v of old) await client.disableSecretVersion({ name: v.name });
    return old.length;
  };

  return async (notice) => {
    const entry = { secret: notice.secretName, event: notice.eventType, message: notice.messageId };
    if (notice.eventType !== SECRET_ROTATE) {
      // The topic also carries SECRET_VERSION_ADD etc., including our own writes.
      deps.log({ ...entry, outcome: "not a rotation notification; ignored" });
      return "ignored";
    }
    if (!deps.secrets.some((s) => shortId(s) === shortId(notice.secretName))) {
      throw new Error(`secret ${notice.secretName} is not one this function rotates`);
    }
    const [latest] = await enabledVersions(notice.secretName);
    if (!latest) throw new Error(`secret ${notice.secretName} has no enabled version to rotate from`);
    if (latest.created > notice.publishTime) {
      const retired = await retireOld(notice.secretName);
      deps.log({ ...entry, outcome: `already rotated (${latest.name}); disabled ${retired} old versions` });
      return "already rotated";
    }
    const next = await rotateToAlternate({
      what: `secret ${notice.secretName}`,
      current: await read(latest.name),
      tls: deps.tls,
      readAdmin,
      publish: async (credential) => {
        await client.addSecretVersion({
          parent: notice.secretName,
          payload: { data: Buffer.from(serializeDatabaseSecret(credential), "utf8") },
        });
      },
    });
    const retired = await retireOld(notice.secretName);
    deps.log({ ...entry, outcome: `rotated to ${next.username}; disabled ${retired} old versions` });
    return "rotated";
  };
}

let cloudHandler: ((n: RotationNotice) => Promise<string>) | undefined;

/** Cloud Functions entry point (`rotate`, CloudEvent signature). */
export async function rotate(event: PubsubCloudEvent): Promise<void> {
  cloudHandler ??= createGcpRotationHandler({
    client: new SecretManagerServiceClient(),
    tls: tlsFromEnvironment(process.env),
    secrets: requiredSetting(process.env, "ROTATION_SECRETS").split(","),
    log: (entry) => console.log(JSON.stringify(entry)),
  });
  await cloudHandler(noticeFromCloudEvent(event));
}
