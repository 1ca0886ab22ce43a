import * as assert from "node:assert/strict";
import * as path from "node:path";
import { MOCK_SECRET_MARKER } from "../../tools/offline/mocks/random";
import { runPreview } from "../../tools/offline/preview";
import type { RecordedResource } from "../../tools/offline/types";
import { PROJECT_DIR } from "../support/offline";
import { leakedSecretPaths } from "../support/secret-leaks";

describe("secret hygiene across the whole program", function () {
  this.timeout(120_000);

  for (const stack of ["dev", "staging", "prod"]) {
    it(`${stack}: no secret value reaches a resource input except as a Pulumi secret`, async () => {
      const { resources } = await runPreview({ stackFile: path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`) });
      const leaks = resources.flatMap((r) => leakedSecretPaths(r).map((p) => `${r.urn} ${p}`));
      assert.deepEqual(leaks, []);
    });
  }

  it("detects a leak: a placeholder secret in a plain input", () => {
    const resource = {
      urn: "urn:x",
      type: "aws:secretsmanager/secretVersion:SecretVersion",
      name: "x",
      custom: true,
      inputs: {
        secretString: `${MOCK_SECRET_MARKER}abc`,
        tags: { note: "offline-placeholder-for-secrets-platform:vaultToken" },
      },
      displayInputs: {},
      secretPaths: ["secretString"],
      outputs: {},
      opts: { protect: false, retainOnDelete: false, dependsOn: [], propertyDependencies: {} },
    } satisfies RecordedResource;
    assert.deepEqual(leakedSecretPaths(resource), ["tags.note"]);
  });
});
