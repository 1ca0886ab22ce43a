/**
 * Every Vault policy the component writes, parsed by HashiCorp's HCL parser and compared
 * with what the catalog implies, for every shipped stack.
 */
import * as assert from "node:assert/strict";
import { parse } from "@cdktf/hcl2json";
import { ENVIRONMENTS, type Catalog, type Workload } from "../../../stacks/schema";
import type { RecordedResource } from "../../../tools/offline/types";
import { ofType, shippedCatalog } from "../../support/offline";
import { recordVault } from "./support";

type Parsed = { path: Record<string, Array<{ capabilities: string[] }>> };

async function parsePolicy(name: string, text: string): Promise<Record<string, string[]>> {
  const doc = (await parse(`${name}.hcl`, text)) as Parsed;
  return Object.fromEntries(
    Object.entries(doc.path).map(([path, blocks]) => {
      assert.equal(blocks.length, 1, `${name}: path ${path} declared more than once`);
      return [path, [...blocks[0].capabilities].sort()];
    }),
  );
}

/** Written from the catalog's meaning, independently of components/vault/plan.ts. */
function expectedWorkloadPaths(catalog: Catalog, workload: Workload): Record<string, string[]> {
  const expected: Record<string, string[]> = {};
  for (const s of workload.secrets) {
    if (s.source === "vault-kv") expected[`kv-${catalog.environment}/data/${s.path}`] = ["read"];
    if (s.source === "vault-database") {
      const path =
        s.credential === "static"
          ? `static-creds/${s.database}-static-${s.username}`
          : `creds/${s.database}-${s.access}`;
      expected[`database-${catalog.environment}/${path}`] = ["read"];
    }
  }
  return expected;
}

/**
 * The API paths the vault provider (terraform-provider-vault 5.8.0, inside pulumi-vault 7.8.0)
 * reads to refresh one resource, from its inputs: written from the provider's read functions,
 * independently of components/vault/policies.ts (live-vault.test.ts checks it against Vault's
 * audit log). `sys/audit` is root-protected: Vault wants sudo even to read it.
 */
function refreshReads(r: RecordedResource): Record<string, string[]> {
  const i = r.inputs as Record<string, string>;
  const read = (...paths: string[]) => Object.fromEntries(paths.map((p) => [p, ["read"]]));
  const sudoRead = (path: string) => ({ [path]: ["read", "sudo"] });
  // The Vault API client's GetAuth reads sys/mounts/auth/<path> (sys/auth/<path> would need sudo).
  const authMount = (path: string) => read(`sys/mounts/auth/${path}`, `sys/mounts/auth/${path}/tune`);
  switch (r.type) {
    case "pulumi:providers:vault":
      return read("auth/token/lookup-self"); // at configure time; the token's own look-up
    case "vault:index/policy:Policy":
      return read(`sys/policies/acl/${i.name}`);
    case "vault:index/mount:Mount":
      return read(`sys/mounts/${i.path}`);
    case "vault:kv/secretBackendV2:SecretBackendV2":
      return read(`${i.mount}/config`);
    case "vault:database/secretBackendConnection:SecretBackendConnection":
      return read(`${i.backend}/config/${i.name}`);
    case "vault:database/secretBackendRole:SecretBackendRole":
      return read(`${i.backend}/roles/${i.name}`);
    case "vault:database/secretBackendStaticRole:SecretBackendStaticRole":
      return read(`${i.backend}/static-roles/${i.name}`);
    case "vault:index/authBackend:AuthBackend":
      return authMount(i.path);
    case "vault:jwt/authBackend:AuthBackend":
      return { ...authMount(i.path), ...read(`auth/${i.path}/config`) };
    case "vault:kubernetes/authBackendConfig:AuthBackendConfig":
      return read(`auth/${i.backend}/config`);
    case "vault:kubernetes/authBackendRole:AuthBackendRole":
    case "vault:jwt/authBackendRole:AuthBackendRole":
      return read(`auth/${i.backend}/role/${i.roleName}`);
    case "vault:appRole/authBackendRole:AuthBackendRole":
      return read(`auth/${i.backend}/role/${i.roleName}`, `auth/${i.backend}/role/${i.roleName}/role-id`);
    case "vault:index/audit:Audit":
      return sudoRead("sys/audit");
    case "vault:generic/endpoint:Endpoint":
      // A write-only call (rotate-root): with disableRead the provider never reads it back.
      assert.equal(r.inputs.disableRead, true, `${r.name}: a generic endpoint the provider reads back`);
      return {};
    default:
      throw new Error(
        `${r.type}: what does the provider read to refresh it? Add it here and to previewPolicy`,
      );
  }
}

for (const env of ENVIRONMENTS) {
  describe(`Vault policies of the shipped ${env} stack (HCL parser)`, () => {
    const catalog = shippedCatalog(env);
    let policies: Map<string, string>;
    let resources: RecordedResource[];

    before(async () => {
      resources = await recordVault(catalog);
      policies = new Map(
        ofType(resources, "vault:index/policy:Policy").map((r) => [
          String(r.inputs.name),
          String(r.inputs.policy),
        ]),
      );
    });

    it("one policy per Vault-reading workload with read on exactly its paths", async () => {
      const vaultReaders = catalog.workloads.filter(
        (w) => Object.keys(expectedWorkloadPaths(catalog, w)).length > 0,
      );
      const workloadPolicies = [...policies.keys()].filter((n) => n.startsWith("workload-")).sort();
      assert.deepEqual(workloadPolicies, vaultReaders.map((w) => `workload-${w.name}`).sort());
      for (const w of vaultReaders) {
        const parsed = await parsePolicy(w.name, policies.get(`workload-${w.name}`)!);
        assert.deepEqual(parsed, expectedWorkloadPaths(catalog, w), `policy of ${w.name}`);
      }
    });

    it("no workload or AppRole policy holds sudo, a wildcard or sys/", async () => {
      for (const [name, text] of policies) {
        if (!name.startsWith("workload-") && !name.startsWith("approle-")) continue;
        const parsed = await parsePolicy(name, text);
        for (const [path, caps] of Object.entries(parsed)) {
          assert.ok(!path.includes("*") && !path.includes("+"), `${name}: wildcard in ${path}`);
          assert.ok(!path.startsWith("sys/"), `${name}: ${path}`);
          assert.deepEqual(caps, ["read"], `${name}: ${path}`);
        }
      }
    });

    it("AppRole policies read exactly their KV paths", async () => {
      for (const appRole of catalog.vault?.appRoles ?? []) {
        const parsed = await parsePolicy(appRole.name, policies.get(`approle-${appRole.name}`)!);
        assert.deepEqual(
          parsed,
          Object.fromEntries(appRole.kvPaths.map((p) => [`kv-${catalog.environment}/data/${p}`, ["read"]])),
        );
      }
    });

    it("the operator policy cannot write policies, auth methods or audit devices", async () => {
      const parsed = await parsePolicy("operator", policies.get("operator")!);
      for (const [path, caps] of Object.entries(parsed)) {
        if (path.startsWith("sys/policies") || path.startsWith("sys/auth") || path.startsWith("auth/")) {
          assert.ok(
            caps.every((c) => c === "read" || c === "list"),
            `operator: ${path} ${caps.join(",")}`,
          );
        }
        assert.ok(!path.startsWith("sys/audit"), `operator: ${path}`);
      }
      assert.deepEqual(parsed[`kv-${catalog.environment}/data/*`], [
        "create",
        "delete",
        "patch",
        "read",
        "update",
      ]);
    });

    it(`platform-preview grants exactly what refreshing this configuration reads${catalog.vault?.jwt ? "" : " (none: no CI login carries it)"}`, async () => {
      if (!catalog.vault?.jwt) return assert.equal(policies.get("platform-preview"), undefined);
      const vaultSide = resources.filter(
        (r) => (r.custom && r.type.startsWith("vault:")) || r.type === "pulumi:providers:vault",
      );
      const expected = Object.assign({}, ...vaultSide.map(refreshReads)) as Record<string, string[]>;
      const parsed = await parsePolicy("platform-preview", policies.get("platform-preview")!);
      assert.deepEqual(parsed, expected);
      // Never secret data, credentials, tokens or writes.
      for (const [path, caps] of Object.entries(parsed)) {
        assert.doesNotMatch(path, /\/(data|metadata|creds|static-creds)\/|^auth\/token\/create|\*|\+/, path);
        assert.ok(
          caps.every((c) => c === "read" || c === "sudo"),
          `${path}: ${caps.join(",")}`,
        );
      }
    });

    it("the break-glass and deployer policies parse", async () => {
      assert.deepEqual(await parsePolicy("break-glass", policies.get("break-glass")!), {
        "*": ["create", "delete", "list", "patch", "read", "sudo", "update"],
      });
      const deployer = await parsePolicy("platform-deployer", policies.get("platform-deployer")!);
      assert.deepEqual(deployer["sys/policies/acl/*"], ["create", "delete", "list", "read", "update"]);
      // The provider acts with the deployer's token itself (skipChildToken): it mints none.
      assert.equal(deployer["auth/token/create"], undefined);
    });

    it("the deployer manages the database engine's configuration and rotates exactly its connections' roots, never reading credentials", async () => {
      const deployer = await parsePolicy("platform-deployer", policies.get("platform-deployer")!);
      const db = `database-${env}`;
      const connections = new Set(
        catalog.workloads.flatMap((w) =>
          w.secrets.flatMap((s) => (s.source === "vault-database" ? [s.database] : [])),
        ),
      );
      const crud = ["create", "delete", "list", "read", "update"];
      const expected: Record<string, string[]> = {
        [`${db}/config/*`]: crud,
        [`${db}/roles/*`]: crud,
        [`${db}/static-roles/*`]: crud,
        ...Object.fromEntries([...connections].map((name) => [`${db}/rotate-root/${name}`, ["update"]])),
      };
      const granted = Object.fromEntries(
        Object.entries(deployer).filter(([path]) => path.startsWith(`${db}/`)),
      );
      assert.deepEqual(granted, expected);
    });
  });
}
