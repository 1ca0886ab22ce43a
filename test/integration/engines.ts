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

/**
 * The engines scripts/integration-env.sh started, as it named them (or as the environment names
 * them); undefined when neither names them all. No default address: an engine of the same kind
 * that happens to listen on its usual port (a developer's own PostgreSQL) is not ours, and
 * would fail the suites with its own logins instead of skipping them.
 */
export function engineSettings(): EngineSettings | undefined {
  const file = fileSettings();
  const get = (key: string) => process.env[key] ?? file[key];
  const [adminUser, adminPassword, pgHost, pgPort, mysqlHost, mysqlPort, motoEndpoint] = [
    "SP_DB_ADMIN_USER",
    "SP_DB_ADMIN_PASSWORD",
    "SP_PG_HOST",
    "SP_PG_PORT",
    "SP_MYSQL_HOST",
    "SP_MYSQL_PORT",
    "SP_MOTO_ENDPOINT",
  ].map(get);
  if (!adminUser || !adminPassword || !pgHost || !pgPort || !mysqlHost || !mysqlPort || !motoEndpoint)
    return undefined;
  return {
    adminUser,
    adminPassword,
    pgHost,
    pgPort: Number(pgPort),
    mysqlHost,
    mysqlPort: Number(mysqlPort),
    motoEndpoint,
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
  if (!s)
    return missingEngine(
      ctx,
      `${engine}: the integration engines are not set up here (no .integration/env); start them with scripts/integration-env.sh`,
    );
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
