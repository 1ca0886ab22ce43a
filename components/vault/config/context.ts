/** What every part of the configuration layer shares: where to register and with which provider. */
import type * as pulumi from "@pulumi/pulumi";
import type * as vault from "@pulumi/vault";
import type { LoadedStack } from "../../../stacks/loader";
import { setSecretHint, type VaultSettings } from "../../../stacks/schema";

export interface ConfigContext {
  readonly name: string;
  readonly stack: LoadedStack;
  readonly vault: VaultSettings;
  /**
   * `dependsOn` is a plain list: extending it must not need an Output, whose value (resources,
   * with their parents) the SDK walks for unknowns once per resource it is given to.
   */
  readonly opts: Omit<pulumi.CustomResourceOptions, "dependsOn"> & {
    readonly provider: vault.Provider;
    readonly dependsOn?: pulumi.Resource[];
  };
}

/** A secret config value the loader guarantees for this catalog, or an error naming the key. */
export function requiredSecret(stack: LoadedStack, key: string, path: string): pulumi.Output<string> {
  const value = stack.secrets.get(key);
  if (!value) {
    throw new Error(`${path}: config key ${JSON.stringify(key)} is missing; ${setSecretHint(key)}`);
  }
  return value;
}

/** A JWT/OIDC mount's path as an Output (the SDK types it optional, but it is always set here). */
export function jwtMountPath(backend: vault.jwt.AuthBackend, mountPath: string): pulumi.Output<string> {
  return backend.path.apply((p) => p ?? mountPath);
}
