/**
 * The resource options a component gives its children, which the offline recorder does not
 * keep (`ignoreChanges`, for one): pass `capture.transformation` in the component's
 * `transformations` and read `capture.byName` after the run.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface ChildOptionsCapture {
  readonly transformation: pulumi.ResourceTransformation;
  /** Logical name → the options the child was registered with. */
  readonly byName: Map<string, pulumi.ResourceOptions>;
}

export function captureChildOptions(): ChildOptionsCapture {
  const byName = new Map<string, pulumi.ResourceOptions>();
  return {
    byName,
    transformation: (args) => {
      byName.set(args.name, args.opts);
      return undefined;
    },
  };
}

/** Resolves an output recorded under the mock runtime. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
