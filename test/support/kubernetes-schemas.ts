/**
 * Validation of Kubernetes and ESO objects against the published schemas. The model packages
 * are ESM-only, so they are loaded with dynamic `import()`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

const ESO_MODELS: Record<string, () => Promise<ModelClass>> = {
  "external-secrets.io/v1/ExternalSecret": async () =>
    (await import("@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret"))
      .ExternalSecret,
  "external-secrets.io/v1/SecretStore": async () =>
    (await import("@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore")).SecretStore,
  "external-secrets.io/v1/ClusterSecretStore": async () =>
    (await import("@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore"))
      .ClusterSecretStore,
  "generators.external-secrets.io/v1alpha1/VaultDynamicSecret": async () =>
    (
      await import("@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/VaultDynamicSecret")
    ).VaultDynamicSecret,
};

/** The kubernetes-models module of a built-in kind: `<group>/<version>/<Kind>`, core without a group. */
const builtInModule = (apiVersion: string, kind: string) => `kubernetes-models/${apiVersion}/${kind}`;
// The package exports only `import` conditions, so require.resolve cannot tell whether a kind exists.
const MODELS_DIR = path.join(__dirname, "..", "..", "node_modules", "kubernetes-models");

function isBuiltIn(apiVersion: string, kind: string): boolean {
  return (
    /^[\w.]+(\/v\w+)?$/.test(apiVersion) && fs.existsSync(path.join(MODELS_DIR, apiVersion, `${kind}.js`))
  );
}

export function hasSchema(apiVersion: unknown, kind: unknown): boolean {
  const key = `${String(apiVersion)}/${String(kind)}`;
  return key in ESO_MODELS || isBuiltIn(String(apiVersion), String(kind));
}

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const eso = ESO_MODELS[`${apiVersion}/${kind}`];
  if (eso) return eso();
  if (!isBuiltIn(apiVersion, kind)) return undefined;
  const module = (await import(builtInModule(apiVersion, kind))) as Record<string, ModelClass>;
  return module[kind];
}

/** Throws the schema's error when `object` does not validate; throws too for a kind without a model. */
export async function validateAgainstSchema(object: { apiVersion?: unknown; kind?: unknown }): Promise<void> {
  const Model = await modelFor(String(object.apiVersion), String(object.kind));
  if (!Model)
    throw new Error(`no published schema registered for ${String(object.apiVersion)} ${String(object.kind)}`);
  new Model(object as never).validate();
}
