/**
 * Applies the Vault resources a program registered to a real Vault, making the API calls the
 * Pulumi Vault provider (terraform-provider-vault) makes for them: the resource's arguments in
 * snake_case, to the endpoint of its type. What the offline runtime recorded is what `pulumi
 * up` would send; this is the provider's half, written out for the types the platform uses
 * (any other type fails the test rather than being skipped).
 */
import type { RecordedResource } from "../../../../tools/offline/types";
import type { VaultClient } from "./server";

/** Environment-specific values a test must replace to run on one machine; nothing else changes. */
export interface Localisation {
  /** The local stand-in for an issuer or discovery URL. */
  readonly issuerUrl: (real: string) => string;
  /** Where the file audit device writes here instead of the audit volume. */
  readonly auditFilePath: string;
  /** The Kubernetes API Vault's Kubernetes auth asks for TokenReviews. */
  readonly kubernetesHost: string;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Top-level arguments in snake_case, without those that name the endpoint instead. */
function body(inputs: Record<string, unknown>, ...omit: string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(inputs)
      .filter(([key]) => !omit.includes(key))
      .map(([key, value]) => [snake(key), value]),
  );
}

const DATABASE_PLUGINS = {
  postgresql: "postgresql-database-plugin",
  mysql: "mysql-database-plugin",
} as const;

type Call = readonly [path: string, body: Record<string, unknown>];

function callsFor(r: RecordedResource, local: Localisation): Call[] | "skip" {
  const i = r.inputs as Record<string, never>;
  switch (r.type) {
    case "pulumi:providers:vault":
      return [];
    case "vault:index/policy:Policy":
      return [[`sys/policies/acl/${i.name}`, { policy: i.policy }]];
    case "vault:index/mount:Mount":
      return [[`sys/mounts/${i.path}`, body(i, "path")]];
    case "vault:index/authBackend:AuthBackend":
      return [[`sys/auth/${i.path}`, body(i, "path")]];
    case "vault:index/audit:Audit": {
      // A syslog device needs a syslog daemon on the host, which this machine does not run.
      if (i.type === "syslog") return "skip";
      const options =
        i.type === "file" ? { ...(i.options as object), file_path: local.auditFilePath } : i.options;
      return [[`sys/audit/${i.path}`, { ...body(i, "path"), options }]];
    }
    case "vault:kv/secretBackendV2:SecretBackendV2":
      return [[`${i.mount}/config`, body(i, "mount")]];
    case "vault:jwt/authBackend:AuthBackend": {
      const config = body(i, "path", "type", "description");
      for (const key of ["oidc_discovery_url", "bound_issuer"]) {
        if (typeof config[key] === "string") config[key] = local.issuerUrl(config[key] as string);
      }
      return [
        [`sys/auth/${i.path}`, { type: i.type, description: i.description }],
        [`auth/${i.path}/config`, config],
      ];
    }
    case "vault:jwt/authBackendRole:AuthBackendRole":
    case "vault:kubernetes/authBackendRole:AuthBackendRole":
    case "vault:appRole/authBackendRole:AuthBackendRole":
      return [[`auth/${i.backend}/role/${i.roleName}`, body(i, "backend", "roleName")]];
    case "vault:kubernetes/authBackendConfig:AuthBackendConfig":
      // In its pod Vault reads the cluster CA and its own reviewer token from the mounted
      // service account; here there is no pod, so the workload's token reviews itself.
      return [
        [
          `auth/${i.backend}/config`,
          { ...body(i, "backend"), kubernetes_host: local.kubernetesHost, disable_local_ca_jwt: true },
        ],
      ];
    case "vault:database/secretBackendConnection:SecretBackendConnection": {
      const engine = (["postgresql", "mysql"] as const).find((e) => i[e] !== undefined);
      if (!engine) throw new Error(`${r.name}: a connection with neither postgresql nor mysql settings`);
      return [
        [
          `${i.backend}/config/${i.name}`,
          {
            ...body(i, "backend", "name", engine),
            plugin_name: DATABASE_PLUGINS[engine],
            ...body(i[engine]),
          },
        ],
      ];
    }
    case "vault:database/secretBackendRole:SecretBackendRole":
      return [[`${i.backend}/roles/${i.name}`, body(i, "backend", "name")]];
    case "vault:database/secretBackendStaticRole:SecretBackendStaticRole":
      return [[`${i.backend}/static-roles/${i.name}`, body(i, "backend", "name")]];
    default:
      throw new Error(`no Vault API mapping for ${r.type} (${r.name}); add one to apply.ts`);
  }
}

/**
 * Applies every Vault resource in registration order (the order the engine would create
 * them: a resource registers only once the outputs it takes are known). Returns the names of
 * the resources skipped, so a test can assert exactly which.
 */
export async function applyToVault(
  resources: readonly RecordedResource[],
  client: VaultClient,
  local: Localisation,
): Promise<{ skipped: string[] }> {
  const skipped: string[] = [];
  for (const r of resources.filter((x) => x.custom && /^(vault:|pulumi:providers:vault$)/.test(x.type))) {
    const calls = callsFor(r, local);
    if (calls === "skip") {
      skipped.push(r.name);
      continue;
    }
    for (const [path, payload] of calls) await client.write(path, payload);
  }
  return { skipped };
}
