/**
 * What a Vault server holds of the kinds the platform manages, read through its API: ACL
 * policies, secrets-engine mounts, auth mounts, audit devices, and the roles under each auth
 * and database mount. Tests compare a snapshot with what the program declares, and with the
 * server's state before the platform touched it.
 */
import type { VaultClient } from "../integration/vault/live/server";
import { VaultError } from "../integration/vault/live/server";

export interface VaultState {
  readonly policies: string[];
  readonly mounts: string[];
  readonly auth: string[];
  readonly audit: string[];
  /** `<mount>/role/<name>`, `<mount>/static-roles/<name>`, `<mount>/config/<name>`. */
  readonly roles: string[];
}

async function list(client: VaultClient, apiPath: string): Promise<string[]> {
  try {
    const { data } = await client.request<{ data: { keys: string[] } }>("LIST", apiPath);
    return data.keys;
  } catch (err) {
    if (err instanceof VaultError && err.status === 404) return []; // nothing listed
    throw err;
  }
}

const trimSlash = (p: string) => p.replace(/\/$/, "");

export async function vaultState(root: VaultClient): Promise<VaultState> {
  const mounts = (await root.read<Record<string, { type: string }>>("sys/mounts")).data;
  const auth = (await root.read<Record<string, { type: string }>>("sys/auth")).data;
  const audit = (await root.read<Record<string, unknown>>("sys/audit")).data;
  const roles: string[] = [];
  for (const [mount, { type }] of Object.entries(auth)) {
    if (["kubernetes", "jwt", "oidc", "approle"].includes(type))
      for (const role of await list(root, `auth/${mount}role`)) roles.push(`auth/${mount}role/${role}`);
  }
  for (const [mount, { type }] of Object.entries(mounts)) {
    if (type !== "database") continue;
    for (const kind of ["roles", "static-roles", "config"])
      for (const name of await list(root, `${mount}${kind}`)) roles.push(`${mount}${kind}/${name}`);
  }
  return {
    policies: (await list(root, "sys/policies/acl")).sort(),
    mounts: Object.keys(mounts).map(trimSlash).sort(),
    auth: Object.keys(auth).map(trimSlash).sort(),
    audit: Object.keys(audit).map(trimSlash).sort(),
    roles: roles.sort(),
  };
}

/** Everything either holds, kind by kind (the runbook's objects plus the program's). */
export function union(a: VaultState, b: VaultState): VaultState {
  const both = (x: string[], y: string[]) => [...new Set([...x, ...y])].sort();
  return {
    policies: both(a.policies, b.policies),
    mounts: both(a.mounts, b.mounts),
    auth: both(a.auth, b.auth),
    audit: both(a.audit, b.audit),
    roles: both(a.roles, b.roles),
  };
}

interface Step {
  readonly newState?: { readonly type: string; readonly inputs?: Record<string, unknown> };
}

/** The Vault objects a preview's steps declare, in the shape of `vaultState`. */
export function declaredVaultState(steps: readonly Step[]): VaultState {
  const of = (type: string) =>
    steps.filter((s) => s.newState?.type === type).map((s) => s.newState!.inputs ?? {});
  const str = (v: unknown) => String(v);
  return {
    policies: of("vault:index/policy:Policy")
      .map((i) => str(i.name))
      .sort(),
    mounts: of("vault:index/mount:Mount")
      .map((i) => str(i.path))
      .sort(),
    auth: of("vault:index/authBackend:AuthBackend")
      .concat(of("vault:jwt/authBackend:AuthBackend"))
      .map((i) => str(i.path))
      .sort(),
    audit: of("vault:index/audit:Audit")
      .map((i) => str(i.path))
      .sort(),
    roles: [
      ...of("vault:kubernetes/authBackendRole:AuthBackendRole"),
      ...of("vault:appRole/authBackendRole:AuthBackendRole"),
      ...of("vault:jwt/authBackendRole:AuthBackendRole"),
    ]
      .map((i) => `auth/${str(i.backend)}/role/${str(i.roleName)}`)
      .concat(
        of("vault:database/secretBackendRole:SecretBackendRole").map(
          (i) => `${str(i.backend)}/roles/${str(i.name)}`,
        ),
        of("vault:database/secretBackendStaticRole:SecretBackendStaticRole").map(
          (i) => `${str(i.backend)}/static-roles/${str(i.name)}`,
        ),
        of("vault:database/secretBackendConnection:SecretBackendConnection").map(
          (i) => `${str(i.backend)}/config/${str(i.name)}`,
        ),
      )
      .sort(),
  };
}

/** One Vault API call with a token that may read everything (root): status and parsed body. */
export type VaultCall = (method: "GET" | "LIST", apiPath: string) => Promise<{ status: number; json: any }>;

/**
 * Everything a Vault holds of the kinds a restore must bring back, with contents, for a diff:
 * each ACL policy's text; auth mounts (type, accessor) with each kubernetes, JWT/OIDC and
 * AppRole role and the Kubernetes mounts' configuration; secrets-engine mounts (type, accessor,
 * options) with every KV v2 secret's data and each database mount's connections and roles;
 * audit devices. No timestamps: KV metadata is only listed, its versions' data read.
 */
export async function vaultContents(call: VaultCall): Promise<Record<string, unknown>> {
  const read = async (apiPath: string) => {
    const answer = await call("GET", apiPath);
    if (answer.status !== 200) throw new Error(`GET ${apiPath}: HTTP ${answer.status}`);
    return answer.json.data as Record<string, any>;
  };
  const list = async (apiPath: string): Promise<string[]> => {
    const answer = await call("LIST", apiPath);
    if (answer.status === 404) return [];
    if (answer.status !== 200) throw new Error(`LIST ${apiPath}: HTTP ${answer.status}`);
    return (answer.json.data.keys as string[]).sort();
  };
  const contents: Record<string, unknown> = {};
  for (const name of await list("sys/policies/acl"))
    contents[`sys/policies/acl/${name}`] = (await read(`sys/policies/acl/${name}`)).policy;
  for (const [mount, auth] of Object.entries(await read("sys/auth"))) {
    contents[`sys/auth/${mount}`] = { type: auth.type, accessor: auth.accessor };
    if (auth.type === "kubernetes") contents[`auth/${mount}config`] = await read(`auth/${mount}config`);
    if (["kubernetes", "jwt", "oidc", "approle"].includes(auth.type))
      for (const role of await list(`auth/${mount}role`))
        contents[`auth/${mount}role/${role}`] = await read(`auth/${mount}role/${role}`);
  }
  const walk = async (mount: string, dir: string): Promise<void> => {
    for (const key of await list(`${mount}metadata/${dir}`)) {
      if (key.endsWith("/")) await walk(mount, `${dir}${key}`);
      else contents[`${mount}data/${dir}${key}`] = (await read(`${mount}data/${dir}${key}`)).data;
    }
  };
  for (const [mount, engine] of Object.entries(await read("sys/mounts"))) {
    contents[`sys/mounts/${mount}`] = {
      type: engine.type,
      accessor: engine.accessor,
      options: engine.options,
    };
    if (engine.type === "kv" && engine.options?.version === "2") await walk(mount, "");
    if (engine.type === "database")
      for (const kind of ["config", "roles", "static-roles"])
        for (const name of await list(`${mount}${kind}`))
          contents[`${mount}${kind}/${name}`] = await read(`${mount}${kind}/${name}`);
  }
  for (const [device, audit] of Object.entries(await read("sys/audit")))
    contents[`sys/audit/${device}`] = { type: audit.type, options: audit.options };
  return contents;
}
