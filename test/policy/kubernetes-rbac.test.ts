/**
 * kubernetes-rbac-restrict-secret-access on values unknown during preview: a binding it cannot
 * read yet is judged again at `pulumi up` (an advisory now), never a silent pass; the
 * ExternalSecrets and pods that tell which Secrets an account owns are read only when a named
 * `get` needs them, so a stack without one is judged at preview whatever they hold.
 */
import assert from "node:assert/strict";
import { kubernetesRbacRestrictSecretAccess as RULE } from "../../policy/policies";
import { evaluatePolicies } from "../../tools/offline/gate";
import type { RecordedResource } from "../../tools/offline/types";
import { compliantStack } from "./fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: string };

const RBAC = "kubernetes:rbac.authorization.k8s.io/v1";
const byType = (rs: RecordedResource[], type: string) => rs.find((r) => r.type === type)!;

async function levels(edit: (rs: RecordedResource[]) => void): Promise<string[]> {
  const rs = compliantStack();
  edit(rs);
  const found = await evaluatePolicies(rs, { environment: "prod", policies: [RULE] });
  return found.map((v) => v.enforcementLevel);
}

describe("kubernetes-rbac-restrict-secret-access with values unknown during preview", () => {
  it("judges the compliant stack at preview", async () => {
    assert.deepEqual(await levels(() => {}), []);
  });

  it("defers to up when a binding's subject namespace is unknown", async () => {
    const found = await levels((rs) => {
      const binding = byType(rs, `${RBAC}:RoleBinding`).outputs as { subjects: Array<{ namespace: string }> };
      binding.subjects[0].namespace = unknownStringValue;
    });
    assert.deepEqual(found, ["advisory"]);
  });

  it("defers to up when the ExternalSecret a named get relies on is in an unknown namespace", async () => {
    const found = await levels((rs) => {
      // The pod no longer references the Secret: only the ExternalSecret can deliver it.
      const deployment = byType(rs, "kubernetes:apps/v1:Deployment").outputs as {
        spec: { template: { spec: { containers: Array<{ envFrom?: unknown }> } } };
      };
      delete deployment.spec.template.spec.containers[0].envFrom;
      const es = byType(rs, "kubernetes:external-secrets.io/v1:ExternalSecret").outputs as {
        metadata: { namespace: string };
      };
      es.metadata.namespace = unknownStringValue;
    });
    assert.deepEqual(found, ["advisory"]);
  });

  it("does not read ExternalSecrets when no grant needs them: an unknown there changes nothing", async () => {
    const found = await levels((rs) => {
      rs.splice(rs.indexOf(byType(rs, `${RBAC}:RoleBinding`)), 1);
      const es = byType(rs, "kubernetes:external-secrets.io/v1:ExternalSecret").outputs as {
        metadata: { namespace: string };
      };
      es.metadata.namespace = unknownStringValue;
    });
    assert.deepEqual(found, []);
  });
});
