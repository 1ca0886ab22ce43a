/**
 * npm run -s vault:transit-unseal-policy -- --stack <name> > unseal.hcl
 *
 * Prints the Vault policy the unsealing Vault gives the transit seal's token of a stack with
 * `vault.unseal: transit` (docs/runbooks/vault-transit-unseal.md): encrypt and decrypt with the
 * stack's one transit key, renew and look up itself, nothing else.
 */
import { renderPolicy } from "../../components/vault/policies";
import { transitUnsealPolicy, transitUnsealPolicyName } from "../../components/vault/unseal/transit";
import { InputError, type Output, printFromCatalog, processOutput } from "./cli";

export const USAGE = `usage: npm run -s vault:transit-unseal-policy -- (--stack <name> | --stack-file <path>)

Prints the HCL of the policy the unsealing Vault gives the transit seal's token of a stack
whose Vault unseals through another Vault (vault.unseal: transit). Write it there under the
name printed on stderr (docs/runbooks/vault-transit-unseal.md). HCL goes to stdout, messages to
stderr.

  --stack <name>        a stack of this project (Pulumi.<name>.yaml)
  --stack-file <path>   any stack file
  -h, --help            this text

Exit codes: 0 printed, 2 invalid input (arguments, unknown stack, invalid catalog, a catalog
whose Vault does not unseal through transit), 3 the command failed (a bug: please report it).`;

export function vaultTransitUnsealPolicy(argv: readonly string[], output: Output = processOutput): number {
  return printFromCatalog(
    USAGE,
    argv,
    (catalog, stack) => {
      const transit = catalog.vault?.transitUnseal;
      if (!transit)
        throw new InputError(
          `stack ${stack}'s Vault does not unseal through transit (vault.unseal is ${JSON.stringify(catalog.vault?.unseal ?? null)})`,
        );
      output.err(`policy name on the unsealing Vault: ${transitUnsealPolicyName(catalog)}\n`);
      return renderPolicy(transitUnsealPolicy(transit));
    },
    output,
  );
}

if (require.main === module) process.exitCode = vaultTransitUnsealPolicy(process.argv.slice(2));
