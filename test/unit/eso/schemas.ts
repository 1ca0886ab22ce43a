/**
 * Validation of Kubernetes and ESO objects against the published schemas. The model packages
 * are ESM-only, so they are loaded with dynamic `import()`.
 */
interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

const MODELS: Record<string, () => Promise<ModelClass>> = {
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
  "v1/Namespace": async () => (await import("kubernetes-models/v1/Namespace")).Namespace,
  "v1/ServiceAccount": async () => (await import("kubernetes-models/v1/ServiceAccount")).ServiceAccount,
  "networking.k8s.io/v1/NetworkPolicy": async () =>
    (await import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy")).NetworkPolicy,
};

export function hasSchema(apiVersion: unknown, kind: unknown): boolean {
  return `${String(apiVersion)}/${String(kind)}` in MODELS;
}

/** Throws the schema's error when `object` does not validate; throws too for a kind without a model. */
export async function validateAgainstSchema(object: { apiVersion?: unknown; kind?: unknown }): Promise<void> {
  const load = MODELS[`${String(object.apiVersion)}/${String(object.kind)}`];
  if (!load)
    throw new Error(`no published schema registered for ${String(object.apiVersion)} ${String(object.kind)}`);
  const Model = await load();
  new Model(object as never).validate();
}
