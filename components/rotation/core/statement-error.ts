/**
 * Errors of the statements that carry a password. mysql2 fills `?` values in on the client
 * and attaches the whole statement, password included, to its errors (`sql`), and the server
 * quotes the statement in some messages (a parse error's `near '…'`); pg errors carry the
 * server's `detail`/`where`/`hint`. Rotation errors end up in function logs, so a failed
 * password statement is replaced by an error holding only what names the failure: the step,
 * the driver's error code, errno and SQLSTATE. Never `cause`: it would carry the original.
 */

export class PasswordStatementError extends Error {
  override readonly name = "PasswordStatementError";
  constructor(
    /** What was being done, naming the account (never the password). */
    readonly step: string,
    /** The driver's error code: mysql2's `ER_…` name, pg's SQLSTATE. */
    readonly code: string | undefined,
    readonly errno: number | undefined,
    readonly sqlState: string | undefined,
  ) {
    const codes = [
      code,
      errno === undefined ? undefined : `errno ${errno}`,
      sqlState && `SQLSTATE ${sqlState}`,
    ]
      .filter((c) => c !== undefined && c !== "")
      .join(", ");
    super(
      `${step} failed (${codes || "no error code"}); the statement and server message are withheld: they may hold the password`,
    );
  }
}

const stringField = (error: unknown, key: string): string | undefined => {
  const value = (error as Record<string, unknown> | null)?.[key];
  return typeof value === "string" ? value : undefined;
};

/** Runs a statement carrying a password; its failure becomes a `PasswordStatementError`. */
export async function withPasswordStatement<T>(step: string, statement: () => Promise<T>): Promise<T> {
  try {
    return await statement();
  } catch (error) {
    const errno = (error as { errno?: unknown } | null)?.errno;
    throw new PasswordStatementError(
      step,
      stringField(error, "code"),
      typeof errno === "number" ? errno : undefined,
      stringField(error, "sqlState"),
    );
  }
}
