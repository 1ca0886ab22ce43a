/**
 * npm run -s vault:deployer-policy -- --stack <name> > platform-deployer.hcl
 *
 * Prints the Vault policy of the token `pulumi up` configures Vault with
 * (docs/runbooks/vault-init.md, step 4), rendered from the stack's catalog by the same code the
 * configuration layer manages the policy with afterwards.
 */
import { DEPLOYER_POLICY, deployerPolicy, renderPolicy } from "../../components/vault/policies";
import { InputError, type Output, printFromCatalog, processOutput } from "./cli";

export const USAGE = `usage: npm run -s vault:deployer-policy -- (--stack <name> | --stack-file <path>)

Prints the HCL of the Vault policy "${DEPLOYER_POLICY}", which the token Pulumi configures
Vault with holds (docs/runbooks/vault-init.md, step 4). HCL goes to stdout, messages to stderr.

  --stack <name>        a stack of this project (Pulumi.<name>.yaml)
  --stack-file <path>   any stack file
  -h, --help            this text

Exit codes: 0 printed, 2 invalid input (arguments, unknown stack, invalid catalog, a catalog
without Vault), 3 the command failed (a bug: please report it with the printed stack trace).`;

export function vaultDeployerPolicy(argv: readonly string[], output: Output = processOutput): number {
  return printFromCatalog(
    USAGE,
    argv,
    (catalog, stack) => {
      if (!catalog.vault)
        throw new InputError(`stack ${stack}'s catalog has no vault section: it configures no Vault`);
      return renderPolicy(deployerPolicy(catalog));
    },
    output,
  );
}

if (require.main === module) process.exitCode = vaultDeployerPolicy(process.argv.slice(2));
