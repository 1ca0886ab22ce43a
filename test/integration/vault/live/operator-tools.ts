/**
 * What an operator brings to a Vault initialisation, made on the spot: a CA and a server
 * certificate (openssl, as cert-manager would issue it), PGP keys per operator (gpg), and the
 * Vault CLI itself, used exactly as the runbook does.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { VAULT_BINARY } from "./server";

export interface ServerCertificate {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** A CA and a server certificate for these DNS names and IPs, written to `dir` (0600 keys). */
export function issueServerCertificate(
  dir: string,
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
): ServerCertificate {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  openssl(
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=secrets-platform test CA",
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.crt"),
  );
  const san = [...dnsNames.map((d) => `DNS:${d}`), ...ipAddresses.map((ip) => `IP:${ip}`)].join(",");
  fs.writeFileSync(file("san.cnf"), `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\n`);
  openssl(
    "req",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-subj",
    `/CN=${dnsNames[0]}`,
    "-keyout",
    file("tls.key"),
    "-out",
    file("tls.csr"),
  );
  openssl(
    "x509",
    "-req",
    "-in",
    file("tls.csr"),
    "-CA",
    file("ca.crt"),
    "-CAkey",
    file("ca.key"),
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    file("san.cnf"),
    "-out",
    file("tls.crt"),
  );
  for (const key of ["ca.key", "tls.key"]) fs.chmodSync(file(key), 0o600);
  return { caFile: file("ca.crt"), certFile: file("tls.crt"), keyFile: file("tls.key") };
}

/** A throw-away GnuPG home holding one key pair per operator. */
export class OperatorKeys {
  private readonly home: string;

  constructor(dir: string) {
    this.home = dir;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private gpg(args: string[], input?: string): string {
    return execFileSync("gpg", ["--homedir", this.home, "--batch", "--yes", "--quiet", ...args], {
      input,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  /** Creates `name`'s key pair and writes the ASCII-armored public key to `file`. */
  create(name: string, file: string): void {
    this.gpg([
      "--passphrase",
      "",
      "--quick-gen-key",
      `${name} <${name}@example.internal>`,
      "rsa3072",
      "encrypt",
      "1d",
    ]);
    fs.writeFileSync(file, this.gpg(["--armor", "--export", `${name}@example.internal`]));
  }

  /** Decrypts what Vault encrypted to an operator: base64 of a binary OpenPGP message. */
  decrypt(base64: string): string {
    return execFileSync("gpg", ["--homedir", this.home, "--batch", "--quiet", "--decrypt"], {
      input: Buffer.from(base64, "base64"),
      stdio: ["pipe", "pipe", "pipe"],
    }).toString("utf8");
  }
}

/**
 * The Vault CLI against `address`, trusting `caFile` and checking `serverName`, as in the
 * runbook; `input` goes to its stdin (a value given as `key=-`).
 */
export function vaultCli(address: string, caFile: string, serverName: string) {
  return (args: readonly string[], token?: string, input?: string): string =>
    execFileSync(VAULT_BINARY, [...args], {
      encoding: "utf8",
      input,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH,
        HOME: path.dirname(caFile),
        VAULT_ADDR: address,
        VAULT_CACERT: caFile,
        VAULT_TLS_SERVER_NAME: serverName,
        ...(token ? { VAULT_TOKEN: token } : {}),
      },
    });
}
