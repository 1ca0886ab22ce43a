/**
 * The pinned charts rendered by real Helm, and ESO's own CRD schemas: scripts/charts-env.sh
 * installs Helm and copies the chart sources from ../shared/charts after checking them against
 * scripts/charts.sha256. Under CI=true a missing chart is a failure, never a skip.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import * as YAML from "yaml";
import { missingEngine } from "../engines";

const STATE = path.join(__dirname, "..", "..", "..", ".integration");
/** Helm 3.22, built by scripts/charts-env.sh. */
export const HELM = path.join(STATE, "bin", "helm");
export const CHART_DIRS = {
  vault: path.join(STATE, "charts", "vault"),
  externalSecrets: path.join(STATE, "charts", "external-secrets"),
  esoCrds: path.join(STATE, "charts", "eso-crds"),
  reloader: path.join(STATE, "charts", "reloader"),
} as const;
/** `<dir> <folder>` lines: which ../shared/charts folder each of CHART_DIRS was copied from. */
const SOURCES = path.join(STATE, "charts", "SOURCES");

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: object };
  readonly [field: string]: unknown;
}

/** Skips (or, under CI, fails) the suite when Helm or the chart sources are absent. */
export function requireCharts(ctx: Mocha.Context): void {
  const missing = [HELM, ...Object.values(CHART_DIRS), SOURCES].filter((p) => !fs.existsSync(p));
  if (missing.length === 0) return;
  const message = `missing ${missing.join(", ")}; install them with scripts/charts-env.sh`;
  missingEngine(ctx, message);
}

/** The ../shared/charts folder scripts/charts-env.sh copied this chart directory from. */
export function chartSource(chartDir: string): string | undefined {
  const lines = fs.readFileSync(SOURCES, "utf8").split("\n");
  return lines.map((line) => line.split(" ")).find(([dir]) => dir === path.basename(chartDir))?.[1];
}

/** The `version` a chart's Chart.yaml declares. */
export function chartVersion(chartDir: string): string {
  return (YAML.parse(fs.readFileSync(path.join(chartDir, "Chart.yaml"), "utf8")) as { version: string })
    .version;
}

/**
 * `helm template` of a chart with these values: Helm checks them against the chart's
 * values.schema.json and fails on a template error, as `pulumi up` would.
 */
export function helmTemplate(
  chartDir: string,
  release: string,
  namespace: string,
  values: unknown,
): K8sObject[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helm-values-"));
  const valuesFile = path.join(dir, "values.json");
  try {
    fs.writeFileSync(valuesFile, JSON.stringify(values));
    const result = execFileSync(HELM, ["template", release, chartDir, "-n", namespace, "-f", valuesFile], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
    return YAML.parseAllDocuments(result)
      .map((doc) => doc.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o !== null);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`helm template ${path.basename(chartDir)} failed: ${stderr ?? String(error)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The rendered object of that kind and name; fails naming it when the chart did not render it. */
export function rendered(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) {
    const have = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ");
    throw new Error(`the chart rendered no ${kind}/${name} (it rendered ${have})`);
  }
  return found;
}

type Schema = { [keyword: string]: unknown };

/**
 * Strict field validation, as `kubectl apply --validate=strict` asks of the API server: an
 * object schema that lists its properties and does not preserve unknown fields rejects any
 * other field. Without this a misspelt field would validate and then be pruned silently.
 */
function strictFields(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (schema.properties && schema.additionalProperties === undefined) {
    if (schema["x-kubernetes-preserve-unknown-fields"] !== true) out.additionalProperties = false;
  }
  for (const key of ["properties", "patternProperties"] as const) {
    const children = schema[key] as Record<string, Schema> | undefined;
    if (children) {
      out[key] = Object.fromEntries(Object.entries(children).map(([k, v]) => [k, strictFields(v)]));
    }
  }
  for (const key of ["items", "additionalProperties", "not"] as const) {
    const child = schema[key];
    if (child && typeof child === "object") out[key] = strictFields(child as Schema);
  }
  for (const key of ["allOf", "anyOf", "oneOf"] as const) {
    const list = schema[key] as Schema[] | undefined;
    if (list) out[key] = list.map(strictFields);
  }
  return out;
}

interface CrdDocument {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }>;
  };
}

/**
 * Validators for every served version of the CRDs in `crdDir`, keyed `<group>/<version>/<Kind>`,
 * each checking an object's spec the way the API server does under strict field validation.
 */
export function crdValidators(crdDir: string): Map<string, ValidateFunction> {
  // Kubernetes' own keywords (x-kubernetes-*) are not JSON Schema; formats such as int64 are
  // advisory there too, so neither is enforced beyond what the API server itself checks.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, ValidateFunction>();
  for (const file of fs.readdirSync(crdDir).filter((f) => f.endsWith(".yaml"))) {
    const crd = YAML.parse(fs.readFileSync(path.join(crdDir, file), "utf8")) as CrdDocument;
    if (crd?.kind !== "CustomResourceDefinition") continue;
    for (const version of crd.spec.versions.filter((v) => v.served && v.schema)) {
      const schema = strictFields(version.schema!.openAPIV3Schema);
      // metadata is the API server's own ObjectMeta, not part of the CRD's schema.
      const withoutMetadata = { ...schema, properties: { ...(schema.properties as object), metadata: {} } };
      validators.set(
        `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`,
        ajv.compile(withoutMetadata),
      );
    }
  }
  return validators;
}
