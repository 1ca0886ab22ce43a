/**
 * npm run docs:catalog [-- --check]
 *
 * Generates the catalog reference from the zod schema (`stacks/schema.ts`), so the reference
 * cannot say something the program does not accept:
 *
 * - `docs/catalog.md`: every field of the catalog with its path, type, whether it is required,
 *   its default and its description (the schema's `.describe()` texts);
 * - `docs/catalog.schema.json`: a JSON Schema (draft-07) of a whole `Pulumi.<stack>.yaml`, its
 *   `config:` map holding the catalog (or `catalogFile`, the path of a file holding it) and the
 *   secure config keys, for editors that validate YAML against a schema
 *   (`# yaml-language-server: $schema=./docs/catalog.schema.json`);
 * - `docs/catalog-file.schema.json`: a JSON Schema (draft-07) of the catalog alone, for a catalog
 *   kept in its own file (`catalogFile`).
 *
 * All three are formatted with the project's prettier config, so `prettier --check` accepts them.
 * `--check` writes nothing and exits 1 when a committed file differs from what the schema
 * generates (test/unit/docs/catalog-reference.test.ts does the same in the test suite).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as prettier from "prettier";
import { z } from "zod";
import {
  CATALOG_CONFIG_KEY,
  CATALOG_FILE_CONFIG_KEY,
  CATALOG_FILE_EXTENSION,
} from "../../stacks/catalog-source";
import { PROJECT_FILE_PATTERN, catalogSchema } from "../../stacks/schema";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const CATALOG_MD = path.join(PROJECT_DIR, "docs", "catalog.md");
export const CATALOG_SCHEMA_JSON = path.join(PROJECT_DIR, "docs", "catalog.schema.json");
export const CATALOG_FILE_SCHEMA_JSON = path.join(PROJECT_DIR, "docs", "catalog-file.schema.json");
/** The Pulumi project name: the namespace of the program's config keys. */
export const PROJECT = "secrets-platform";

/** A JSON Schema node as zod 4 emits it (the subset this tool reads). */
interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  [key: string]: unknown;
}

/** The catalog as a JSON Schema of its input (defaults make a field optional). */
export function catalogJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(catalogSchema, { io: "input", target: "draft-7" }) as JsonSchema;
  delete schema.$schema;
  return withoutCustomFormats(schema);
}

/** JSON Schema's own formats; zod also emits names of its own (`starts_with`, beside a `pattern`). */
const STANDARD_FORMATS = new Set([
  "uri",
  "uuid",
  "email",
  "date-time",
  "date",
  "time",
  "ipv4",
  "ipv6",
  "hostname",
]);

function withoutCustomFormats<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutCustomFormats) as T;
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "format" && typeof value === "string" && !STANDARD_FORMATS.has(value)) continue;
    out[key] = withoutCustomFormats(value);
  }
  return out as T;
}

/** A secure config value as Pulumi writes it: only ciphertext in the file. */
const SECURE_VALUE: JsonSchema = {
  type: "object",
  description:
    "A secret config value: set it with `pulumi config set --secret <key>` (the value on stdin or at the prompt), which writes only its ciphertext here. The program refuses a secret key set in plain text.",
  properties: { secure: { type: "string", minLength: 1 } },
  required: ["secure"],
  additionalProperties: false,
};

/** The value of `catalogFile`: a project file (the schema's rule) that is YAML or JSON by its name. */
const CATALOG_FILE_VALUE: JsonSchema = {
  type: "string",
  description:
    "The catalog in its own file: a path relative to the project directory (where Pulumi.yaml is) to a YAML or JSON file holding the catalog, without '..' (docs/catalog.md, A catalog in its own file; its schema: docs/catalog-file.schema.json).",
  allOf: [{ pattern: PROJECT_FILE_PATTERN.source }, { pattern: CATALOG_FILE_EXTENSION.source }],
};

/** A JSON Schema of a whole `Pulumi.<stack>.yaml` of this project. */
export function stackFileJsonSchema(): JsonSchema {
  const catalogKey = `${PROJECT}:${CATALOG_CONFIG_KEY}`;
  const catalogFileKey = `${PROJECT}:${CATALOG_FILE_CONFIG_KEY}`;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `${PROJECT} stack file (Pulumi.<stack>.yaml)`,
    description: `Generated from stacks/schema.ts by \`npm run docs:catalog\`; the reference is docs/catalog.md. Checks the structure, types and patterns of the catalog (or the path of the file holding it) and that every other ${PROJECT} config key is a secure value. Cross-field rules (references between clusters, databases and workloads, unique names, what deploying Vault requires, plain http only on the loopback address) are checked by the program when it starts.`,
    type: "object",
    properties: {
      secretsprovider: {
        type: "string",
        description:
          "The stack's secrets provider, e.g. `awskms://alias/<alias>?region=<region>` (README, Encrypting stack config).",
      },
      encryptedkey: {
        type: "string",
        description: "The stack's data key, encrypted by the secrets provider.",
      },
      encryptionsalt: { type: "string", description: "The passphrase secrets provider's salt." },
      config: {
        type: "object",
        description: `The stack's configuration: the catalog in \`${catalogKey}\` or, in a file of its own, \`${catalogFileKey}\` (exactly one of them).`,
        properties: { [catalogKey]: catalogJsonSchema(), [catalogFileKey]: CATALOG_FILE_VALUE },
        patternProperties: {
          [`^${PROJECT}:(?!(${CATALOG_CONFIG_KEY}|${CATALOG_FILE_CONFIG_KEY})$)[A-Za-z][A-Za-z0-9]*$`]:
            SECURE_VALUE,
          [`^(?!${PROJECT}:)[A-Za-z0-9_.-]+:.+$`]: {
            description: "Another package's configuration (a provider's settings), not read by the program.",
          },
        },
        // Exactly one of the two. Each alternative defines its key beside its `required`: strict
        // validators (Ajv's strictRequired, as the docs test runs it) want it defined there.
        oneOf: [catalogKey, catalogFileKey].map((key) => ({
          type: "object",
          properties: { [key]: {} },
          required: [key],
        })),
        additionalProperties: false,
      },
    },
    required: ["config"],
    additionalProperties: false,
  };
}

/** A JSON Schema of a catalog kept in its own file (`catalogFile`): the catalog alone. */
export function catalogFileJsonSchema(): JsonSchema {
  // The catalog's own description is the stack file's view of it; this file's is below.
  const catalog = catalogJsonSchema();
  delete catalog.description;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `${PROJECT} catalog file (${CATALOG_FILE_CONFIG_KEY})`,
    description: `Generated from stacks/schema.ts by \`npm run docs:catalog\`; the reference is docs/catalog.md. The catalog of a stack whose config key \`${PROJECT}:${CATALOG_FILE_CONFIG_KEY}\` names this file: the same object \`${PROJECT}:${CATALOG_CONFIG_KEY}\` holds. Checks structure, types and patterns; cross-field rules are checked by the program when it starts.`,
    ...catalog,
  };
}

/** One documented field. */
interface Field {
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
  description: string;
  /** For fields of one `source` of a union: those sources. */
  only?: string[];
}

const code = (value: unknown) => `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;

function typeOf(node: JsonSchema): string {
  if (node.const !== undefined) return code(node.const);
  if (node.enum) return `one of ${node.enum.map(code).join(", ")}`;
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) return "object (by `source`, below)";
  switch (node.type) {
    case "array":
      return `list of ${typeOf(node.items ?? {})}${node.minItems ? ` (at least ${node.minItems})` : ""}`;
    case "object":
      return node.properties ? "object" : `map of ${typeOf((node.additionalProperties as JsonSchema) ?? {})}`;
    case "integer":
    case "number": {
      const range =
        node.minimum !== undefined && node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER
          ? ` ${node.minimum}–${node.maximum}`
          : node.minimum !== undefined
            ? ` ≥ ${node.minimum}`
            : "";
      return `${node.type}${range}`;
    }
    case "string":
      if (node.format === "uri") return "URL";
      if (node.format === "uuid") return "GUID";
      if (node.pattern) return `string matching ${code(node.pattern)}`;
      return "string";
    default:
      return String(node.type ?? "any");
  }
}

/** The fields below `node`, depth first, in the schema's order. */
function fieldsOf(node: JsonSchema, at: string, out: Field[]): Field[] {
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) {
    // A discriminated union: merge the alternatives' fields, noting which alternatives have each.
    const merged = new Map<string, Field>();
    const sources: string[] = [];
    for (const alternative of alternatives) {
      const source = String(alternative.properties?.source?.const ?? "?");
      sources.push(source);
      for (const field of fieldsOf(alternative, at, [])) {
        const seen = merged.get(field.path);
        const discriminator = field.path.endsWith(".source");
        if (discriminator) field.description = `${code(source)}: ${field.description}`;
        if (!seen) merged.set(field.path, { ...field, only: [source] });
        else {
          seen.only!.push(source);
          if (discriminator) {
            seen.type = `${seen.type}, ${field.type}`;
            seen.description = `${seen.description} ${field.description}`;
          }
          if (!field.required) seen.required = false;
        }
      }
    }
    for (const field of merged.values()) {
      if (field.only!.length === sources.length) delete field.only;
      if (field.path.endsWith(".source")) field.type = `one of ${field.type}`;
      out.push(field);
    }
    return out;
  }
  if (node.type === "array" && node.items) return fieldsOf(node.items, `${at}[]`, out);
  if (node.type !== "object" || !node.properties) return out;
  for (const [key, child] of Object.entries(node.properties)) {
    const fieldPath = at ? `${at}.${key}` : key;
    out.push({
      path: fieldPath,
      type: typeOf(child),
      required: (node.required ?? []).includes(key),
      default: child.default,
      description: child.description ?? "",
    });
    fieldsOf(child, fieldPath, out);
  }
  return out;
}

/** One list item of the reference. */
function renderField(field: Field): string {
  const status = field.required
    ? "required"
    : field.default !== undefined
      ? `default ${code(field.default)}`
      : "optional";
  const only = field.only ? ` Only with \`source\` ${field.only.map(code).join(", ")}.` : "";
  const description = field.description.replace(/^\((`[^)]*`)\) /, "");
  return `- ${code(field.path)} — ${field.type}; ${status}.${only} ${description}`.trimEnd();
}

export function renderCatalogMarkdown(): string {
  const schema = catalogJsonSchema();
  const fields = fieldsOf(schema, "", []);
  const sections: string[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const own = fields.filter(
      (f) => f.path === key || f.path.startsWith(`${key}.`) || f.path.startsWith(`${key}[]`),
    );
    const [top, ...rest] = own;
    sections.push(
      [`## \`${key}\``, "", renderField(top), ...(rest.length ? ["", ...rest.map(renderField)] : [])].join(
        "\n",
      ),
    );
    void child;
  }
  return `<!-- Generated from stacks/schema.ts by \`npm run docs:catalog\`: do not edit; change the schema's .describe() texts. -->

# Catalog reference

The catalog is the config key \`${PROJECT}:${CATALOG_CONFIG_KEY}\` of each stack (\`Pulumi.<stack>.yaml\`),
or a file of the project that \`${PROJECT}:${CATALOG_FILE_CONFIG_KEY}\` names (below).
The program validates it with zod before any resource is registered; an invalid catalog fails
with the key path and what is allowed, e.g.
\`workloads[3].secrets[0].source: must be one of "vault-kv", "vault-database", "aws", "gcp", "azure"\`.
Every object is strict: a misspelt key is an error, not an ignored setting.

Paths below use \`[]\` for "each element of the list". A field is _required_ when its object is
present; _default_ gives the value the program uses when the field is left out.

Cross-field rules, checked by the program (\`stacks/validate.ts\`), not by the JSON Schema:
names are unique (clusters, databases, workloads, secrets within a workload); no two workloads
share a cluster/namespace/service account; every referenced cluster, database and backend exists
and is enabled; static database credentials name their user and dynamic ones do not; GCP secrets
are read from GKE clusters (Workload Identity); with ESO, every workload cluster has an ESO
install; \`vault.cluster\`, \`unseal\`, \`tls\`, \`operators\` and \`caCertFile\` are required when the
platform deploys Vault; plain \`http://\` URLs only on the loopback address; the environment
profiles are ordered (prod at least as strict as staging, staging as dev).

## Checking a stack file in your editor

[\`catalog.schema.json\`](catalog.schema.json) is a JSON Schema (draft-07) of a whole
\`Pulumi.<stack>.yaml\`: the catalog under \`config:\` (or \`${CATALOG_FILE_CONFIG_KEY}\`, exactly one of the
two), and every other \`${PROJECT}:\` key as a \`secure:\` value (a secret set with \`pulumi config set --secret\`). Editors with a YAML language
server (VS Code's YAML extension, Neovim's yamlls, JetBrains IDEs) validate and complete a stack
file that starts with this line, as the shipped ones do:

\`\`\`yaml
# yaml-language-server: $schema=./docs/catalog.schema.json
\`\`\`

Or map the files to the schema once, e.g. in VS Code's settings:

\`\`\`json
{ "yaml.schemas": { "./docs/catalog.schema.json": "Pulumi.*.yaml" } }
\`\`\`

The schema checks structure, types, allowed values and patterns; the cross-field rules above are
the program's (\`npm run preview:offline -- --stack <stack>\` reports them with exit code 2).

## A catalog in its own file

A stack may keep its catalog in a file of the project instead of its stack file: the config
key \`${PROJECT}:${CATALOG_FILE_CONFIG_KEY}\` holds the file's path, relative to the project
directory (where \`Pulumi.yaml\` is), and the file holds the same object \`${CATALOG_CONFIG_KEY}\` would,
as YAML (\`.yaml\`, \`.yml\`) or JSON (\`.json\`). A stack sets exactly one of \`${CATALOG_CONFIG_KEY}\` and
\`${CATALOG_FILE_CONFIG_KEY}\`: both, or neither, stops the program with an error naming the two
keys and the stack.

Use it when the catalog is large. The Node language host hands the program its whole config in
one environment variable, \`PULUMI_CONFIG\`, and Linux refuses to start a process with one
variable over 131,072 bytes: with the catalog of 1,000 workloads that \`npm run bench\` generates,
\`PULUMI_CONFIG\` is 196,677 bytes and the program never starts (\`argument list too long\`).
With \`${CATALOG_FILE_CONFIG_KEY}\` the config holds only the path.

To move a stack's catalog into a file, write the value of its \`${PROJECT}:${CATALOG_CONFIG_KEY}\`
to \`catalogs/<stack>.yaml\`, remove the key (\`pulumi config rm ${CATALOG_CONFIG_KEY}\`) and run
\`pulumi config set ${CATALOG_FILE_CONFIG_KEY} catalogs/<stack>.yaml\`. The path follows the rule
of the catalog's other project files (\`caCertFile\`): relative, inside the project, no \`..\`
(nor a symbolic link leading out of it).

The file is committed and reviewed like code, as the stack file was: it decides who may read
which secret. It holds no secret value: secrets stay in config, set with
\`pulumi config set --secret\` under the keys the catalog names. Its problems name it: a syntax
error with its line and column (\`catalogs/prod.yaml:12:3: not valid YAML: …\`), a validation
error with the key path
(\`invalid ${PROJECT}:${CATALOG_FILE_CONFIG_KEY} catalogs/prod.yaml of stack prod: workloads[3].name: …\`),
and \`pulumi up\` then registers nothing.

The offline preview and its policy gate (\`npm run preview:offline -- --stack <stack>\`, also
with \`--stack-file\`) and the operator commands (\`npm run sql:bootstrap\`,
\`vault:deployer-policy\`, \`vault:init\`, …) read the file too, relative to the project
directory.

[\`catalog-file.schema.json\`](catalog-file.schema.json) is the JSON Schema of such a file (the
catalog alone); a YAML catalog file in \`catalogs/\` names it in its first line:

\`\`\`yaml
# yaml-language-server: $schema=../docs/catalog-file.schema.json
\`\`\`

${sections.join("\n\n")}
`;
}

/** The files as they are committed: formatted with the project's prettier config. */
export async function generated(): Promise<Map<string, string>> {
  const format = async (file: string, text: string) =>
    prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  return new Map([
    [CATALOG_MD, await format(CATALOG_MD, renderCatalogMarkdown())],
    [CATALOG_SCHEMA_JSON, await format(CATALOG_SCHEMA_JSON, JSON.stringify(stackFileJsonSchema(), null, 2))],
    [
      CATALOG_FILE_SCHEMA_JSON,
      await format(CATALOG_FILE_SCHEMA_JSON, JSON.stringify(catalogFileJsonSchema(), null, 2)),
    ],
  ]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
  let stale = 0;
  for (const [file, text] of await generated()) {
    const rel = path.relative(PROJECT_DIR, file);
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (current === text) continue;
    if (values.check) {
      console.error(`${rel} is stale: run npm run docs:catalog`);
      stale++;
    } else {
      fs.writeFileSync(file, text);
      console.error(`wrote ${rel}`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
