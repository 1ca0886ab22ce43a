/**
 * Secrets Manager rotation function for database credentials with alternating users. Secrets
 * Manager calls it four times per rotation (createSecret, setSecret, testSecret, finishSecret)
 * and retries a step that fails, so every step reads the version stages first and is safe to
 * repeat after a crash at any point. Logs carry ARNs, version ids and stage names, never values.
 */
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import {
  checkAdminTarget,
  checkSameDatabase,
  engineFor,
  nextCredential,
  parseDatabaseSecret,
  serializeDatabaseSecret,
  type DatabaseSecret,
  type TlsMode,
} from "../core";
import { tlsFromEnvironment } from "../core/environment";
import {
  AWSCURRENT,
  AWSPENDING,
  RotationStateError,
  tokenState,
  versionWith,
  type VersionStages,
} from "./stages";

export type RotationStep = "createSecret" | "setSecret" | "testSecret" | "finishSecret";

/** The event Secrets Manager sends to a rotation function. */
export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: RotationStep;
}

export interface RotationDependencies {
  readonly client: SecretsManagerClient;
  readonly tls: TlsMode;
  readonly log: (entry: Record<string, string>) => void;
}

/** Characters that need quoting in SQL literals, URLs or shells; never in generated passwords. */
export const PASSWORD_EXCLUDED_CHARACTERS = "/@\"'\\`";
export const PASSWORD_LENGTH = 32;

export function createRotationHandler(deps: RotationDependencies): (event: RotationEvent) => Promise<void> {
  const { client } = deps;

  const stagesOf = async (secretId: string): Promise<VersionStages> => {
    const out = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    return out.VersionIdsToStages ?? {};
  };

  const read = async (secretId: string, stage: string, versionId?: string): Promise<DatabaseSecret> => {
    const out = await client.send(
      new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, VersionId: versionId }),
    );
    return parseDatabaseSecret(
      out.SecretString,
      `secret ${secretId} ${versionId ?? ""} ${stage}`.replace(/ +/g, " "),
    );
  };

  const readPending = async (secretId: string, token: string): Promise<DatabaseSecret | undefined> => {
    try {
      return await read(secretId, AWSPENDING, token);
    } catch (error) {
      if ((error as { name?: string }).name === "ResourceNotFoundException") return undefined;
      throw error;
    }
  };

  const steps: Record<RotationStep, (secretId: string, token: string) => Promise<string>> = {
    async createSecret(secretId, token) {
      const current = await read(secretId, AWSCURRENT);
      const existing = await readPending(secretId, token);
      if (existing) {
        checkSameDatabase(current, existing);
        return "pending version already exists";
      }
      const { RandomPassword } = await client.send(
        new GetRandomPasswordCommand({
          PasswordLength: PASSWORD_LENGTH,
          ExcludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
          RequireEachIncludedType: true,
        }),
      );
      if (!RandomPassword) throw new Error("GetRandomPassword returned no password");
      await client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: serializeDatabaseSecret(nextCredential(current, RandomPassword)),
          VersionStages: [AWSPENDING],
        }),
      );
      return "created pending version";
    },

    async setSecret(secretId, token) {
      const current = await read(secretId, AWSCURRENT);
      const pending = await read(secretId, AWSPENDING, token);
      checkSameDatabase(current, pending);
      if (!current.masterarn) {
        throw new Error(
          `secret ${secretId} has no "masterarn": alternating users needs an admin secret to create users`,
        );
      }
      const admin = await read(current.masterarn, AWSCURRENT);
      checkAdminTarget(current, admin);
      await engineFor(current.kind, deps.tls).setPending(admin, current, pending);
      return `set password of ${pending.username}`;
    },

    async testSecret(secretId, token) {
      const pending = await read(secretId, AWSPENDING, token);
      await engineFor(pending.kind, deps.tls).test(pending);
      return `logged in as ${pending.username}`;
    },

    async finishSecret(secretId, token) {
      await client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: AWSCURRENT,
          MoveToVersionId: token,
          RemoveFromVersionId: versionWith(await stagesOf(secretId), AWSCURRENT),
        }),
      );
      // The AWS samples leave AWSPENDING behind (aws-samples #168), which blocks the next rotation.
      await removePending(secretId, token);
      return "moved AWSCURRENT and removed AWSPENDING";
    },
  };

  const removePending = async (secretId: string, token: string): Promise<void> => {
    if (!(await stagesOf(secretId))[token]?.includes(AWSPENDING)) return;
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: AWSPENDING,
        RemoveFromVersionId: token,
      }),
    );
  };

  return async (event) => {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    const run = steps[step];
    if (!run) throw new RotationStateError(`unknown rotation step "${String(step)}"`);
    const entry = { step, secret: secretId, token };
    const state = tokenState(await stagesOf(secretId), token, secretId);
    if (state === "current") {
      // A retried finishSecret may find AWSCURRENT moved but AWSPENDING still attached.
      if (step === "finishSecret") await removePending(secretId, token);
      deps.log({ ...entry, outcome: "version is already AWSCURRENT; nothing to do" });
      return;
    }
    deps.log({ ...entry, outcome: await run(secretId, token) });
  };
}

let lambdaHandler: ((event: RotationEvent) => Promise<void>) | undefined;

/** Lambda entry point (`index.handler` in the bundle). */
export async function handler(event: RotationEvent): Promise<void> {
  lambdaHandler ??= createRotationHandler({
    client: new SecretsManagerClient({}),
    tls: tlsFromEnvironment(process.env),
    log: (entry) => console.log(JSON.stringify(entry)),
  });
  await lambdaHandler(event);
}
