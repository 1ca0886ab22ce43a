/**
 * The human-readable preview report: resources grouped by the component that owns them and
 * by type, with counts, the policy verdict, and a one-line summary.
 */
import { ROOT_STACK_TYPE } from "./runtime";
import type { PolicyViolation, RecordedResource } from "./types";

export interface ComponentGroup {
  /** `<component type> <name>`, or `(stack)` for resources directly under the stack. */
  readonly component: string;
  readonly counts: ReadonlyArray<readonly [type: string, count: number]>;
  readonly total: number;
}

/** Groups custom resources by their nearest component ancestor. */
export function groupByComponent(resources: readonly RecordedResource[]): ComponentGroup[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const groups = new Map<string, Map<string, number>>();
  for (const r of resources) {
    if (!r.custom) continue;
    const owner = r.parent ? byUrn.get(r.parent) : undefined;
    const component = !owner || owner.type === ROOT_STACK_TYPE ? "(stack)" : `${owner.type} ${owner.name}`;
    const counts = groups.get(component) ?? new Map<string, number>();
    counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    groups.set(component, counts);
  }
  return [...groups.entries()]
    .map(([component, counts]) => ({
      component,
      counts: [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)),
      total: [...counts.values()].reduce((a, b) => a + b, 0),
    }))
    .sort((a, b) => a.component.localeCompare(b.component));
}

export function summaryLine(
  stack: string,
  resources: readonly RecordedResource[],
  violations: readonly PolicyViolation[],
  elapsedMs: number,
): string {
  const custom = resources.filter((r) => r.custom).length;
  const components = resources.filter((r) => !r.custom).length - 1;
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = violations.length - mandatory;
  const verdict = mandatory > 0 ? "FAIL" : "PASS";
  return `${verdict} stack=${stack} resources=${custom} components=${components} mandatory=${mandatory} advisory=${advisory} time=${(elapsedMs / 1000).toFixed(1)}s`;
}

export function renderTextReport(
  stack: string,
  resources: readonly RecordedResource[],
  violations: readonly PolicyViolation[],
  elapsedMs: number,
): string {
  const lines: string[] = [`Offline preview of stack ${stack} (mock runtime; no cloud calls)`, ""];
  for (const group of groupByComponent(resources)) {
    lines.push(`${group.component}  (${group.total})`);
    for (const [type, count] of group.counts) lines.push(`  ${String(count).padStart(5)}  ${type}`);
  }
  lines.push("");
  if (violations.length === 0) {
    lines.push("Policies: no violations");
  } else {
    lines.push(`Policies: ${violations.length} violation(s)`);
    for (const v of violations)
      lines.push(`  [${v.enforcementLevel}] ${v.policyName}: ${v.message}${v.urn ? `\n      ${v.urn}` : ""}`);
  }
  lines.push("", summaryLine(stack, resources, violations, elapsedMs));
  return lines.join("\n");
}
