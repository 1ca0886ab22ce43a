import { AccessGraph } from "../lib/access/graph";
import { awsGrants } from "../lib/access/aws";
import { azureGrants } from "../lib/access/azure";
import { gcpGrants } from "../lib/access/gcp";
import type { Grant } from "../lib/access/readers";
import {
  exemptNote,
  exemptionsSchema,
  readExemptions,
  unusedNote,
  type Exemption,
  type ExemptionKind,
} from "../lib/exemptions";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import { reportAdvisory, type PlatformStackPolicy } from "../lib/policy";

const NAME = "pulumi-stack-restrict-secret-readers";

/** Operators: readers named exactly (role ARN or name, GCP member, Azure principal id). */
const OPERATOR: ExemptionKind = { key: "principal", exactName: "an exact reader id", matches: "reader" };
/** Secrets several workloads may read: named exactly (ARN or name, secret id, Key Vault scope). */
const SHARED: ExemptionKind = { key: "secret", exactName: "an exact secret name", matches: "shared secret" };

interface Config {
  readonly operators?: unknown;
  readonly sharedSecrets?: unknown;
}

type Report = (message: string, urn?: string) => void;

/** The exemption naming any of `ids` exactly, if one does. */
const exemptionFor = (exemptions: ReadonlyMap<string, Exemption>, ids: readonly string[]) =>
  ids.map((id) => exemptions.get(id)).find((e) => e !== undefined);

/**
 * Judges each grant. Operators (exact, from the config) pass, each reported once with its
 * reason; a rotation function may read what it rotates and secrets no workload identity reads
 * (the admin logins it uses); every workload identity reading a secret must be bound to the
 * same Kubernetes service account: a secret belongs to one workload, whatever the resources'
 * names, tags or labels say.
 */
function judge(grants: readonly Grant[], config: Config, report: Report) {
  const operators = readExemptions(config.operators, OPERATOR, (m) => report(m), "operators");
  const shared = readExemptions(config.sharedSecrets, SHARED, (m) => report(m), "sharedSecrets");
  const used = { operators: new Set<string>(), shared: new Set<string>() };
  const operatorReads = new Map<
    string,
    { exemption: Exemption; label: string; secrets: Set<string>; urn: string }
  >();

  const workloadsOf = new Map<string, Set<string>>(); // secret key → service accounts reading it
  for (const { secret, reader } of grants)
    if (reader.identity.kind === "workload" && !exemptionFor(operators, reader.ids)) {
      const accounts = workloadsOf.get(secret.key) ?? new Set<string>();
      accounts.add(reader.identity.serviceAccount);
      workloadsOf.set(secret.key, accounts);
    }

  for (const { secret, reader, urn } of grants) {
    const id = reader.identity;
    const operator = exemptionFor(operators, reader.ids);
    if (operator) {
      const seen = operatorReads.get(operator.name) ?? {
        exemption: operator,
        label: reader.label,
        secrets: new Set<string>(),
        urn,
      };
      seen.secrets.add(secret.label);
      operatorReads.set(operator.name, seen);
      continue;
    }
    if (id.kind === "unknown") continue;
    if (id.kind === "other") {
      report(`${reader.label} can read ${secret.label} but is not a workload identity: ${id.reason}.`, urn);
    } else if (id.kind === "rotation") {
      if (!id.rotates.has(secret.key) && workloadsOf.has(secret.key))
        report(
          `${reader.label} is a rotation function's identity and can read ${secret.label}, which it does not rotate.`,
          urn,
        );
    } else {
      const accounts = workloadsOf.get(secret.key) ?? new Set<string>();
      if (accounts.size <= 1) continue;
      const others = [...accounts].filter((a) => a !== id.serviceAccount).sort();
      const what = `${reader.label} (service account ${id.serviceAccount}) can read ${secret.label}, which workload identities of ${others.join(", ")} read too`;
      const exemption = exemptionFor(shared, secret.names);
      if (exemption) {
        used.shared.add(exemption.name);
        reportAdvisory(report, exemptNote(exemption, what), urn);
      } else report(`${what}: a secret belongs to one workload; give each its own secret.`, urn);
    }
  }
  for (const { exemption, label, secrets, urn } of operatorReads.values()) {
    used.operators.add(exemption.name);
    reportAdvisory(
      report,
      exemptNote(exemption, `${label} can read ${[...secrets].sort().join(", ")} as an operator`),
      urn,
    );
  }
  for (const name of operators.keys())
    if (!used.operators.has(name)) reportAdvisory(report, unusedNote(name, OPERATOR));
  for (const name of shared.keys())
    if (!used.shared.has(name)) reportAdvisory(report, unusedNote(name, SHARED));
}

export const pulumiStackRestrictSecretReaders: PlatformStackPolicy = {
  name: NAME,
  description:
    "Derives from the stack's resources who can read each AWS, GCP and Azure secret; every reader must be a workload identity (bound to exactly one Kubernetes service account), the rotation function of that secret, or an operator the `operators` setting names exactly with a reason. " +
    "All workload identities reading one secret must be bound to the same service account (a secret belongs to one workload) unless the `sharedSecrets` setting names the secret exactly with a reason. " +
    "Names, tags and labels of the resources decide nothing; each exemption applied is reported as an advisory note.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.1", "pci-dss:7.2.2", "pci-dss:8.2.2"),
  remediationSteps:
    'Grant read on a secret only to the identity of the workload that needs it: an IAM role whose trust pins `sub` to `system:serviceaccount:<ns>:<sa>` and `aud` (or an EKS Pod Identity role associated with one service account), a GCP service account whose only impersonator is `<project>.svc.id.goog[<ns>/<sa>]`, or an Azure user-assigned identity federated with one service account. Give each workload its own identity and its own secrets. People and pipelines that must read secrets go in this policy\'s `operators` setting: `{ "principal": "<role ARN | member | principal id>", "reason": "<why>" }`.',
  configSchema: {
    properties: {
      operators: exemptionsSchema(
        OPERATOR,
        "Readers allowed besides workloads and rotation functions, exactly as the stack names them (IAM role ARN or name, GCP member such as `serviceAccount:ci@p.iam.gserviceaccount.com`, Azure principal id; no globs), each with its reason; each one applied is reported as an advisory note.",
      ),
      sharedSecrets: exemptionsSchema(
        SHARED,
        "Secrets that workload identities of several service accounts may read, exactly as the stack names them (Secrets Manager ARN or name, Secret Manager secret id, Key Vault secret scope; no globs), each with its reason; each one applied is reported as an advisory note.",
      ),
    },
  },
  validateStack: (args, report) => {
    const graph = new AccessGraph(args.resources);
    const grants = [...awsGrants(graph), ...gcpGrants(graph), ...azureGrants(graph)];
    judge(grants, args.getConfig<Config>(), report);
    // What could be judged is reported; values unknown during preview make the rest advisory.
    if (graph.unknown) throw graph.unknown;
  },
};
