/**
 * The resource dependency graph of a recorded run. Its longest chain bounds how much of a
 * real `pulumi up` must run one step after another, whatever the parallelism.
 */
import type { RecordedResource } from "./types";

/**
 * Number of custom resources on the longest dependency chain (explicit `dependsOn` plus
 * input dependencies). A dependency on a component stands for all its custom descendants,
 * as in the engine.
 */
export function criticalPathLength(resources: readonly RecordedResource[]): number {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of resources) {
    if (!r.parent) continue;
    const list = children.get(r.parent) ?? [];
    list.push(r.urn);
    children.set(r.parent, list);
  }
  const customLeaves = new Map<string, string[]>();
  const leavesOf = (urn: string): string[] => {
    const cached = customLeaves.get(urn);
    if (cached) return cached;
    const r = byUrn.get(urn);
    const leaves = !r ? [] : r.custom ? [urn] : (children.get(urn) ?? []).flatMap(leavesOf);
    customLeaves.set(urn, leaves);
    return leaves;
  };
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (urn: string): number => {
    const known = depth.get(urn);
    if (known !== undefined) return known;
    if (visiting.has(urn)) throw new Error(`dependency cycle through ${urn}`);
    visiting.add(urn);
    const r = byUrn.get(urn)!;
    const deps = new Set(
      [...r.opts.dependsOn, ...Object.values(r.opts.propertyDependencies).flat()].flatMap(leavesOf),
    );
    deps.delete(urn);
    let longest = 0;
    for (const dep of deps) longest = Math.max(longest, depthOf(dep));
    visiting.delete(urn);
    depth.set(urn, longest + 1);
    return longest + 1;
  };
  let result = 0;
  for (const r of resources) if (r.custom) result = Math.max(result, depthOf(r.urn));
  return result;
}
