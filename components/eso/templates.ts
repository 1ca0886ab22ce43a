/**
 * Templates composing what applications consume from database credentials: `username`,
 * `password` and a ready-made `DATABASE_URL` for the catalog database (scheme by engine,
 * TLS required when the catalog says the database speaks it).
 */
import type { Database } from "../../stacks/schema";

/** ESO template (engine v2, Go templates) data for a database credential with `username`/`password`. */
export function databaseCredentialTemplate(database: Database): Record<string, string> {
  // `urlquery` percent-encodes reserved characters so a generated password cannot break the URL.
  const userinfo = "{{ .username | urlquery }}:{{ .password | urlquery }}";
  const address = `${database.host}:${database.port}/${database.database}`;
  const url =
    database.engine === "postgresql"
      ? `postgresql://${userinfo}@${address}?sslmode=${database.tls ? "verify-full" : "disable"}`
      : `mysql://${userinfo}@${address}${database.tls ? "?ssl-mode=VERIFY_IDENTITY" : ""}`;
  return {
    username: "{{ .username }}",
    password: "{{ .password }}",
    DATABASE_URL: url,
  };
}
