/**
 * The second layer: auth methods, secrets engines, policies and audit devices derived from
 * the catalog, applied through an explicit Vault provider. Deployed only once the cluster is
 * initialised and a token is in config (`vault.configure`, docs/runbooks/vault-init.md).
 */
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import type { LoadedStack } from "../../stacks/loader";
import { createAudit } from "./config/audit";
import { type ConfigContext, requiredSecret } from "./config/context";
import { createAppRoles, createGithubJwt, createOidc } from "./config/humanAuth";
import { createKubernetesAuth } from "./config/kubernetesAuth";
import { createPolicies } from "./config/policies";
import { createDatabaseEngine, createKv } from "./config/secretEngines";
import { databaseRoles } from "./plan";

export interface VaultConfigurationArgs {
  /** The catalog's `vault.address` and `vault.caCertFile` say where Vault is and whom to trust. */
  readonly stack: LoadedStack;
}

export class VaultConfiguration extends pulumi.ComponentResource {
  public readonly provider: vault.Provider;
  /** Policy names by purpose, for the runbooks and the access map. */
  public readonly policyNames: pulumi.Output<string[]>;

  constructor(name: string, args: VaultConfigurationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secrets-platform:vault:VaultConfiguration", name, {}, opts);
    const { stack } = args;
    const settings = stack.catalog.vault;
    if (!settings) throw new Error("VaultConfiguration: the catalog has no vault section");
    if (!settings.configure) {
      throw new Error(
        "VaultConfiguration: vault.configure is false; deploy the cluster only (docs/runbooks/vault-init.md)",
      );
    }
    // Validate before registering anything: a refused role must not leave half a configuration.
    databaseRoles(stack.catalog);
    const token = requiredSecret(stack, settings.tokenConfigKey, "vault.tokenConfigKey");

    this.provider = new vault.Provider(
      `${name}-provider`,
      {
        address: settings.address,
        token: pulumi.secret(token),
        // A project file (committed), so state names a path that exists on every machine
        // running refresh or destroy, not a copy in one machine's temporary directory.
        caCertFile: settings.caCertFile,
        tlsServerName: new URL(settings.address).hostname,
        skipTlsVerify: false,
        // Child tokens outlive a slow apply but not a working day.
        maxLeaseTtlSeconds: stack.profile.vault.breakGlassTokenTtlSeconds * 2,
      },
      { parent: this },
    );
    const ctx: ConfigContext = {
      name,
      stack,
      vault: settings,
      opts: { parent: this, provider: this.provider },
    };

    const policies = createPolicies(ctx);
    // After the deployer's own policy on create, before it on delete (PolicyNames.deployer).
    const afterDeployer: ConfigContext = { ...ctx, opts: { ...ctx.opts, dependsOn: [policies.deployer] } };
    createKv(afterDeployer);
    createDatabaseEngine(afterDeployer);
    createKubernetesAuth(afterDeployer, policies);
    createAppRoles(afterDeployer, policies);
    createGithubJwt(afterDeployer, policies);
    createOidc(afterDeployer, policies);
    createAudit(afterDeployer);

    this.policyNames = pulumi.output([...policies.names]);
    this.registerOutputs({ policyNames: this.policyNames });
  }
}
