/**
 * Renders role statements the way Vault's database plugins do: each entry is split on `;`
 * (empty pieces dropped), then `{{name}}`/`{{username}}`, `{{password}}` and
 * `{{expiration}}` are substituted literally. Credentials are generated here the way Vault's
 * default password policy and our username templates shape them, and are never printed.
 */
import { randomBytes, randomInt } from "node:crypto";

export interface Rendering {
  readonly name: string;
  readonly password?: string;
  readonly expiration?: string;
}

export function renderStatements(statements: readonly string[], values: Rendering): string[] {
  const substitutions: Record<string, string | undefined> = {
    "{{name}}": values.name,
    "{{username}}": values.name,
    "{{password}}": values.password,
    "{{expiration}}": values.expiration,
  };
  return statements
    .flatMap((s) => s.split(";"))
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) =>
      s.replace(/\{\{(name|username|password|expiration)\}\}/g, (token) => {
        const value = substitutions[token];
        if (value === undefined) throw new Error(`statement uses ${token} but the test gave no value`);
        return value;
      }),
    );
}

/** Vault's PostgreSQL expiration layout: Go's "2006-01-02 15:04:05-0700", in UTC. */
export function pgExpiration(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace("T", " ")}+0000`;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomAlnum(length: number): string {
  return Array.from({ length }, () => ALNUM[randomInt(ALNUM.length)]).join("");
}

/** Vault's default password policy: 20 characters of letters, digits and '-'. */
export function vaultPassword(): string {
  return `${randomAlnum(10)}-${randomAlnum(9)}`;
}

/** What our username templates produce (see components/vault/sql/*.ts). */
export function postgresUsername(role: string): string {
  return `v-${role.slice(0, 24)}-${randomAlnum(20)}-${Math.floor(Date.now() / 1000)}`.slice(0, 63);
}

export function mysqlUsername(role: string): string {
  return `v-${role.slice(0, 14)}-${randomAlnum(15)}`.slice(0, 32);
}

/** A database name no other helper on the shared servers will use. */
export function uniqueDatabaseName(): string {
  return `vt_${randomBytes(5).toString("hex")}`;
}
