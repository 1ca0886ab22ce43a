/**
 * What the library's consumer suites share: the npm package as `npm pack` makes it, installed
 * into a team's program from the npm cache only; and the platform's side of Vault, set up the
 * way its operators would (a Kubernetes auth mount reviewing logins against the real API
 * server, a scoped token for the team, the workload's namespace and service account).
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { renderPolicy } from "../../components/vault/policies";
import { LIBRARY_DIR } from "../../tools/build-library";
import { type VaultClient, VaultError } from "../integration/vault/live/server";
import { PROJECT_DIR } from "../support/offline";
import {
  createNamespace,
  createReviewer,
  createServiceAccount,
  type Kube,
  removeNamespace,
  requestToken,
  uniqueName,
} from "./kube";

const run = promisify(execFile);
const npm = (args: readonly string[], cwd: string) =>
  run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    env: { ...process.env, npm_config_update_notifier: "false" },
    maxBuffer: 16 << 20,
  });

const seconds = (started: number) => (Date.now() - started) / 1000;

/** `npm pack` of library/ (its prepack builds it) into `dir`: the tarball's path, size and time. */
export async function packLibrary(dir: string): Promise<{ tarball: string; bytes: number; seconds: number }> {
  const started = Date.now();
  const { stdout } = await npm(["pack", "--pack-destination", dir], LIBRARY_DIR);
  const tarball = path.join(dir, stdout.trim().split("\n").pop()!);
  return { tarball, bytes: fs.statSync(tarball).size, seconds: seconds(started) };
}

/**
 * `npm ci --offline` in `dir` from a lockfile fitted to its package.json: the lockfile starts
 * from the repository's (every registry package named is pinned there, so the root's `npm ci`
 * has cached its tarball) and `npm install --package-lock-only --prefer-offline` fits it. The
 * fitting reads packages' registry metadata, which `npm ci` never caches: on a machine whose npm
 * cache holds only what the root's `npm ci` put there, `--offline` failed (ERESOLVE, "Found:
 * @pulumi/pulumi@undefined"), so the metadata may come from the registry; the install itself
 * stays offline, so a package missing from the cache fails (ENOTCACHED).
 */
async function installOffline(dir: string): Promise<void> {
  fs.copyFileSync(path.join(PROJECT_DIR, "package-lock.json"), path.join(dir, "package-lock.json"));
  await npm(["install", "--package-lock-only", "--prefer-offline", "--ignore-scripts"], dir);
  await npm(["ci", "--offline", "--ignore-scripts"], dir);
}

/** A TypeScript program naming the library as `file:secrets-platform.tgz`: the tarball copied in, installed. */
export async function installProgram(programDir: string, tarball: string): Promise<{ seconds: number }> {
  const started = Date.now();
  fs.copyFileSync(tarball, path.join(programDir, "secrets-platform.tgz"));
  await installOffline(programDir);
  return { seconds: seconds(started) };
}

/**
 * The component package as a program in another language holds it: the tarball unpacked into
 * `<programDir>/secrets-platform` with its dependencies installed there (the package is then
 * its own npm project: `@pulumi/pulumi` is its pinned devDependency). The CLI runs `npm
 * install` in a source plugin's directory before using it; with everything installed that
 * changes nothing.
 */
export async function installComponentPackage(programDir: string, tarball: string): Promise<string> {
  const unpacked = path.join(programDir, ".unpack");
  fs.mkdirSync(unpacked);
  await run("tar", ["-xzf", tarball, "-C", unpacked]);
  const dir = path.join(programDir, "secrets-platform");
  fs.renameSync(path.join(unpacked, "package"), dir);
  fs.rmSync(unpacked, { recursive: true });
  await installOffline(dir);
  return dir;
}

/** The KV v2 mount of Vault's dev server, and the auth mount the platform enables. */
export const KV_MOUNT = "secret";
export const AUTH_MOUNT = "kubernetes";

export interface PlatformSide {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** A token for the team: policies, roles and KV entries of its own names, nothing else. */
  readonly teamToken: string;
  remove(): Promise<void>;
}

/**
 * The platform operators' part: the workload's namespace and service account, a reviewer bound
 * to `system:auth-delegator` only, the Kubernetes auth mount configured with the API server's
 * URL and CA, and the team's token, scoped to names starting with `team`.
 */
export async function platformSide(
  kube: Kube,
  vault: VaultClient,
  team: string,
  serviceAccount: string,
): Promise<PlatformSide> {
  const namespace = uniqueName(`sp-${team}`);
  await createNamespace(kube.admin, namespace);
  await createServiceAccount(kube.admin, namespace, serviceAccount);
  const reviewer = await createReviewer(kube.admin, namespace, "vault-reviewer");
  await vault.write(`sys/auth/${AUTH_MOUNT}`, { type: "kubernetes" });
  await vault.write(`auth/${AUTH_MOUNT}/config`, {
    kubernetes_host: kube.settings.url,
    kubernetes_ca_cert: kube.caPem,
    disable_local_ca_jwt: true,
    token_reviewer_jwt: reviewer.token,
  });
  const crud = ["create", "read", "update", "delete", "list"] as const;
  await vault.request("PUT", `sys/policies/acl/team-${team}`, {
    policy: renderPolicy([
      { path: `sys/policies/acl/workload-${namespace}-*`, capabilities: crud },
      { path: `auth/${AUTH_MOUNT}/role/${namespace}-*`, capabilities: crud },
      { path: `${KV_MOUNT}/data/${team}/*`, capabilities: crud },
      { path: `${KV_MOUNT}/metadata/${team}/*`, capabilities: crud },
      // The Vault provider works with a child token of the one it is given.
      { path: "auth/token/create", capabilities: ["update"] },
    ]),
  });
  const { auth } = await vault.write("auth/token/create", { policies: [`team-${team}`], ttl: "2h" });
  return {
    namespace,
    serviceAccount,
    teamToken: auth!.client_token,
    async remove() {
      await kube.admin.delete(reviewer.bindingPath).catch(() => undefined);
      await removeNamespace(kube.admin, namespace);
    },
  };
}

/** The stack outputs every consumer program exports. */
export interface AccessOutputs {
  readonly role: string;
  readonly policy: string;
  readonly loginPath: string;
  readonly readPaths: readonly string[];
}

/** What the defaults of VaultWorkloadAccess give for the platform's namespace and `orders-api`. */
export function expectedOutputs(platform: PlatformSide): AccessOutputs {
  return {
    role: `${platform.namespace}-${platform.serviceAccount}`,
    policy: `workload-${platform.namespace}-${platform.serviceAccount}`,
    loginPath: `auth/${AUTH_MOUNT}/login`,
    readPaths: [`${KV_MOUNT}/data/orders/db`],
  };
}

/**
 * The access as Vault holds it and as the workload sees it: the role binds exactly the service
 * account, namespace and audience with the policy; a TokenRequest token of that service account
 * for `vault` logs in and reads `orders/db` (its password: 32 letters and digits, returned);
 * everything else is denied; a token for another audience is refused.
 */
export async function assertWorkloadAccess(
  kube: Kube,
  vault: VaultClient,
  platform: PlatformSide,
  outputs: AccessOutputs,
): Promise<string> {
  const { data } = await vault.read<{
    bound_service_account_names: string[];
    bound_service_account_namespaces: string[];
    audience: string;
    token_policies: string[];
    token_ttl: number;
  }>(`auth/${AUTH_MOUNT}/role/${outputs.role}`);
  assert.deepEqual(data.bound_service_account_names, [platform.serviceAccount]);
  assert.deepEqual(data.bound_service_account_namespaces, [platform.namespace]);
  assert.equal(data.audience, "vault");
  assert.deepEqual(data.token_policies, [outputs.policy]);
  assert.equal(data.token_ttl, 900);

  const token = (audiences: string[]) =>
    requestToken(kube.admin, platform.namespace, platform.serviceAccount, {
      audiences,
      expirationSeconds: 600,
    });
  const { auth } = await vault.write(outputs.loginPath, { role: outputs.role, jwt: await token(["vault"]) });
  const workload = vault.withToken(auth!.client_token);
  const secret = await workload.read<{ data: { password: string } }>(`${KV_MOUNT}/data/orders/db`);
  assert.match(secret.data.data.password, /^[A-Za-z0-9]{32}$/);
  for (const denied of ["sys/mounts", `${KV_MOUNT}/data/orders/other`, `${KV_MOUNT}/metadata/orders/db`]) {
    await assert.rejects(workload.read(denied), (e) => e instanceof VaultError && e.status === 403, denied);
  }
  await assert.rejects(
    vault.write(outputs.loginPath, { role: outputs.role, jwt: await token(["not-vault"]) }),
    (e) => e instanceof VaultError && /invalid audience/.test(e.errors.join(" ")),
  );
  return secret.data.data.password;
}

/** After destroy: neither the role nor the policy is left in Vault. */
export async function assertAccessRemoved(vault: VaultClient, outputs: AccessOutputs): Promise<void> {
  for (const apiPath of [`auth/${AUTH_MOUNT}/role/${outputs.role}`, `sys/policies/acl/${outputs.policy}`]) {
    await assert.rejects(vault.read(apiPath), (e) => e instanceof VaultError && e.status === 404, apiPath);
  }
}
