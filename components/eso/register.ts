/**
 * Registers a typed ESO object as a Kubernetes custom resource. The object is built (and
 * type-checked) by the pure functions of this folder; only registration lives here.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

interface TypedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: unknown;
}

/** `kind` and `apiVersion` are passed plainly: they make the resource's type token. */
export function registerCustomResource<T extends TypedObject>(
  name: string,
  type: Pick<T, "apiVersion" | "kind">,
  manifest: pulumi.Input<T>,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  // A manifest known now is passed as is: wrapping it in an Output and splitting it with two
  // applies cost three Outputs per resource, a third of the applies of a 400-workload preview.
  const fields = pulumi.Output.isInstance(manifest)
    ? { metadata: manifest.apply((o) => o.metadata ?? {}), spec: manifest.apply((o) => o.spec) }
    : { metadata: (manifest as T).metadata ?? {}, spec: (manifest as T).spec };
  return new k8s.apiextensions.CustomResource(
    name,
    { apiVersion: type.apiVersion, kind: type.kind, ...fields },
    opts,
  );
}
