/**
 * Where a Vault server is deployed to Kubernetes, whatever the release, chart or workload is
 * called: the HashiCorp Vault Helm chart through any of the kubernetes provider's Helm
 * resources, and any workload whose container runs the Vault server image.
 *
 * - Helm (`kubernetes:helm.sh/v3:Release`, `helm.sh/v4:Chart`, `helm.sh/v3:Chart`): a release
 *   of the Vault chart — its chart reference names the `vault` chart in any form (`vault`,
 *   `hashicorp/vault`, `oci://…/vault`, `./charts/vault`, `vault-0.34.1.tgz`) — or one whose
 *   values configure the chart's Vault server (`server.dev`, `server.ha`, `server.standalone`,
 *   or a `server.image.repository` of Vault), so a renamed or forked chart is in scope too.
 *   The rules judge its values (what the chart renders from them).
 * - Workloads (Pods and every controller of pods, in every API version of the SDK, and their
 *   `…Patch` resources, i.e. what `helm.sh/v4:Chart`, `yaml/v2` and plain programs register):
 *   each container whose image is Vault's (`…/vault` or `…/vault-enterprise`, any registry,
 *   tag or digest) and that does not run `vault agent` or `vault proxy`. The rules judge the
 *   pod spec: arguments, environment, image, replicas. A patch only sets what it names, so a
 *   check of something it leaves out does not apply to it.
 */
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { validateResourceOfToken } from "./policy";
import { atPath, isRecord } from "./values";

export const HELM_TYPES = [
  "kubernetes:helm.sh/v3:Release",
  "kubernetes:helm.sh/v4:Chart",
  "kubernetes:helm.sh/v3:Chart",
] as const;

/** Controllers of pods by type token, and where each keeps its pod spec. */
const POD_SPEC_AT: Readonly<Record<string, string>> = {
  Pod: "spec",
  Deployment: "spec.template.spec",
  StatefulSet: "spec.template.spec",
  DaemonSet: "spec.template.spec",
  ReplicaSet: "spec.template.spec",
  ReplicationController: "spec.template.spec",
  Job: "spec.template.spec",
  CronJob: "spec.jobTemplate.spec.template.spec",
};

/** Every workload type of @pulumi/kubernetes 4.25 (test/policy/sdk-resource-types.test.ts checks the list). */
export const WORKLOAD_TYPES: readonly string[] = [
  "apps/v1:DaemonSet",
  "apps/v1:Deployment",
  "apps/v1:ReplicaSet",
  "apps/v1:StatefulSet",
  "apps/v1beta1:Deployment",
  "apps/v1beta1:StatefulSet",
  "apps/v1beta2:DaemonSet",
  "apps/v1beta2:Deployment",
  "apps/v1beta2:ReplicaSet",
  "apps/v1beta2:StatefulSet",
  "batch/v1:CronJob",
  "batch/v1:Job",
  "batch/v1beta1:CronJob",
  "batch/v2alpha1:CronJob",
  "core/v1:Pod",
  "core/v1:ReplicationController",
  "extensions/v1beta1:DaemonSet",
  "extensions/v1beta1:Deployment",
  "extensions/v1beta1:ReplicaSet",
].flatMap((t) => [`kubernetes:${t}`, `kubernetes:${t}Patch`]);

/** The chart's own name in a chart reference: last path segment, without version or archive suffix. */
export function chartName(reference: string): string {
  const last = reference.replace(/\/+$/, "").split(/[/:]/).pop() ?? "";
  return last
    .replace(/\.tgz$/, "")
    .replace(/-\d+\.\d+\.\d+([-+][\w.]+)?$/, "")
    .replace(/@.*$/, "");
}

/** A Vault server image: repository's last segment `vault` or `vault-enterprise`, any registry. */
export function isVaultImage(image: string): boolean {
  const repository = image.split("@")[0].replace(/:[^/:]+$/, "");
  return /(^|\/)vault(-enterprise)?$/.test(repository);
}

/** Whether values configure the Vault chart's server (keys only that chart reads). */
function configuresVaultServer(values: Record<string, unknown>): boolean {
  const server = values.server;
  if (!isRecord(server)) return false;
  const image = atPath(server, "image.repository");
  return (
    "dev" in server ||
    "ha" in server ||
    "standalone" in server ||
    (typeof image === "string" && isVaultImage(image))
  );
}

/** Reads `props[key]`; throws (the engine's unknown) when unknown during preview. */
const prop = (props: Record<string, unknown>, key: string): unknown => props[key];

/**
 * A validator of the Helm values of every Vault release or chart (see above); values given
 * as a YAML string are not read (the rules then see the chart's defaults).
 */
export function validateVaultHelmValues(
  validate: (
    values: Record<string, unknown>,
    args: ResourceValidationArgs,
    report: ReportViolation,
  ) => Promise<void> | void,
): ResourceValidation[] {
  return HELM_TYPES.map((type) =>
    validateResourceOfToken(type, (props, args, report) => {
      const values = prop(props, "values");
      const chart = prop(props, "chart");
      const plain = isRecord(values) ? values : {};
      const named = typeof chart === "string" && chartName(chart) === "vault";
      if (!named && !configuresVaultServer(plain)) return;
      return validate(plain, args, report);
    }),
  );
}

/** The server config the chart renders: HA raft, HA, or standalone (chart 0.34's choice), and where it is. */
export function chartServerConfig(values: Record<string, unknown>): { path: string; value: unknown } {
  const path =
    atPath(values, "server.ha.enabled") === true
      ? atPath(values, "server.ha.raft.enabled") === true
        ? "server.ha.raft.config"
        : "server.ha.config"
      : "server.standalone.config";
  return { path, value: atPath(values, path) };
}

/** One container running the Vault server, as a workload declares it. */
export interface VaultContainer {
  readonly kind: string;
  readonly patch: boolean;
  readonly name: string;
  readonly image: string;
  /** `command` and `args` joined, or undefined when neither is set (the image's default runs). */
  readonly commandLine?: string;
  readonly env: ReadonlyMap<string, unknown>;
  /** The controller's `spec.replicas` when it sets one. */
  readonly replicas?: unknown;
  readonly label: string;
}

/** The kind of a workload type token (`kubernetes:apps/v1:DeploymentPatch` → Deployment) and whether it is a patch. */
export function workloadKind(type: string): { kind: string; patch: boolean } {
  const kindWithPatch = type.split(":")[2] ?? "";
  const patch = kindWithPatch.endsWith("Patch");
  return { kind: patch ? kindWithPatch.slice(0, -"Patch".length) : kindWithPatch, patch };
}

/** The pod spec of a workload of one of WORKLOAD_TYPES (where its kind keeps it). */
export function podSpecOf(type: string, props: unknown): unknown {
  return atPath(props, POD_SPEC_AT[workloadKind(type).kind] ?? "spec");
}

function containersOf(type: string, props: Record<string, unknown>): VaultContainer[] {
  const { kind, patch } = workloadKind(type);
  const podSpec = podSpecOf(type, props);
  const containers = isRecord(podSpec) && Array.isArray(podSpec.containers) ? podSpec.containers : [];
  const found: VaultContainer[] = [];
  for (const c of containers) {
    if (!isRecord(c) || typeof c.image !== "string" || !isVaultImage(c.image)) continue;
    const parts = [c.command, c.args].flatMap((x) => (Array.isArray(x) ? x.map(String) : []));
    const commandLine = parts.length > 0 ? parts.join(" ") : undefined;
    if (
      commandLine !== undefined &&
      /(^|[\s;&|])(vault\s+)?(agent|proxy)(\s|$)/.test(commandLine) &&
      !/\bserver\b/.test(commandLine)
    )
      continue;
    const env = new Map<string, unknown>();
    for (const e of Array.isArray(c.env) ? c.env : [])
      if (isRecord(e) && typeof e.name === "string") env.set(e.name, e.value);
    found.push({
      kind,
      patch,
      name: String(c.name ?? "?"),
      image: c.image,
      commandLine,
      env,
      replicas: atPath(props, "spec.replicas"),
      label: `container ${JSON.stringify(String(c.name ?? "?"))} (${c.image})`,
    });
  }
  return found;
}

/** A validator of every container running the Vault server in a workload (see above). */
export function validateVaultContainers(
  validate: (
    container: VaultContainer,
    args: ResourceValidationArgs,
    report: ReportViolation,
  ) => Promise<void> | void,
): ResourceValidation[] {
  return WORKLOAD_TYPES.map((type) =>
    validateResourceOfToken(type, async (props, args, report) => {
      for (const container of containersOf(type, props)) await validate(container, args, report);
    }),
  );
}

/** Whether a container runs Vault's dev server (in memory, unsealed, root token in plain text). */
export function runsDevServer(c: VaultContainer): boolean {
  if (c.env.has("VAULT_DEV_ROOT_TOKEN_ID") || c.env.has("VAULT_DEV_LISTEN_ADDRESS")) return true;
  // The image's default command is `server -dev`.
  if (c.commandLine === undefined) return !c.patch;
  return /(^|\s)--?dev(\s|=|-|$)/.test(c.commandLine);
}
