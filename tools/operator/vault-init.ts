/**
 * npm run -s vault:init -- --stack <name> [--address <url>] [--ca-file <path>] > init.json
 *
 * Initialises the Vault the platform deployed (docs/runbooks/vault-init.md, step 3), as the
 * catalog says: one recovery share per `vault.operators` entry, each encrypted to that operator's
 * PGP key (their `pgpKeyFile`), a majority threshold, and the root token encrypted to the first
 * operator. Nothing printed is readable without an operator's private key.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../../stacks/loader";
import { InputError, OperationError, type Output, STACK_OPTIONS, processOutput, runOnCatalog } from "./cli";
import { catalogEndpoint, vaultErrors, vaultRequest } from "./vault-client";

export const USAGE = `usage: npm run -s vault:init -- (--stack <name> | --stack-file <path>) [--address <url>] [--ca-file <path>] > init.json

Initialises the stack's Vault with recovery keys (auto-unseal): one share per operator of
vault.operators, each PGP-encrypted to that operator's key file, threshold a majority, root
token PGP-encrypted to the first operator. Prints the result as JSON on stdout, in the shape of
\`vault operator init -format=json\` plus "operators" (names, in share order).

  --stack <name>        a stack of this project (Pulumi.<name>.yaml)
  --stack-file <path>   any stack file
  --ca-file <path>      the CA to verify Vault with (default: the catalog's vault.caCertFile)
  --address <url>       where to reach Vault (default: the catalog's vault.address), e.g. a
                        port-forward https://127.0.0.1:8200; the certificate is still checked
                        against the catalog's CA (vault.caCertFile) and host name
  -h, --help            this text

Exit codes: 0 initialised, 1 Vault refused (already initialised, unreachable), 2 invalid input,
3 the command failed (a bug: please report it).`;

const OPTIONS = { ...STACK_OPTIONS, address: { type: "string" }, "ca-file": { type: "string" } } as const;

/**
 * An OpenPGP public key as Vault's API takes it: base64 of the binary key. Operators' files are
 * ASCII-armored (`gpg --armor --export`); binary or already-base64 files are accepted too.
 */
export function pgpKeyForVault(text: Buffer, file: string): string {
  const armored = text.toString("utf8");
  if (armored.includes("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
    const body = armored
      .split("-----BEGIN PGP PUBLIC KEY BLOCK-----")[1]
      .split("-----END PGP PUBLIC KEY BLOCK-----")[0]
      .split(/\r?\n/);
    // Armor headers end at the first blank line; the line starting with "=" is the checksum.
    const blank = body.findIndex((line, i) => i > 0 && line.trim() === "");
    const data = body
      .slice(blank + 1)
      .filter((line) => line.trim() !== "" && !line.startsWith("="))
      .join("");
    if (!data) throw new InputError(`${file}: an armored PGP block without key data`);
    return data;
  }
  if (/^[A-Za-z0-9+/=\s]+$/.test(armored)) return armored.replace(/\s/g, "");
  return text.toString("base64");
}

interface InitResponse {
  recovery_keys_base64?: string[];
  root_token?: string;
}

export async function vaultInit(argv: readonly string[], output: Output = processOutput): Promise<number> {
  return runOnCatalog(
    USAGE,
    argv,
    OPTIONS,
    async ({ values, stack, catalog }, o) => {
      const operators = catalog.vault?.operators;
      if (!catalog.vault?.deploy || !operators)
        throw new InputError(
          `stack ${stack} does not deploy Vault with vault.operators: nothing to initialise`,
        );
      const keys = operators.map((operator, i) => {
        const file = path.resolve(PROJECT_DIR, operator.pgpKeyFile);
        if (!fs.existsSync(file))
          throw new InputError(`vault.operators[${i}].pgpKeyFile: ${operator.pgpKeyFile} does not exist`);
        return pgpKeyForVault(fs.readFileSync(file), operator.pgpKeyFile);
      });
      const endpoint = catalogEndpoint(catalog, stack, values.address, values["ca-file"]);

      const status = await vaultRequest(endpoint, "GET", "sys/init");
      if (status.status !== 200)
        throw new OperationError(`Vault's sys/init answered: ${vaultErrors(status)}`);
      if ((JSON.parse(status.body.toString("utf8")) as { initialized: boolean }).initialized)
        throw new OperationError(`Vault at ${endpoint.address.origin} is already initialised`);

      const threshold = Math.floor(operators.length / 2) + 1;
      o.err(
        `initialising ${endpoint.address.origin}: ${operators.length} recovery shares (${operators.map((op) => op.name).join(", ")}), threshold ${threshold}, root token for ${operators[0].name}\n`,
      );
      const response = await vaultRequest(endpoint, "PUT", "sys/init", {
        body: JSON.stringify({
          recovery_shares: operators.length,
          recovery_threshold: threshold,
          recovery_pgp_keys: keys,
          root_token_pgp_key: keys[0],
        }),
      });
      if (response.status !== 200)
        throw new OperationError(`Vault refused to initialise: ${vaultErrors(response)}`);
      const init = JSON.parse(response.body.toString("utf8")) as InitResponse;
      if (init.recovery_keys_base64?.length !== operators.length || !init.root_token)
        throw new OperationError(
          "Vault's answer has no recovery shares or root token: is its seal an auto-unseal (recovery keys)?",
        );
      o.out(
        `${JSON.stringify(
          {
            operators: operators.map((op) => op.name),
            recovery_keys_b64: init.recovery_keys_base64,
            recovery_keys_shares: operators.length,
            recovery_keys_threshold: threshold,
            root_token: init.root_token,
          },
          null,
          2,
        )}\n`,
      );
    },
    output,
  );
}

if (require.main === module) void vaultInit(process.argv.slice(2)).then((code) => (process.exitCode = code));
