/**
 * Azure Functions rotation function for Key Vault database secrets with alternating users.
 * Event Grid delivers `Microsoft.KeyVault.SecretNearExpiry` (and `SecretExpired`) for a secret
 * version, at least once. One delivery rotates the alternate user's password, proves the login
 * and sets a new version expiring `ROTATION_SECRET_EXPIRY_DAYS` from now; clients holding the
 * previous version keep working until the next rotation changes that user's password.
 *
 * Redelivery: the event names the version it is about; once that version is no longer the
 * latest, the rotation it asked for has happened and the event is acknowledged as done.
 *
 * Key Vault raises SecretNearExpiry 30 days before `exp`, so a version whose whole lifetime
 * is within 30 days gets it at creation: rotating on it would loop. Such versions rotate on
 * SecretExpired instead (Key Vault does not block reading an expired secret, and the database
 * users do not expire with it).
 */
import { DefaultAzureCredential } from "@azure/identity";
import { SecretClient, type KeyVaultSecret } from "@azure/keyvault-secrets";
import { parseDatabaseSecret, serializeDatabaseSecret, type DatabaseSecret, type TlsMode } from "../core";
import { rotateToAlternate } from "../core/alternate";
import { requiredSetting, tlsFromEnvironment } from "../core/environment";

export const NEAR_EXPIRY = "Microsoft.KeyVault.SecretNearExpiry";
export const EXPIRED = "Microsoft.KeyVault.SecretExpired";
export const ROTATION_EVENT_TYPES = [NEAR_EXPIRY, EXPIRED] as const;
/** How long before `exp` Key Vault raises SecretNearExpiry. */
export const NEAR_EXPIRY_LEAD_MS = 30 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** An Event Grid event (Event Grid schema) from a Key Vault system topic. */
export interface KeyVaultEvent {
  readonly id?: string;
  readonly eventType: string;
  /** Key Vault sends PascalCase keys (`ObjectName`, `Version`); SDK models use camelCase. */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface SecretVersionNotice {
  readonly eventType: string;
  readonly vaultName: string;
  readonly secretName: string;
  readonly version: string;
}

export function noticeFromEvent(event: KeyVaultEvent): SecretVersionNotice {
  const data = event.data ?? {};
  const pick = (key: string) => {
    const value = data[key] ?? data[key[0].toLowerCase() + key.slice(1)];
    return typeof value === "string" ? value : "";
  };
  const notice = {
    eventType: event.eventType,
    vaultName: pick("VaultName"),
    secretName: pick("ObjectName"),
    version: pick("Version"),
  };
  if (!notice.vaultName || !notice.secretName || !notice.version || pick("ObjectType") !== "Secret") {
    throw new Error(`event ${event.id ?? ""} is not about a Key Vault secret version`);
  }
  return notice;
}

export interface AzureRotationDependencies {
  readonly client: SecretClient;
  /** The vault this deployment rotates in; events from another vault are refused. */
  readonly vaultName: string;
  /** Names of the secrets this deployment rotates. */
  readonly secrets: readonly string[];
  readonly expiryDays: number;
  readonly tls: TlsMode;
  readonly log: (entry: Record<string, string>) => void;
  readonly now?: () => Date;
}

export function createAzureRotationHandler(
  deps: AzureRotationDependencies,
): (notice: SecretVersionNotice) => Promise<string> {
  const { client } = deps;
  const now = deps.now ?? (() => new Date());

  const parse = (secret: KeyVaultSecret): DatabaseSecret =>
    parseDatabaseSecret(secret.value, `secret ${secret.name} version ${secret.properties.version ?? ""}`);

  const readAdmin = async (reference: string): Promise<DatabaseSecret> => {
    if (!SECRET_NAME.test(reference)) {
      throw new Error(`"masterarn" must name a secret in vault ${deps.vaultName}, got "${reference}"`);
    }
    return parse(await client.getSecret(reference));
  };

  return async (notice) => {
    const entry = { secret: notice.secretName, version: notice.version, event: notice.eventType };
    if (!(ROTATION_EVENT_TYPES as readonly string[]).includes(notice.eventType)) {
      deps.log({ ...entry, outcome: "not an expiry event; ignored" });
      return "ignored";
    }
    if (notice.vaultName.toLowerCase() !== deps.vaultName.toLowerCase()) {
      throw new Error(`event from vault ${notice.vaultName}; this function rotates in ${deps.vaultName}`);
    }
    if (!deps.secrets.includes(notice.secretName)) {
      throw new Error(`secret ${notice.secretName} is not one this function rotates`);
    }
    const latest = await client.getSecret(notice.secretName);
    if (latest.properties.version !== notice.version) {
      deps.log({ ...entry, outcome: `already rotated: latest is ${latest.properties.version ?? ""}` });
      return "already rotated";
    }
    const { createdOn, expiresOn } = latest.properties;
    if (
      notice.eventType === NEAR_EXPIRY &&
      createdOn &&
      expiresOn &&
      expiresOn.getTime() - createdOn.getTime() <= NEAR_EXPIRY_LEAD_MS
    ) {
      deps.log({ ...entry, outcome: "lifetime within the near-expiry lead; SecretExpired rotates it" });
      return "deferred to expiry";
    }
    const next = await rotateToAlternate({
      what: `secret ${notice.secretName}`,
      current: parse(latest),
      tls: deps.tls,
      readAdmin,
      publish: async (credential) => {
        await client.setSecret(notice.secretName, serializeDatabaseSecret(credential), {
          contentType: latest.properties.contentType,
          tags: latest.properties.tags,
          expiresOn: new Date(now().getTime() + deps.expiryDays * DAY_MS),
        });
      },
    });
    deps.log({ ...entry, outcome: `rotated to ${next.username}` });
    return "rotated";
  };
}

let functionHandler: ((notice: SecretVersionNotice) => Promise<string>) | undefined;

/** Azure Functions entry point (`rotate`, Event Grid trigger, Node programming model v3). */
export async function rotate(_context: unknown, event: KeyVaultEvent): Promise<void> {
  if (!functionHandler) {
    const env = process.env;
    const vaultUrl = requiredSetting(env, "ROTATION_KEY_VAULT_URL");
    const expiryDays = Number(requiredSetting(env, "ROTATION_SECRET_EXPIRY_DAYS"));
    if (!Number.isInteger(expiryDays) || expiryDays < 1) {
      throw new Error("ROTATION_SECRET_EXPIRY_DAYS must be a positive whole number of days");
    }
    functionHandler = createAzureRotationHandler({
      client: new SecretClient(
        vaultUrl,
        new DefaultAzureCredential({ managedIdentityClientId: requiredSetting(env, "AZURE_CLIENT_ID") }),
      ),
      vaultName: new URL(vaultUrl).hostname.split(".")[0],
      secrets: requiredSetting(env, "ROTATION_SECRETS").split(","),
      expiryDays,
      tls: tlsFromEnvironment(env),
      log: (entry) => console.log(JSON.stringify(entry)),
    });
  }
  await functionHandler(noticeFromEvent(event));
}
