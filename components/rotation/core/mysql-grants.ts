/**
 * Copies one account's grants to another by rewriting `SHOW GRANTS` lines. The lines are run
 * verbatim, without client-side formatting: the AWS sample escaped `%` for Python's formatter
 * and the escapes piled up on every rotation (aws-samples #85). Authentication clauses
 * (`IDENTIFIED BY PASSWORD '<hash>'`) are dropped, never copied: the clone has its own password.
 */

/** `user`@`host` as SHOW GRANTS prints it. */
export function accountName(user: string, host: string): string {
  const quote = (s: string) => `\`${s.replace(/`/g, "``")}\``;
  return `${quote(user)}@${quote(host)}`;
}

const KEPT_OPTIONS = ["WITH GRANT OPTION", "WITH ADMIN OPTION"];

/**
 * The statement granting `to` what `line` grants `from`, or undefined for the USAGE line (it
 * carries only authentication and limits). Throws on a line it does not understand, rather
 * than guess at privileges.
 */
export function regrant(line: string, from: string, to: string): string | undefined {
  if (line.startsWith("GRANT ")) {
    const marker = ` TO ${from}`;
    const at = line.lastIndexOf(marker);
    if (at < 0) throw new Error(`cannot copy a grant line that does not name ${from} as grantee`);
    const head = line.slice(0, at);
    if (/^GRANT USAGE ON \*\.\*$/.test(head)) return undefined;
    const tail = line.slice(at + marker.length);
    const options = KEPT_OPTIONS.filter((o) => tail.includes(o)).map((o) => ` ${o}`);
    return `${head} TO ${to}${options.join("")}`;
  }
  const defaultRole = /^(SET DEFAULT ROLE .+) FOR (.+)$/.exec(line);
  if (defaultRole && defaultRole[2] === from) return `${defaultRole[1]} FOR ${to}`;
  throw new Error(`cannot copy grants: unexpected SHOW GRANTS line starting "${line.slice(0, 20)}"`);
}
