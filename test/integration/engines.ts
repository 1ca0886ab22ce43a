/**
 * Connection settings for the real engines started by scripts/integration-env.sh. Values
 * come from the environment first, then from .integration/env. Under CI=true a missing
 * engine is a failure, never a skip: `requireEngine` throws instead of skipping.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export interface EngineSettings {
  readonly adminUser: string;
  readonly adminPassword: string;
  readonly pgHost: string;
  readonly pgPort: number;
  readonly mysqlHost: string;
  readonly mysqlPort: number;
  readonly motoEndpoint: string;
}

/** KEY=VALUE lines of a settings file the integration scripts write; empty when absent. */
export function readSettingsFile(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  return Object.fromEntries(
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

const fileSettings = () => readSettingsFile(path.join(__dirname, "..", "..", ".integration", "env"));

export function engineSettings(): EngineSettings {
  const file = fileSettings();
  const get = (key: string, fallback?: string) => process.env[key] ?? file[key] ?? fallback;
  return {
    adminUser: get("SP_DB_ADMIN_USER", "sp_admin")!,
    adminPassword: get("SP_DB_ADMIN_PASSWORD", "")!,
    pgHost: get("SP_PG_HOST", "127.0.0.1")!,
    pgPort: Number(get("SP_PG_PORT", "5432")),
    mysqlHost: get("SP_MYSQL_HOST", "127.0.0.1")!,
    mysqlPort: Number(get("SP_MYSQL_PORT", "3306")),
    motoEndpoint: get("SP_MOTO_ENDPOINT", "http://127.0.0.1:5055")!,
  };
}

function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export type Engine = "postgresql" | "mariadb" | "moto";

/**
 * Call from a mocha `before` hook. When the engine is down: under CI=true it throws (the run
 * fails); locally it skips the suite with a message saying how to start the engines.
 */
export async function requireEngine(ctx: Mocha.Context, engine: Engine): Promise<EngineSettings> {
  const s = engineSettings();
  const [host, port] =
    engine === "postgresql"
      ? [s.pgHost, s.pgPort]
      : engine === "mariadb"
        ? [s.mysqlHost, s.mysqlPort]
        : [new URL(s.motoEndpoint).hostname, Number(new URL(s.motoEndpoint).port)];
  if (!(await reachable(host, port))) {
    missingEngine(
      ctx,
      `${engine} is not reachable on ${host}:${port}; start it with scripts/integration-env.sh`,
    );
  }
  return s;
}

/**
 * What every suite does when an engine it needs is absent: under CI=true it throws (the run
 * fails); locally it skips the suite (or test) with one line saying what to start or build.
 */
export function missingEngine(ctx: Mocha.Context, message: string): never {
  if (process.env.CI === "true") throw new Error(message);
  console.warn(`skipping: ${message}`);
  ctx.skip();
}
