/**
 * Plays the part of the Secrets Manager rotation service against moto: it calls the four
 * steps of our handler in order and retries a failed step, as AWS does. We drive the steps
 * ourselves because moto cannot: its RotateSecret needs moto's Lambda (Docker) and its
 * rotation-in-progress check is inverted. What AWS does before createSecret, and moto does not,
 * is emulated here in the client, never in the handler:
 * - RotateSecret attaches AWSPENDING to the new token before calling createSecret, so
 *   DescribeSecret lists the token with AWSPENDING although it has no value yet.
 * Crashes are injected here too: a step, or a single Secrets Manager write, completes and then
 * the "Lambda" dies before reporting success; the driver retries the step.
 */
import { randomUUID } from "node:crypto";
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
  type DescribeSecretCommandOutput,
} from "@aws-sdk/client-secrets-manager";
import { createRotationHandler, type RotationStep } from "../../../components/rotation/aws/handler";
import {
  parseDatabaseSecret,
  serializeDatabaseSecret,
  type DatabaseSecret,
} from "../../../components/rotation/core";

export const STEPS: readonly RotationStep[] = ["createSecret", "setSecret", "testSecret", "finishSecret"];

export class InjectedCrash extends Error {
  override readonly name = "InjectedCrash";
}

/** Where to crash: after a whole step, or after the n-th call of a Secrets Manager command. */
export type CrashPoint =
  { readonly afterStep: RotationStep } | { readonly afterCommand: string; readonly nth: number };

export function motoClient(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
}

export class RotationDriver {
  readonly latencies: Record<RotationStep, number[]> = {
    createSecret: [],
    setSecret: [],
    testSecret: [],
    finishSecret: [],
  };
  private readonly inFlight = new Map<string, string>();
  private armed?: { command: string; remaining: number };
  readonly handler;

  constructor(readonly client: SecretsManagerClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const command = (context as { commandName?: string }).commandName;
        if (command === "DescribeSecretCommand")
          this.addInFlightToken(result.output as DescribeSecretCommandOutput);
        if (this.armed && command === this.armed.command && --this.armed.remaining === 0) {
          this.armed = undefined;
          throw new InjectedCrash(`injected crash after ${command}`);
        }
        return result;
      },
      { step: "initialize", name: "rotationDriver" },
    );
    this.handler = createRotationHandler({ client, tls: { mode: "disable" }, log: () => undefined });
  }

  private addInFlightToken(output: DescribeSecretCommandOutput): void {
    const token = output.ARN && this.inFlight.get(output.ARN);
    if (!token) return;
    output.VersionIdsToStages ??= {};
    if (!output.VersionIdsToStages[token]) output.VersionIdsToStages[token] = ["AWSPENDING"];
  }

  /** Creates the application and admin secrets in moto under unique names. */
  async createSecrets(app: DatabaseSecret, admin: DatabaseSecret): Promise<string> {
    const name = `${app.dbname}-${randomUUID().slice(0, 8)}`;
    const adminArn = (
      await this.client.send(
        new CreateSecretCommand({ Name: `${name}-admin`, SecretString: serializeDatabaseSecret(admin) }),
      )
    ).ARN!;
    const appArn = (
      await this.client.send(
        new CreateSecretCommand({
          Name: `${name}-app`,
          SecretString: serializeDatabaseSecret({ ...app, masterarn: adminArn }),
        }),
      )
    ).ARN!;
    return appArn;
  }

  async stages(secretId: string): Promise<Record<string, string[]>> {
    return (
      (await this.client.send(new DescribeSecretCommand({ SecretId: secretId }))).VersionIdsToStages ?? {}
    );
  }

  /** Always by stage: moto's GetSecretValue without a stage does not follow AWSCURRENT. */
  async read(
    secretId: string,
    stage: "AWSCURRENT" | "AWSPREVIOUS" | "AWSPENDING" = "AWSCURRENT",
  ): Promise<DatabaseSecret> {
    const out = await this.client.send(
      new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }),
    );
    return parseDatabaseSecret(out.SecretString, `${secretId} ${stage}`);
  }

  async step(secretId: string, token: string, step: RotationStep): Promise<void> {
    const started = performance.now();
    await this.handler({ SecretId: secretId, ClientRequestToken: token, Step: step });
    this.latencies[step].push(performance.now() - started);
  }

  /** One rotation; with a crash point, the crashed step is retried once, as AWS retries it. */
  async rotate(secretId: string, crash?: CrashPoint, token = randomUUID()): Promise<string> {
    this.inFlight.set(secretId, token);
    try {
      for (const step of STEPS) {
        if (crash && "afterCommand" in crash && step === stepOfCommand(crash.afterCommand)) {
          this.armed = { command: crash.afterCommand, remaining: crash.nth };
        }
        try {
          await this.step(secretId, token, step);
          if (crash && "afterStep" in crash && crash.afterStep === step)
            throw new InjectedCrash(`injected crash after ${step}`);
        } catch (error) {
          if (!(error instanceof InjectedCrash)) throw error;
          await this.step(secretId, token, step);
        }
      }
      return token;
    } finally {
      this.inFlight.delete(secretId);
      this.armed = undefined;
    }
  }

  /** Runs some steps of a rotation and leaves it unfinished (for the inconsistent-state cases). */
  async startRotation(
    secretId: string,
    steps: readonly RotationStep[],
    token = randomUUID(),
  ): Promise<string> {
    this.inFlight.set(secretId, token);
    try {
      for (const step of steps) await this.step(secretId, token, step);
      return token;
    } finally {
      this.inFlight.delete(secretId);
    }
  }
}

function stepOfCommand(command: string): RotationStep {
  return command === "PutSecretValueCommand" ? "createSecret" : "finishSecret";
}
