/**
 * PostgreSQL alternating users. Both login users are members of a NOLOGIN group role and have
 * `ALTER ROLE ... SET role = <group>`, so every session acts as the group and everything either
 * user creates is owned by the group: after a switch the other user can still read, alter and
 * drop it (the ownership bug of aws-samples #38/#56/#175). Existing objects of the users move to
 * the group with REASSIGN OWNED (a no-op once done); memberships of the current user move to
 * the group, because the group is the identity sessions act as.
 */
import { Client, type ClientConfig } from "pg";
import type { AdminLogin, DatabaseEngine, TlsMode } from "./engine";
import { scramSha256Verifier } from "./scram";
import type { DatabaseSecret } from "./secret";
import { withPasswordStatement } from "./statement-error";
import { checkUsernameLength, groupRoleName } from "./users";

const AUTH_FAILURES = new Set(["28P01", "28000"]);
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Gives `role` its password (as a SCRAM verifier computed here) and lets it log in. The
 * verifier is password-equivalent for impersonating the server, and pg errors carry the
 * server's detail: a failure is rethrown with its SQLSTATE only (./statement-error.ts).
 */
export async function setPasswordAndLogin(c: Client, role: string, password: string): Promise<void> {
  const verifier = scramSha256Verifier(password);
  await withPasswordStatement(`setting the password of role ${JSON.stringify(role)}`, () =>
    c.query(`ALTER ROLE ${c.escapeIdentifier(role)} WITH LOGIN PASSWORD ${c.escapeLiteral(verifier)}`),
  );
}

export class PostgresEngine implements DatabaseEngine {
  constructor(private readonly tls: TlsMode) {}

  private config(secret: DatabaseSecret, login: AdminLogin): ClientConfig {
    return {
      host: secret.host,
      port: secret.port,
      database: secret.dbname ?? "postgres",
      user: login.username,
      password: login.password,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ssl: this.tls.mode === "verify" ? { rejectUnauthorized: true, ca: this.tls.ca } : false,
    };
  }

  private async session<T>(
    secret: DatabaseSecret,
    login: AdminLogin,
    work: (c: Client) => Promise<T>,
  ): Promise<T> {
    const client = new Client(this.config(secret, login));
    await client.connect().catch(async (error: unknown) => {
      // A failed handshake can leave the socket open and keep the process alive.
      await client.end().catch(() => undefined);
      throw error;
    });
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  async setPending(admin: AdminLogin, current: DatabaseSecret, pending: DatabaseSecret): Promise<void> {
    checkUsernameLength(current.username, "postgresql");
    await this.session(pending, admin, async (c) => {
      const id = (name: string) => c.escapeIdentifier(name);
      const group = groupRoleName(current.username);
      const exists = async (role: string) =>
        (await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount === 1;
      await c.query("BEGIN");
      try {
        if (!(await exists(group))) await c.query(`CREATE ROLE ${id(group)} NOLOGIN`);
        // Created without a password: it cannot log in until the last statement below.
        if (!(await exists(pending.username))) await c.query(`CREATE ROLE ${id(pending.username)} LOGIN`);
        const inherited = await c.query<{ rolname: string }>(
          `SELECT r.rolname FROM pg_auth_members m
             JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
            WHERE u.rolname = $1 AND r.rolname <> $2`,
          [current.username, group],
        );
        for (const { rolname } of inherited.rows) await c.query(`GRANT ${id(rolname)} TO ${id(group)}`);
        for (const user of [current.username, pending.username]) {
          await c.query(`GRANT ${id(group)} TO ${id(user)}`);
          await c.query(`ALTER ROLE ${id(user)} SET role = ${c.escapeLiteral(group)}`);
        }
        await c.query(`REASSIGN OWNED BY ${id(current.username)}, ${id(pending.username)} TO ${id(group)}`);
        await setPasswordAndLogin(c, pending.username, pending.password);
        await c.query("COMMIT");
      } catch (error) {
        await c.query("ROLLBACK");
        throw error;
      }
    });
  }

  async test(secret: DatabaseSecret): Promise<void> {
    const group = groupRoleName(secret.username);
    await this.session(secret, secret, async (c) => {
      const { rows } = await c.query<{ acting: string; login: string }>(
        "SELECT current_user AS acting, session_user AS login",
      );
      if (rows[0]?.login !== secret.username || rows[0]?.acting !== group) {
        throw new Error(
          `login as "${secret.username}" acts as "${rows[0]?.acting}", expected group role "${group}": objects it creates would not be shared`,
        );
      }
    });
  }

  async canLogin(secret: DatabaseSecret): Promise<boolean> {
    try {
      await this.session(secret, secret, (c) => c.query("SELECT 1"));
      return true;
    } catch (error) {
      if (AUTH_FAILURES.has((error as { code?: string }).code ?? "")) return false;
      throw error;
    }
  }
}
