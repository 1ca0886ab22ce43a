/** A minimal HCL writer for Vault's server configuration: blocks of scalar attributes. */

export type HclValue = string | number | boolean;

export interface HclBlock {
  readonly type: string;
  readonly label?: string;
  readonly attributes?: Readonly<Record<string, HclValue>>;
  readonly blocks?: readonly HclBlock[];
}

function attribute(key: string, value: HclValue): string {
  return `${key} = ${typeof value === "string" ? JSON.stringify(value) : String(value)}`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}

export function renderBlock(block: HclBlock): string {
  const header = block.label === undefined ? block.type : `${block.type} ${JSON.stringify(block.label)}`;
  const body = [
    ...Object.entries(block.attributes ?? {}).map(([k, v]) => attribute(k, v)),
    ...(block.blocks ?? []).map(renderBlock),
  ].join("\n");
  return body ? `${header} {\n${indent(body)}\n}` : `${header} {}`;
}

export function renderHcl(
  attributes: Readonly<Record<string, HclValue>>,
  blocks: readonly HclBlock[],
): string {
  return (
    [...Object.entries(attributes).map(([k, v]) => attribute(k, v)), ...blocks.map(renderBlock)].join("\n") +
    "\n"
  );
}
