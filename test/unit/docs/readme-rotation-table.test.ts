import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderRotationTable } from "../../../components/rotation/schedule-table";
import { PROJECT_DIR } from "../../support/offline";

/** Markdown tables compare cell by cell: prettier pads cells and separator rules. */
const normalize = (table: string) =>
  table
    .trim()
    .split("\n")
    .map((line) =>
      line
        .split("|")
        .map((cell) => cell.trim().replace(/^-{3,}$/, "---"))
        .join("|"),
    );

describe("docs/rotation.md rotation table", () => {
  it("equals the table rendered from stacks/profiles.ts", () => {
    const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "rotation.md"), "utf8");
    const match = /<!-- rotation-table:start -->([\s\S]*?)<!-- rotation-table:end -->/.exec(doc);
    assert.ok(match, "docs/rotation.md has no rotation-table markers");
    assert.deepEqual(normalize(match[1]), normalize(renderRotationTable()));
  });
});
