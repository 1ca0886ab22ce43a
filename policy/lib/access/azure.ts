/**
 * Azure: principals assigned a Key Vault role that reads secret values, and whether each is a
 * user-assigned identity (matched by its `principalId` output) whose federated credentials all
 * name one Kubernetes service account.
 */
import { AZURE_ROLES, roleGuid } from "../azure-roles";
import type { AccessGraph } from "./graph";
import { serviceAccountOfSubject, type Grant, type Identity } from "./readers";

const T = {
  assignment: "azure-native:authorization:RoleAssignment",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  federation: "azure-native:managedidentity:FederatedIdentityCredential",
} as const;

const READS_SECRETS: ReadonlySet<string> = new Set([
  AZURE_ROLES.keyVaultSecretsUser,
  AZURE_ROLES.keyVaultSecretsOfficer,
  AZURE_ROLES.keyVaultAdministrator,
]);

export function azureGrants(g: AccessGraph): Grant[] {
  const assignments = g.ofType(T.assignment).filter((a) => {
    const role = g.text(a, "roleDefinitionId");
    return role !== undefined && READS_SECRETS.has(roleGuid(role));
  });
  if (assignments.length === 0) return [];
  const subjects = new Map<string, string[]>(); // `<resource group>/<identity name>` → subjects
  for (const f of g.ofType(T.federation)) {
    const key = `${g.text(f, "resourceGroupName")}/${g.text(f, "resourceName")}`;
    subjects.set(key, [...(subjects.get(key) ?? []), g.text(f, "subject") ?? ""]);
  }
  const identities = new Map<string, Identity>();
  for (const i of g.ofType(T.identity)) {
    const principal = g.text(i, "principalId");
    if (!principal) continue;
    const name = g.text(i, "resourceName") ?? g.text(i, "name");
    const subs = subjects.get(`${g.text(i, "resourceGroupName")}/${name}`) ?? [];
    const accounts = new Set(subs.map((s) => serviceAccountOfSubject(s) ?? `not a service account: ${s}`));
    const tag = g.record(i, "tags").workload;
    identities.set(
      principal,
      accounts.size === 1 && !subs.some((s) => !serviceAccountOfSubject(s))
        ? {
            kind: "workload",
            serviceAccount: [...accounts][0],
            workload: typeof tag === "string" ? tag : undefined,
          }
        : {
            kind: "other",
            reason:
              subs.length === 0
                ? "the identity has no federated credential"
                : `its federated credentials name ${[...accounts].join(", ")}, not one service account`,
          },
    );
  }
  const complete = g.unknown === undefined;
  const grants: Grant[] = [];
  for (const a of assignments) {
    const principal = g.text(a, "principalId");
    const scope = g.text(a, "scope");
    if (!principal || !scope) continue;
    const identity: Identity =
      identities.get(principal) ??
      (complete
        ? { kind: "other", reason: "it is not a user-assigned identity of this stack" }
        : { kind: "unknown" });
    grants.push({
      secret: { key: scope.toLowerCase(), label: `Key Vault scope ${scope}` },
      reader: { label: `principal ${principal}`, ids: [principal], identity },
      urn: a.urn,
    });
  }
  return grants;
}
