/**
 * Rollback after a bad rotation: AWSPREVIOUS becomes AWSCURRENT again. With alternating users
 * the previous user's password is untouched until the next rotation, so its credential still
 * works; we check that it logs in before moving the stage, never after.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { engineFor, parseDatabaseSecret, type TlsMode } from "../core";
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, RotationStateError, versionWith } from "./stages";

export async function rollbackToPrevious(
  client: SecretsManagerClient,
  secretId: string,
  tls: TlsMode,
): Promise<string> {
  const stages =
    (await client.send(new DescribeSecretCommand({ SecretId: secretId }))).VersionIdsToStages ?? {};
  const pending = versionWith(stages, AWSPENDING);
  if (pending !== undefined) {
    throw new RotationStateError(
      `secret ${secretId}: version ${pending} is AWSPENDING; finish or clear that rotation first`,
    );
  }
  const previous = versionWith(stages, AWSPREVIOUS);
  if (previous === undefined) throw new RotationStateError(`secret ${secretId}: no version is AWSPREVIOUS`);
  const { SecretString } = await client.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionId: previous }),
  );
  const secret = parseDatabaseSecret(SecretString, `secret ${secretId} version ${previous}`);
  if (!(await engineFor(secret.kind, tls).canLogin(secret))) {
    throw new RotationStateError(
      `secret ${secretId}: the AWSPREVIOUS credential no longer logs in; rollback refused`,
    );
  }
  await client.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: AWSCURRENT,
      MoveToVersionId: previous,
      RemoveFromVersionId: versionWith(stages, AWSCURRENT),
    }),
  );
  return previous;
}
