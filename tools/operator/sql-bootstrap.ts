/**
 * npm run -s sql:bootstrap -- --stack <name> [--database <catalog name>] > bootstrap.sql
 *
 * Prints the statements a database's master user runs once before Vault's database engine
 * can use it (docs/runbooks/vault-init.md, step 2): the NOLOGIN group roles (PostgreSQL) or
 * schema privileges (MySQL) Vault's admin login hands out, and the static users' memberships,
 * rendered from the stack's catalog by the same code the configuration layer uses.
 */
import { rolesOf } from "../../components/vault/plan";
import { dialectOf } from "../../components/vault/sql";
import { InputError, type Output, STACK_OPTIONS, loadCatalog, parse, processOutput, run } from "./cli";

export const USAGE = `usage: npm run -s sql:bootstrap -- (--stack <name> | --stack-file <path>) [--database <name>]

Prints the SQL a database's master user runs once, before Vault's database engine connects
(docs/runbooks/vault-init.md, step 2). SQL goes to stdout, messages to stderr.

  --stack <name>        a stack of this project (Pulumi.<name>.yaml)
  --stack-file <path>   any stack file
  --database <name>     one database, by its catalog name (databases[].name); default: all
  -h, --help            this text

Exit codes: 0 printed, 2 invalid input (arguments, unknown stack or database, invalid
catalog), 3 the command failed (a bug: please report it with the printed stack trace).`;

export function sqlBootstrap(argv: readonly string[], output: Output = processOutput): number {
  return run(
    USAGE,
    (o) => {
      const values = parse(argv, { ...STACK_OPTIONS, database: { type: "string" } });
      if (values.help) {
        o.out(`${USAGE}\n`);
        return;
      }
      const { stack, catalog } = loadCatalog({ stack: values.stack, stackFile: values["stack-file"] });
      const known = catalog.databases.map((d) => `${d.name} (${d.engine}, database ${d.database})`);
      if (catalog.databases.length === 0)
        throw new InputError(`stack ${stack}'s catalog declares no databases`);
      const selected = values.database
        ? catalog.databases.filter((d) => d.name === values.database)
        : catalog.databases;
      if (selected.length === 0) {
        throw new InputError(
          `no database ${JSON.stringify(values.database)} in stack ${stack}'s catalog; its databases are ${known.join(", ")}`,
        );
      }
      const lines = [`-- Generated from the catalog of stack ${stack} by npm run sql:bootstrap.`];
      for (const d of selected) {
        const statics = rolesOf(catalog, d)
          .filter((r) => r.credential === "static")
          .map((r) => ({ username: r.username!, access: r.access }));
        lines.push(
          "",
          `-- ${d.name} (${d.engine} at ${d.host}:${d.port}): run as the master user, connected to database ${d.database}`,
          ...dialectOf(d)
            .bootstrap(d, statics)
            .statements.map((s) => `${s};`),
        );
      }
      o.out(`${lines.join("\n")}\n`);
    },
    output,
  );
}

if (require.main === module) process.exitCode = sqlBootstrap(process.argv.slice(2));
