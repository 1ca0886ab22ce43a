/**
 * The second layer: auth methods, secrets engines, policies and audit devices derived from
 * the catalog, applied through an explicit Vault provider. Deployed only once the cluster is
 * initialised (`vault.configure`, docs/runbooks/vault-init.md), with the ambient Vault token or
 * the one in `vault.tokenConfigKey`.
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
    // Without a config key the provider takes the ambient token (VAULT_TOKEN, or `vault login`'s):
    // in CI the job's own login, so no long-lived token sits in config or state.
    const token = settings.tokenConfigKey
      ? pulumi.secret(requiredSecret(stack, settings.tokenConfigKey, "vault.tokenConfigKey"))
      : undefined;

    this.provider = new vault.Provider(
      `${name}-provider`,
      {
        address: settings.address,
        token,
        // A project file (committed), so state names a path that exists on every machine
        // running refresh or destroy, not a copy in one machine's temporary directory.
        caCertFile: settings.caCertFile,
        tlsServerName: new URL(settings.address).hostname,
        skipTlsVerify: false,
        // Act with the given token itself rather than a child of it: that token is already the
        // job's short-lived login (or the operator's), and no policy then needs
        // auth/token/create — least of all the read-only one of previews.
        skipChildToken: true,
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
    // The audit devices next, and every engine and auth method after them (deleted before
    // them): each change is audited, and none races a device's first write. Vault 1.21.1 fails
    // a request it cannot audit while a new device persists its salt ("cannot write to storage
    // during setup", HTTP 500) after it may have applied it; the provider then retries, and a
    // mount that did happen answers "path is already in use" (seen on pods and in CI).
    const audits = createAudit(afterDeployer);
    const afterAudit: ConfigContext = {
      ...ctx,
      opts: { ...ctx.opts, dependsOn: [policies.deployer, ...audits] },
    };
    createKv(afterAudit);
    createDatabaseEngine(afterAudit);
    createKubernetesAuth(afterAudit, policies);
    createAppRoles(afterAudit, policies);
    createGithubJwt(afterAudit, policies);
    createOidc(afterAudit, policies);

    this.policyNames = pulumi.output([...policies.names]);
    this.registerOutputs({ policyNames: this.policyNames });
  }
}
