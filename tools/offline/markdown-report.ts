/**
 * The Markdown report for a pull-request comment: resource counts per component, the policy
 * verdict, and the access map as a Mermaid graph (workload → store → secret, each edge
 * labelled with the identity that reads).
 */
import type { AccessMapEntry } from "../../components/access-map";
import { groupByComponent, summaryLine } from "./report";
import type { PolicyViolation, RecordedResource } from "./types";

const mermaidId = (prefix: string, value: string) => `${prefix}_${value.replace(/[^A-Za-z0-9]/g, "_")}`;
const mermaidText = (value: string) => value.replace(/"/g, "#quot;");
const cell = (value: string) => value.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function accessMapMermaid(entries: readonly AccessMapEntry[]): string {
  const lines = ["flowchart LR"];
  const declared = new Set<string>();
  const node = (id: string, label: string, shape: "box" | "round" | "cyl") => {
    if (declared.has(id)) return id;
    declared.add(id);
    const [open, close] = shape === "box" ? ["[", "]"] : shape === "round" ? ["(", ")"] : ["[(", ")]"];
    lines.push(`  ${id}${open}"${mermaidText(label)}"${close}`);
    return id;
  };
  const edges = new Set<string>();
  for (const e of entries) {
    const workload = node(
      mermaidId("w", e.workload),
      `${e.workload}<br/>${e.namespace}/${e.serviceAccount}`,
      "box",
    );
    const store = node(
      mermaidId("st", `${e.namespace}-${e.store}`),
      `${e.store}<br/>(${e.backend})`,
      "round",
    );
    const secret = node(mermaidId("s", `${e.backend}-${e.secretRef}`), `${e.backend}: ${e.secretRef}`, "cyl");
    for (const edge of [
      `  ${workload} -->|"${mermaidText(e.identity)}"| ${store}`,
      `  ${store} --> ${secret}`,
    ]) {
      if (!edges.has(edge)) {
        edges.add(edge);
        lines.push(edge);
      }
    }
  }
  return lines.join("\n");
}

export function renderMarkdownReport(
  stack: string,
  resources: readonly RecordedResource[],
  violations: readonly PolicyViolation[],
  accessMap: readonly AccessMapEntry[],
  elapsedMs: number,
): string {
  const out: string[] = [
    `## Offline preview: \`${stack}\``,
    "",
    `\`${summaryLine(stack, resources, violations, elapsedMs)}\``,
    "",
  ];
  out.push("### Resources by component", "", "| component | type | count |", "|---|---|---|");
  for (const group of groupByComponent(resources)) {
    for (const [type, count] of group.counts)
      out.push(`| ${cell(group.component)} | \`${type}\` | ${count} |`);
  }
  out.push("", "### Policy verdict", "");
  if (violations.length === 0) {
    out.push("No policy violations.");
  } else {
    out.push("| level | policy | resource | message |", "|---|---|---|---|");
    for (const v of violations) {
      out.push(
        `| ${v.enforcementLevel} | \`${v.policyName}\` | ${v.urn ? `\`${v.urn.split("::").pop()}\`` : "(stack)"} | ${cell(v.message)} |`,
      );
    }
  }
  out.push(
    "",
    "### Access map",
    "",
    "Who reads what: workload → secret store (edge: the identity it authenticates as) → secret.",
    "",
  );
  out.push("```mermaid", accessMapMermaid(accessMap), "```", "");
  return out.join("\n");
}
