/**
 * The Kubernetes objects a stack declares, found on the real API server: the offline model's
 * `kubernetes:*` resources (namespaces, service accounts, NetworkPolicies, ESO's custom
 * resources, Helm releases) mapped to their API paths through the server's own discovery, so a
 * kind is found under the name the server gives its collection.
 */
import type { OfflineDocument } from "./local-platform";
import { KubeError, type KubeClient } from "./kube";

/** One object as the stack declares it: `kubernetes:<group/version>:<Kind>` with its name. */
export interface KubeRef {
  readonly type: string;
  readonly name: string;
  readonly namespace?: string;
}

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

interface DeclaredInputs {
  readonly name?: string;
  readonly namespace?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

/** Every Kubernetes object (Helm releases included) of the offline model's steps. */
export function declaredKubeObjects(document: OfflineDocument): KubeRef[] {
  return document.steps
    .filter((s) => s.newState.type.startsWith("kubernetes:"))
    .map((s) => {
      const inputs = (s.newState.inputs ?? {}) as DeclaredInputs;
      const name = s.newState.type === HELM_RELEASE ? inputs.name : inputs.metadata?.name;
      const namespace = s.newState.type === HELM_RELEASE ? inputs.namespace : inputs.metadata?.namespace;
      if (!name) throw new Error(`${s.urn}: no name in the offline model's inputs`);
      return { type: s.newState.type, name, ...(namespace ? { namespace } : {}) };
    });
}

export const keyOf = (ref: KubeRef) => `${ref.type} ${ref.namespace ?? ""}/${ref.name}`;

/** Resolves object paths with the server's discovery documents (cached per group/version). */
export class KubeObjects {
  private readonly discovery = new Map<string, Promise<Map<string, { name: string; namespaced: boolean }>>>();

  constructor(private readonly admin: KubeClient) {}

  private async resource(apiVersion: string, kind: string) {
    if (!this.discovery.has(apiVersion)) {
      const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      this.discovery.set(
        apiVersion,
        this.admin
          .get<{ resources: Array<{ name: string; kind: string; namespaced: boolean }> }>(base)
          .then((d) => new Map(d.resources.filter((r) => !r.name.includes("/")).map((r) => [r.kind, r]))),
      );
    }
    const found = (await this.discovery.get(apiVersion)!).get(kind);
    if (!found) throw new Error(`the API server serves no ${kind} in ${apiVersion}`);
    return found;
  }

  /** The object's URL path (for a Helm release: its release records, Helm's Secrets). */
  async path(ref: KubeRef): Promise<string> {
    if (ref.type === HELM_RELEASE) {
      const selector = encodeURIComponent(`owner=helm,name=${ref.name}`);
      return `/api/v1/namespaces/${ref.namespace}/secrets?labelSelector=${selector}`;
    }
    const [, token, kind] = /^kubernetes:(.+):([^:]+)$/.exec(ref.type)!;
    // Pulumi's type tokens name the core group `core`; its API is /api/<version>.
    const apiVersion = token.replace(/^core\//, "");
    const resource = await this.resource(apiVersion, kind);
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const scope = resource.namespaced ? `/namespaces/${ref.namespace}` : "";
    return `${base}${scope}/${resource.name}/${ref.name}`;
  }

  /** The object as the server holds it; undefined when absent (a release: its deployed record). */
  async get<T = Record<string, unknown>>(ref: KubeRef): Promise<T | undefined> {
    try {
      const found = await this.admin.get<
        T & { items?: Array<{ metadata: { labels: Record<string, string> } }> }
      >(await this.path(ref));
      if (ref.type !== HELM_RELEASE) return found;
      return found.items?.find((record) => record.metadata.labels.status === "deployed") as T | undefined;
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Those of `refs` the server holds. */
  async present(refs: readonly KubeRef[]): Promise<KubeRef[]> {
    const found = await Promise.all(refs.map(async (ref) => ((await this.get(ref)) ? ref : undefined)));
    return found.filter((ref): ref is KubeRef => ref !== undefined);
  }
}
