/**
 * Azure: principals assigned a Key Vault role (built-in, or a custom role of the stack with
 * the `getSecret` data action) that reads secret values, and whether each is a rotation
 * function's identity (it may also `setSecret`) or a user-assigned identity (matched by its
 * `principalId` output) whose federated credentials all name one Kubernetes service account.
 */
import { AZURE_ROLES, roleGuid } from "../azure-roles";
import type { PolicyResource } from "@pulumi/policy";
import { addAll, globMatch, type AccessGraph } from "./graph";
import { serviceAccountOfSubject, type Grant, type Identity } from "./readers";

const T = {
  assignment: "azure-native:authorization:RoleAssignment",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  federation: "azure-native:managedidentity:FederatedIdentityCredential",
  definition: "azure-native:authorization:RoleDefinition",
} as const;

const GET = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
const SET = "Microsoft.KeyVault/vaults/secrets/setSecret/action";

interface SecretRights {
  readonly read: boolean;
  /** May write new versions: what marks a rotation function's identity. */
  readonly write: boolean;
}

const BUILT_IN: ReadonlyMap<string, SecretRights> = new Map([
  [AZURE_ROLES.keyVaultSecretsUser, { read: true, write: false }],
  [AZURE_ROLES.keyVaultSecretsOfficer, { read: true, write: true }],
  [AZURE_ROLES.keyVaultAdministrator, { read: true, write: true }],
]);

/** Custom role definitions of the stack, by GUID (`name` output) and by URN. */
function customRoles(g: AccessGraph): Map<string, SecretRights> {
  const roles = new Map<string, SecretRights>();
  for (const d of g.ofType(T.definition)) {
    const permissions = g.read(d, "permissions");
    const dataActions = (Array.isArray(permissions) ? permissions : []).flatMap((p) =>
      Array.isArray(p?.dataActions) ? p.dataActions.map(String) : [],
    );
    const has = (action: string) => dataActions.some((a: string) => globMatch(a, action, true));
    const rights = { read: has(GET), write: has(SET) };
    roles.set(d.urn, rights);
    const guid = g.text(d, "name");
    if (guid) roles.set(guid.toLowerCase(), rights);
  }
  return roles;
}

function rightsOf(g: AccessGraph, a: PolicyResource, custom: ReadonlyMap<string, SecretRights>) {
  const role = g.text(a, "roleDefinitionId");
  const guid = role === undefined ? undefined : roleGuid(role);
  const viaDependency = (a.propertyDependencies["roleDefinitionId"] ?? []).map((d) => custom.get(d.urn));
  return (guid && (BUILT_IN.get(guid) ?? custom.get(guid))) || viaDependency.find(Boolean);
}

export function azureGrants(g: AccessGraph): Grant[] {
  const custom = customRoles(g);
  const assignments = g.ofType(T.assignment).flatMap((a) => {
    const rights = rightsOf(g, a, custom);
    return rights && (rights.read || rights.write) ? [{ a, rights }] : [];
  });
  if (assignments.length === 0) return [];
  const writes = new Map<string, Set<string>>(); // principal → scopes it may write
  for (const { a, rights } of assignments) {
    const principal = g.text(a, "principalId");
    const scope = g.text(a, "scope");
    if (rights.write && principal && scope) addAll(writes, principal, scope.toLowerCase());
  }
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
    identities.set(
      principal,
      accounts.size === 1 && !subs.some((s) => !serviceAccountOfSubject(s))
        ? { kind: "workload", serviceAccount: [...accounts][0] }
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
  for (const { a, rights } of assignments) {
    const principal = g.text(a, "principalId");
    const scope = g.text(a, "scope");
    if (!principal || !scope || !rights.read) continue;
    const rotates = writes.get(principal);
    const identity: Identity =
      (rotates && { kind: "rotation", rotates }) ??
      identities.get(principal) ??
      (complete
        ? { kind: "other", reason: "it is not a user-assigned identity of this stack" }
        : { kind: "unknown" });
    grants.push({
      secret: { key: scope.toLowerCase(), names: [scope], label: `Key Vault scope ${scope}` },
      reader: { label: `principal ${principal}`, ids: [principal], identity },
      urn: a.urn,
    });
  }
  return grants;
}
