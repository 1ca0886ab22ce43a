import { AccessGraph, globMatch } from "../lib/access/graph";
import { awsGrants } from "../lib/access/aws";
import { azureGrants } from "../lib/access/azure";
import { gcpGrants } from "../lib/access/gcp";
import type { Grant } from "../lib/access/readers";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import type { PlatformStackPolicy } from "../lib/policy";

const NAME = "pulumi-stack-restrict-secret-readers";

/** This platform's CI deploy role (`<prefix>-<env>_github-deploy`): `pulumi up` reads secret values. */
export const DEFAULT_OPERATORS = ["arn:aws:iam::*:role/*_github-deploy"] as const;

interface Config {
  readonly operators?: readonly string[];
}

/**
 * Judges each grant: operators pass; a rotation function may read what it rotates and secrets
 * no workload identity reads (the admin logins it uses); a workload identity may read only
 * secrets of one workload, and only its own when both carry a `workload` tag.
 */
function judge(
  grants: readonly Grant[],
  operators: readonly string[],
  report: (m: string, urn: string) => void,
) {
  const isOperator = (ids: readonly string[]) => ids.some((id) => operators.some((p) => globMatch(p, id)));
  const workloadRead = new Set(
    grants.filter((x) => x.reader.identity.kind === "workload").map((x) => x.secret.key),
  );
  const workloadsOf = new Map<string, { workloads: Set<string>; urn: string }>();
  for (const { secret, reader, urn } of grants) {
    const id = reader.identity;
    if (id.kind === "unknown" || isOperator(reader.ids)) continue;
    if (id.kind === "other") {
      report(`${reader.label} can read ${secret.label} but is not a workload identity: ${id.reason}.`, urn);
    } else if (id.kind === "rotation") {
      if (!id.rotates.has(secret.key) && workloadRead.has(secret.key))
        report(
          `${reader.label} is a rotation function's identity and can read ${secret.label}, which it does not rotate.`,
          urn,
        );
    } else if (secret.workload !== undefined) {
      if (id.workload !== undefined && id.workload !== secret.workload)
        report(
          `${reader.label} (workload ${id.workload}) can read ${secret.label} of workload ${secret.workload}.`,
          urn,
        );
      const seen = workloadsOf.get(reader.label) ?? { workloads: new Set<string>(), urn };
      seen.workloads.add(secret.workload);
      workloadsOf.set(reader.label, seen);
    }
  }
  for (const [label, { workloads, urn }] of workloadsOf) {
    if (workloads.size > 1)
      report(
        `${label} can read secrets of ${workloads.size} workloads (${[...workloads].sort().join(", ")}): each workload needs its own identity.`,
        urn,
      );
  }
}

export const pulumiStackRestrictSecretReaders: PlatformStackPolicy = {
  name: NAME,
  description:
    "Derives from the stack's resources who can read each AWS, GCP and Azure secret; every reader must be one workload's identity (bound to exactly one Kubernetes service account), the rotation function of that secret, or a configured operator.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.1", "pci-dss:7.2.2", "pci-dss:8.2.2"),
  remediationSteps:
    "Grant read on a secret only to the identity of the workload that needs it: an IAM role whose trust pins `sub` to `system:serviceaccount:<ns>:<sa>` and `aud` (or an EKS Pod Identity role associated with one service account), a GCP service account whose only impersonator is `<project>.svc.id.goog[<ns>/<sa>]`, or an Azure user-assigned identity federated with one service account. Give each workload its own identity. People and pipelines that must read secrets go in this policy's `operators` setting.",
  configSchema: {
    properties: {
      operators: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_OPERATORS],
        description:
          "Readers allowed besides workloads and rotation functions: IAM role ARNs or names, GCP members (`user:…`, `serviceAccount:…`), Azure principal ids; `*` and `?` are wildcards. The default admits this platform's CI deploy role.",
      },
    },
  },
  validateStack: (args, report) => {
    const graph = new AccessGraph(args.resources);
    const grants = [...awsGrants(graph), ...gcpGrants(graph), ...azureGrants(graph)];
    judge(grants, args.getConfig<Config>().operators ?? DEFAULT_OPERATORS, report);
    // What could be judged is reported; values unknown during preview make the rest advisory.
    if (graph.unknown) throw graph.unknown;
  },
};
