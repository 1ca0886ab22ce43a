/**
 * The database secret as Secrets Manager (and our GCP/Azure functions) store it: a JSON object
 * with the connection settings and the credential. Parsing never echoes values in errors, so a
 * malformed secret cannot leak a password into a log line.
 */

export type EngineKind = "postgresql" | "mysql";

export interface DatabaseSecret {
  /** As stored (`postgres`, `mariadb`, ...); rotation writes it back unchanged. */
  readonly engine: string;
  readonly kind: EngineKind;
  readonly host: string;
  readonly port: number;
  readonly dbname?: string;
  readonly username: string;
  readonly password: string;
  /** ARN (or resource name) of the secret holding the administrative login. */
  readonly masterarn?: string;
  /** Every other field, kept so rotation never drops what the owner stored alongside. */
  readonly extra: Readonly<Record<string, unknown>>;
}

const ENGINE_ALIASES: Readonly<Record<string, EngineKind>> = {
  postgres: "postgresql",
  postgresql: "postgresql",
  mysql: "mysql",
  mariadb: "mysql",
};

const KNOWN = new Set(["engine", "host", "port", "dbname", "username", "password", "masterarn"]);

export class SecretFormatError extends Error {
  override readonly name = "SecretFormatError";
}

function field(obj: Record<string, unknown>, key: string, what: string): string {
  const value = obj[key];
  if (typeof value !== "string" || value.length === 0) {
    throw new SecretFormatError(`${what}: field "${key}" must be a non-empty string`);
  }
  return value;
}

/** `what` names the secret in errors (its ARN and stage), never its content. */
export function parseDatabaseSecret(text: string | undefined, what: string): DatabaseSecret {
  if (text === undefined) throw new SecretFormatError(`${what}: has no SecretString`);
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new SecretFormatError(`${what}: SecretString is not JSON`);
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    throw new SecretFormatError(`${what}: SecretString must be a JSON object`);
  }
  const o = obj as Record<string, unknown>;
  const engineName = field(o, "engine", what);
  const kind = ENGINE_ALIASES[engineName.toLowerCase()];
  if (!kind) {
    throw new SecretFormatError(
      `${what}: engine "${engineName}" is not one of ${Object.keys(ENGINE_ALIASES).join(", ")}`,
    );
  }
  const port = typeof o.port === "string" ? Number(o.port) : o.port;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SecretFormatError(`${what}: field "port" must be an integer between 1 and 65535`);
  }
  const dbname = o.dbname === undefined ? undefined : field(o, "dbname", what);
  const masterarn = o.masterarn === undefined ? undefined : field(o, "masterarn", what);
  const extra = Object.fromEntries(Object.entries(o).filter(([k]) => !KNOWN.has(k)));
  return {
    engine: engineName,
    kind,
    host: field(o, "host", what),
    port,
    dbname,
    username: field(o, "username", what),
    password: field(o, "password", what),
    masterarn,
    extra,
  };
}

/** Serialises back to the stored shape, keeping the owner's extra fields. */
export function serializeDatabaseSecret(secret: DatabaseSecret): string {
  const { extra, kind: _kind, ...known } = secret;
  void _kind;
  return JSON.stringify({ ...extra, ...known });
}
