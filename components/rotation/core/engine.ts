/**
 * What the rotation steps need from a database engine. Implementations hold no state between
 * calls: every call opens and closes its own connection, as a Lambda invocation must.
 */
import type { DatabaseSecret } from "./secret";

/** TLS to the database. Secure by default: `verify` checks the server certificate. */
export type TlsMode = { readonly mode: "verify"; readonly ca?: string } | { readonly mode: "disable" };

export interface AdminLogin {
  readonly username: string;
  readonly password: string;
}

export interface DatabaseEngine {
  /**
   * Gives `pending.username` the password `pending.password`, creating the user modelled on
   * `current.username` if needed (same privileges, same owner group). Idempotent: safe to
   * repeat after a crash at any point.
   */
  setPending(admin: AdminLogin, current: DatabaseSecret, pending: DatabaseSecret): Promise<void>;
  /** Logs in with the secret and runs a query proving the session has the intended identity. */
  test(secret: DatabaseSecret): Promise<void>;
  /** True when the secret's credential is accepted; false on an authentication failure only. */
  canLogin(secret: DatabaseSecret): Promise<boolean>;
}
