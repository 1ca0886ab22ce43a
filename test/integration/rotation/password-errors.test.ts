/**
 * A failed password statement must not put the password in an error (issue 23): real failing
 * `ALTER USER`/`ALTER ROLE` statements on MariaDB and PostgreSQL, once as the admin on an
 * account that does not exist and once as a login without the privilege.
 */
import * as assert from "node:assert/strict";
import { setPasswordAndUnlock } from "../../../components/rotation/core/mysql";
import { accountName } from "../../../components/rotation/core/mysql-grants";
import { setPasswordAndLogin } from "../../../components/rotation/core/postgres";
import { PasswordStatementError } from "../../../components/rotation/core/statement-error";
import { secretsIn } from "../../support/secret-leaks";
import { requireEngine } from "../engines";
import { createTestDatabase, mysqlSession, newPassword, pgSession, type TestDatabase } from "./databases";

/** The failure, checked to hold nothing of the password (nor, on PostgreSQL, its verifier). */
async function failure(attempt: Promise<unknown>, password: string): Promise<PasswordStatementError> {
  const error = await attempt.then(
    () => assert.fail("the statement was expected to fail"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof PasswordStatementError, `not a PasswordStatementError: ${String(error)}`);
  assert.deepEqual(secretsIn(error, [password, "SCRAM-SHA-256$"]), []);
  return error;
}

describe("password statements that fail carry no password (real MariaDB and PostgreSQL)", function () {
  describe("MariaDB: ALTER USER … IDENTIFIED BY ?", function () {
    let db: TestDatabase;
    before(async function () {
      db = await createTestDatabase("mysql", await requireEngine(this, "mariadb"));
    });
    after(() => db?.drop());

    it("mysql2 itself attaches the password to the error (what the rethrow removes)", async () => {
      const password = newPassword();
      const raw = await mysqlSession(db.admin, (c) =>
        c.query("ALTER USER 'sp_no_such_user'@'%' IDENTIFIED BY ?", [password]).catch((e: unknown) => e),
      );
      assert.ok(secretsIn(raw, [password]).includes("sql"), "mysql2 no longer attaches the statement");
    });

    it("an account that does not exist: the code only", async () => {
      const password = newPassword();
      const error = await failure(
        mysqlSession(db.admin, (c) => setPasswordAndUnlock(c, accountName("sp_no_such_user", "%"), password)),
        password,
      );
      assert.equal(error.code, "ER_CANNOT_USER");
      assert.match(
        error.message,
        /setting the password of `sp_no_such_user`@`%` failed \(ER_CANNOT_USER, errno \d+/,
      );
    });

    it("a login without the privilege: the code only", async () => {
      const password = newPassword();
      const error = await failure(
        mysqlSession(db.initial, (c) =>
          setPasswordAndUnlock(c, accountName(db.admin.username, "127.0.0.1"), password),
        ),
        password,
      );
      assert.match(error.code ?? "", /ACCESS_DENIED/);
    });
  });

  describe("PostgreSQL: ALTER ROLE … PASSWORD '<SCRAM verifier>'", function () {
    let db: TestDatabase;
    before(async function () {
      db = await createTestDatabase("postgresql", await requireEngine(this, "postgresql"));
    });
    after(() => db?.drop());

    it("a role that does not exist: the SQLSTATE only", async () => {
      const password = newPassword();
      const error = await failure(
        pgSession(db.admin, (c) => setPasswordAndLogin(c, "sp_no_such_role", password)),
        password,
      );
      assert.equal(error.code, "42704");
      assert.match(error.message, /setting the password of role "sp_no_such_role" failed \(42704\)/);
    });

    it("a login without the privilege: the SQLSTATE only", async () => {
      const password = newPassword();
      const error = await failure(
        pgSession(db.initial, (c) => setPasswordAndLogin(c, db.admin.username, password)),
        password,
      );
      assert.equal(error.code, "42501");
    });
  });
});
