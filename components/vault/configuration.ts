/**
 * The second layer: auth methods, secrets engines, policies and audit devices derived from
 * the catalog, applied through an explicit Vault provider. Deployed only once the cluster is
 * initialised and a token is in config (`vault.configure`, docs/runbooks/vault-init.md).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import type { VaultConnection } from "../interfaces";
import type { LoadedStack } from "../../stacks/loader";
import { createAudit } from "./config/audit";
import { type ConfigContext, requiredSecret } from "./config/context";
import { createAppRoles, createGithubJwt, createOidc } from "./config/humanAuth";
import { createKubernetesAuth } from "./config/kubernetesAuth";
import { createPolicies } from "./config/policies";
import { createDatabaseEngine, createKv } from "./config/secretEngines";
import { databaseRoles } from "./plan";

export interface VaultConfigurationArgs {
  readonly stack: LoadedStack;
  /** Where the provider reaches Vault and which CA it trusts (the VaultCluster's outputs). */
  readonly connection: VaultConnection;
}

/**
 * The Vault provider takes a CA file, not PEM text: write the cluster's bundle next to the
 * program's temporary files. A CA certificate is public, so the file is not sensitive.
 */
function caCertFile(name: string, caBundle: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(caBundle).apply((pem) => {
    const file = path.join(os.tmpdir(), `${pulumi.getProject()}-${pulumi.getStack()}-${name}-ca.pem`);
    fs.writeFileSync(file, pem, { mode: 0o644 });
    return file;
  });
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
        caCertFile: caCertFile(name, args.connection.caBundle),
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
    createKv(ctx);
    createDatabaseEngine(ctx);
    createKubernetesAuth(ctx, policies);
    createAppRoles(ctx, policies);
    createGithubJwt(ctx, policies);
    createOidc(ctx, policies);
    createAudit(ctx);

    this.policyNames = pulumi.output([...policies.names]);
    this.registerOutputs({ policyNames: this.policyNames });
  }
}
