/**
 * npm run preview:offline -- --stack <name> | --stack-file <path> [--json] [--report <file.md>]
 *
 * Runs the real program under Pulumi's mock runtime with the stack's config (secure values
 * become placeholder secrets) and prints a report, or with --json a document shaped like
 * `pulumi preview --json` plus `policyViolations[]`; --export also writes the state `pulumi up`
 * would leave, shaped like `pulumi stack export` (for `pulumi policy analyze --file`);
 * --policy-config takes the same JSON as
 * `pulumi preview --policy-pack-config` (default: the stack's `Pulumi.<stack>.policy-config.json`
 * beside its stack file, when present); --report also writes a Markdown report
 * for a pull-request comment. stdout carries only the report or JSON;
 * progress goes to stderr. Exit codes: 0 no mandatory violation, 1 a mandatory violation,
 * 2 invalid input (arguments, stack file, catalog), 3 the program itself failed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { AccessMapEntry } from "../components/access-map";
import { InvalidInputError, readPolicyConfigFile } from "./offline/inputs";
import { PROJECT_DIR } from "./offline/shipped-stacks";

/**
 * The preview and its reports load the provider SDKs and the policy pack (seconds): only once
 * the arguments are known good, so a usage error answers at once.
 */
function previewModules() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require("./offline/preview") as typeof import("./offline/preview")),
    ...(require("./offline/markdown-report") as typeof import("./offline/markdown-report")),
    ...(require("./offline/report") as typeof import("./offline/report")),
    ...(require("./offline/stack-export") as typeof import("./offline/stack-export")),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

const USAGE =
  "usage: npm run preview:offline -- (--stack <dev|staging|prod|name> | --stack-file <path>) [--json] [--report <file.md>] [--export <state.json>] [--policy-config <file.json>] [--stack-traces]";

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string" },
      "stack-file": { type: "string" },
      json: { type: "boolean", default: false },
      report: { type: "string" },
      export: { type: "string" },
      "policy-config": { type: "string" },
      "stack-traces": { type: "boolean", default: false },
    },
    strict: true,
  });
  if (!values.stack === !values["stack-file"])
    throw new InvalidInputError(`give exactly one of --stack or --stack-file\n${USAGE}`);
  const stackFile = values["stack-file"] ?? path.join(PROJECT_DIR, `Pulumi.${values.stack}.yaml`);
  return {
    stackFile,
    stackName: values.stack,
    json: values.json ?? false,
    report: values.report,
    exportFile: values.export,
    policyConfig: values["policy-config"] ? readPolicyConfigFile(values["policy-config"]) : undefined,
    stackTraces: values["stack-traces"] ?? false,
  };
}

/** Reports progress on stderr once a run takes longer than two seconds. */
function progressReporter(started: number) {
  let lastReport = started;
  return (count: number) => {
    const now = performance.now();
    if (now - started > 2000 && now - lastReport > 1000) {
      lastReport = now;
      process.stderr.write(
        `preview: ${count} resources registered (${((now - started) / 1000).toFixed(1)}s)\n`,
      );
    }
  };
}

async function main(): Promise<number> {
  const started = performance.now();
  let cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `error: ${(err as Error).message}\n${err instanceof InvalidInputError ? "" : `${USAGE}\n`}`,
    );
    return 2;
  }
  const { runPreview, renderTextReport, toStackExport, renderMarkdownReport, hasMandatoryViolation } =
    previewModules();
  try {
    const result = await runPreview({
      stackFile: cli.stackFile,
      stackName: cli.stackName,
      policyConfig: cli.policyConfig,
      stackTraces: cli.stackTraces,
      onRegister: progressReporter(started),
    });
    const { document } = result;
    if (result.policyConfigFile)
      process.stderr.write(`policy config: ${path.relative(process.cwd(), result.policyConfigFile)}\n`);
    if (cli.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    else
      process.stdout.write(
        `${renderTextReport(document.stack, result.resources, document.policyViolations, performance.now() - started)}\n`,
      );
    if (cli.exportFile)
      fs.writeFileSync(cli.exportFile, `${JSON.stringify(toStackExport(result.resources), null, 2)}\n`);
    if (cli.report) {
      const accessMap = (document.outputs.accessMap ?? []) as AccessMapEntry[];
      fs.writeFileSync(
        cli.report,
        renderMarkdownReport(
          document.stack,
          result.resources,
          document.policyViolations,
          accessMap,
          performance.now() - started,
        ),
      );
    }
    return hasMandatoryViolation(document.policyViolations) ? 1 : 0;
  } catch (err) {
    if (err instanceof InvalidInputError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    const hint = cli.stackTraces ? "" : "\n(re-run with --stack-traces for where it failed)";
    process.stderr.write(`error: the program failed: ${(err as Error).stack ?? String(err)}${hint}\n`);
    return 3;
  }
}

// Exit only once stdout has drained: on a pipe, a large JSON document is written asynchronously
// and process.exit would cut it short.
main().then((code) => process.stdout.write("", () => process.exit(code)));
