import { AccessGraph } from "../lib/access/graph";
import { serviceAccountOfSubject } from "../lib/access/readers";
import { ROLE_GRANT_TYPES, roleGuid, roleName } from "../lib/azure-roles";
import { LEAST_PRIVILEGE, controls } from "../lib/frameworks";
import type { PlatformStackPolicy } from "../lib/policy";
import { snapshotServiceAccounts } from "../lib/snapshot-uploaders";

/** What writing a blob takes (Put Blob, Put Block, Put Block List), and nothing that reads, lists or deletes. */
const WRITE_ONLY = new Set(
  [
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
  ].map((a) => a.toLowerCase()),
);
const CONTAINER_SCOPE =
  /\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+\/blobServices\/default\/containers\/[^/]+$/i;

export const azureAuthorizationRestrictSnapshotUploaderRoles: PlatformStackPolicy = {
  name: "azure-authorization-restrict-snapshot-uploader-roles",
  description:
    "A managed identity that a Vault raft-snapshot job signs in as (a federated credential naming a Kubernetes service account whose pods run `raft snapshot save`) may only be assigned a custom role of the stack whose permissions are exactly blob writes (`…/containers/blobs/write`, `…/containers/blobs/add/action`; no control-plane action, no wildcard), at one blob container, through a role assignment, a PIM eligible assignment or a blueprint role assignment artifact. " +
    "A snapshot holds every secret of the cluster: Storage Blob Data Contributor, Reader or Owner, or any role that reads, lists or deletes blobs, lets whoever runs in the job's pod read every snapshot, or erase the backups. A built-in role, or a custom role not defined in the stack, is refused: its permissions cannot be verified here. " +
    "Out of scope: other principals (the operators who restore).",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: LEAST_PRIVILEGE,
  tags: controls("pci-dss:7.2.2", "soc2:A1.2"),
  remediationSteps:
    "Define a custom role with `dataActions` exactly `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write` and `…/blobs/add/action` (assignable at the resource group) and assign it to the snapshot job's identity at the container (`<account id>/blobServices/default/containers/<name>`); people who restore read through their own identities.",
  validateStack: (args, report) => {
    const g = new AccessGraph(args.resources);
    const jobs = snapshotServiceAccounts(g);
    const federated = new Map<string, string>(); // `<resource group>/<identity name>` → `<ns>/<ksa>`
    for (const f of g.ofType("azure-native:managedidentity:FederatedIdentityCredential")) {
      const account = serviceAccountOfSubject(g.text(f, "subject") ?? "");
      if (account && jobs.has(account))
        federated.set(`${g.text(f, "resourceGroupName")}/${g.text(f, "resourceName")}`, account);
    }
    const uploaders = new Map<string, string>(); // principal id → `<ns>/<ksa>`
    for (const i of g.ofType("azure-native:managedidentity:UserAssignedIdentity")) {
      const job = federated.get(
        `${g.text(i, "resourceGroupName")}/${g.text(i, "resourceName") ?? g.text(i, "name")}`,
      );
      const principal = g.text(i, "principalId");
      if (job && principal) uploaders.set(principal, job);
    }
    // Custom roles of the stack by URN and by GUID (`name` output): whether each writes blobs only.
    const writeOnly = new Map<string, boolean>();
    for (const d of g.ofType("azure-native:authorization:RoleDefinition")) {
      const permissions = g.read(d, "permissions");
      const list = Array.isArray(permissions) ? (permissions as Array<Record<string, unknown>>) : [];
      const strings = (key: string) => list.flatMap((p) => (Array.isArray(p[key]) ? p[key].map(String) : []));
      const only =
        strings("actions").length === 0 &&
        strings("dataActions").length > 0 &&
        strings("dataActions").every((a) => WRITE_ONLY.has(a.toLowerCase()));
      writeOnly.set(d.urn, only);
      const guid = g.text(d, "name");
      if (guid) writeOnly.set(guid.toLowerCase(), only);
    }
    for (const type of ROLE_GRANT_TYPES)
      for (const a of g.ofType(type)) {
        const ids = g.read(a, "principalIds"); // a blueprint artifact's
        const principalIds = [g.text(a, "principalId"), ...(Array.isArray(ids) ? ids : [])].filter(
          (p): p is string => typeof p === "string",
        );
        const job = principalIds.map((p) => uploaders.get(p)).find(Boolean);
        if (!job) continue;
        const roleId = g.text(a, "roleDefinitionId") ?? "";
        // A known id decides; only an id unknown during preview falls back to the role it comes from.
        const verdict = roleId
          ? writeOnly.get(roleGuid(roleId))
          : (a.propertyDependencies["roleDefinitionId"] ?? [])
              .map((d) => writeOnly.get(d.urn))
              .find((v) => v !== undefined);
        const scope = g.text(a, "scope") ?? g.text(a, "resourceScope");
        const problems = [
          ...(verdict === undefined
            ? [
                `${roleName(roleGuid(roleId))}, a role not defined in this stack (its permissions cannot be verified)`,
              ]
            : verdict
              ? []
              : ["a custom role that may do more than write blobs"]),
          ...(scope && CONTAINER_SCOPE.test(scope)
            ? []
            : [`a scope above one blob container (${String(scope)})`]),
        ];
        if (problems.length > 0)
          report(
            `The managed identity ${principalIds.filter((p) => uploaders.has(p)).join(", ")}, which the raft-snapshot job ${job} signs in as, is assigned ${problems.join(" and ")}: a snapshot uploader may only write blobs, in its container.`,
            a.urn,
          );
      }
    if (g.unknown) throw g.unknown;
  },
};
