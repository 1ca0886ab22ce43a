/**
 * The floor of a recorded run: the same resources, registered again with the same provider
 * SDK classes, parents, providers and dependencies, from their recorded inputs, with no
 * components' logic, no derivation and no policies. What the program costs above it is ours;
 * the floor itself is Pulumi's runtime and the SDKs (an Output per declared property, aliases).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../offline/types";

/** What the replay needs of a recorded resource; secrets are kept as "[secret]" placeholders. */
export interface FloorResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly custom: boolean;
  readonly parent?: string;
  readonly inputs: Record<string, unknown>;
  /** Top-level input keys that arrived as secrets: replayed as secrets. */
  readonly secretKeys: readonly string[];
  readonly dependsOn: readonly string[];
  readonly provider?: string;
}

export function floorResources(resources: readonly RecordedResource[]): FloorResource[] {
  return resources
    .filter((r) => r.parent !== undefined)
    .map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      custom: r.custom,
      parent: r.parent,
      inputs: r.displayInputs,
      secretKeys: [...new Set(r.secretPaths.map((p) => p.split(/[.[]/)[0]))],
      dependsOn: r.opts.dependsOn,
      provider: r.opts.provider,
    }));
}

type ResourceClass = new (name: string, args: unknown, opts: pulumi.CustomResourceOptions) => pulumi.Resource;

/** Kubernetes groups with generated SDK classes; any other group is a CRD. */
const KUBERNETES_SDK_GROUPS = /^(core|helm\.sh|[a-z]+\.k8s\.io)$/;

/** `aws:iam/role:Role` → `aws.iam.Role`; `pulumi:providers:vault` → `vault.Provider`. */
function sdkClass(type: string): ResourceClass {
  const [pkg, module, name] = type.split(":");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = (id: string) => require(`@pulumi/${id}`) as Record<string, Record<string, unknown>>;
  if (pkg === "pulumi" && module === "providers") return sdk(name).Provider as unknown as ResourceClass;
  if (pkg === "kubernetes") {
    const [group, version] = module.split("/");
    if (!KUBERNETES_SDK_GROUPS.test(group)) return k8s.apiextensions.CustomResource as ResourceClass;
    const versions = sdk(pkg)[group.split(".")[0]] as Record<string, Record<string, ResourceClass>>;
    return versions[version][name];
  }
  const namespace = module.split("/")[0];
  const found = namespace === "index" ? sdk(pkg)[name] : sdk(pkg)[namespace]?.[name];
  if (!found) throw new Error(`floor: no SDK class for ${type}`);
  return found as unknown as ResourceClass;
}

/** A program registering the recorded resources again, in recorded order. */
export function floorProgram(resources: readonly FloorResource[]): () => void {
  return () => {
    const byUrn = new Map<string, pulumi.Resource>();
    const find = (urn: string) => byUrn.get(urn);
    for (const r of resources) {
      const opts: pulumi.CustomResourceOptions = {
        parent: r.parent ? find(r.parent) : undefined,
        dependsOn: r.dependsOn.flatMap((urn) => find(urn) ?? []),
        // Provider references are `<urn>::<id>`.
        provider: r.provider
          ? (find(r.provider.split("::").slice(0, 4).join("::")) as pulumi.ProviderResource)
          : undefined,
      };
      const inputs = Object.fromEntries(
        Object.entries(r.inputs).map(([k, v]) => [k, r.secretKeys.includes(k) ? pulumi.secret(v) : v]),
      );
      const resource = r.custom
        ? new (sdkClass(r.type))(r.name, inputs, opts)
        : new pulumi.ComponentResource(r.type, r.name, {}, opts);
      byUrn.set(r.urn, resource);
    }
  };
}
