/**
 * MySQL/MariaDB alternating users. MySQL objects have no owner, so "shared ownership" means
 * equal privileges: the pending user gets exactly the current user's grants (roles included),
 * copied from SHOW GRANTS on every rotation so a grant added to one user reaches the other.
 */
import { createConnection, type Connection, type ConnectionOptions } from "mysql2/promise";
import type { AdminLogin, DatabaseEngine, TlsMode } from "./engine";
import { accountName, regrant } from "./mysql-grants";
import type { DatabaseSecret } from "./secret";
import { withPasswordStatement } from "./statement-error";
import { checkUsernameLength } from "./users";

const ACCESS_DENIED = "ER_ACCESS_DENIED_ERROR";
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Gives `account` (`user`@`host`, quoted) its password and unlocks it. mysql2 fills the `?`
 * in on the client and attaches the resulting statement to its errors, so a failure is
 * rethrown without it (./statement-error.ts).
 */
export async function setPasswordAndUnlock(c: Connection, account: string, password: string): Promise<void> {
  await withPasswordStatement(`setting the password of ${account}`, () =>
    c.query(`ALTER USER ${account} IDENTIFIED BY ? ACCOUNT UNLOCK`, [password]),
  );
}

export class MysqlEngine implements DatabaseEngine {
  constructor(private readonly tls: TlsMode) {}

  private options(secret: DatabaseSecret, login: AdminLogin): ConnectionOptions {
    return {
      host: secret.host,
      port: secret.port,
      database: secret.dbname,
      user: login.username,
      password: login.password,
      connectTimeout: CONNECT_TIMEOUT_MS,
      ssl: this.tls.mode === "verify" ? { rejectUnauthorized: true, ca: this.tls.ca } : undefined,
    };
  }

  private async session<T>(
    secret: DatabaseSecret,
    login: AdminLogin,
    work: (c: Connection) => Promise<T>,
  ): Promise<T> {
    const connection = await createConnection(this.options(secret, login));
    try {
      return await work(connection);
    } finally {
      await connection.end();
    }
  }

  /** The account (`user@host`) the server matched a login to. */
  private async matchedAccount(secret: DatabaseSecret): Promise<{ user: string; host: string }> {
    return this.session(secret, secret, async (c) => {
      const [rows] = await c.query<Array<{ account: string } & import("mysql2").RowDataPacket>>(
        "SELECT CURRENT_USER() AS account",
      );
      const account = rows[0].account;
      const at = account.lastIndexOf("@");
      return { user: account.slice(0, at), host: account.slice(at + 1) };
    });
  }

  async setPending(admin: AdminLogin, current: DatabaseSecret, pending: DatabaseSecret): Promise<void> {
    checkUsernameLength(current.username, "mysql");
    const { host } = await this.matchedAccount(current);
    const from = accountName(current.username, host);
    const to = accountName(pending.username, host);
    await this.session(pending, admin, async (c) => {
      // Locked until its grants are in place, so a half-made clone never serves a login.
      await c.query(`CREATE USER IF NOT EXISTS ${to} ACCOUNT LOCK`);
      await c.query(`REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${to}`);
      const [rows] = await c.query<Array<Record<string, string> & import("mysql2").RowDataPacket>>(
        `SHOW GRANTS FOR ${from}`,
      );
      for (const row of rows) {
        const statement = regrant(Object.values(row)[0], from, to);
        if (statement !== undefined) await c.query(statement);
      }
      await setPasswordAndUnlock(c, to, pending.password);
    });
  }

  async test(secret: DatabaseSecret): Promise<void> {
    const { user } = await this.matchedAccount(secret);
    if (user !== secret.username) {
      throw new Error(`login as "${secret.username}" was matched to account "${user}"`);
    }
  }

  async canLogin(secret: DatabaseSecret): Promise<boolean> {
    try {
      await this.session(secret, secret, (c) => c.query("SELECT 1"));
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === ACCESS_DENIED) return false;
      throw error;
    }
  }
}
