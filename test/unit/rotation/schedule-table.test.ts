import * as assert from "node:assert/strict";
import { renderRotationTable } from "../../../components/rotation/schedule-table";
import { PROFILES } from "../../../stacks/profiles";

describe("rotation schedule table", () => {
  it("has a column per environment and the values of each profile", () => {
    const lines = renderRotationTable().trimEnd().split("\n");
    assert.equal(lines[0], "| Setting | dev | staging | prod |");
    const aws = lines.find((l) => l.startsWith("| Secrets Manager schedule"));
    assert.equal(
      aws,
      "| Secrets Manager schedule / window | `rate(30 days)` / 4h | `rate(14 days)` / 3h | `rate(7 days)` / 2h |",
    );
  });

  it("follows a change to a profile", () => {
    const changed = {
      ...PROFILES,
      prod: { ...PROFILES.prod, dynamicCredential: { ttlSeconds: 900, maxTtlSeconds: 2 * 86400 } },
    };
    assert.match(renderRotationTable(changed), /\| 8 h \/ 24 h \| 4 h \/ 12 h \| 15 min \/ 2 d \|/);
  });
});
