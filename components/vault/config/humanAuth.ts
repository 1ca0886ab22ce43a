/**
 * Logins for automation and people: AppRole (CIDR-bound, few secret-id uses), GitHub Actions
 * JWT bound to one repository and branch, and OIDC for operators with a separate,
 * short-lived break-glass role.
 */
import * as vault from "@pulumi/vault";
import { appRolePolicyName, BREAK_GLASS_POLICY, DEPLOYER_POLICY, OPERATOR_POLICY } from "../policies";
import { type ConfigContext, jwtMountPath, requiredSecret } from "./context";
import type { PolicyNames } from "./policies";

/** The Vault CLI's local listener for `vault login -method=oidc`. */
const CLI_CALLBACK = "http://localhost:8250/oidc/callback";
/** Break-glass logins need an identity-provider authentication at most this old. */
const BREAK_GLASS_MAX_AUTH_AGE_SECONDS = 300;

export function createAppRoles(ctx: ConfigContext, policies: PolicyNames): void {
  if (ctx.vault.appRoles.length === 0) return;
  const { profile } = ctx.stack;
  const backend = new vault.AuthBackend(
    `${ctx.name}-auth-approle`,
    { type: "approle", path: "approle", description: "Automation outside Kubernetes" },
    ctx.opts,
  );
  for (const appRole of ctx.vault.appRoles) {
    new vault.approle.AuthBackendRole(
      `${ctx.name}-approle-${appRole.name}`,
      {
        backend: backend.path,
        roleName: appRole.name,
        bindSecretId: true,
        secretIdTtl: profile.vault.approleSecretIdTtlSeconds,
        secretIdNumUses: profile.vault.approleSecretIdUses,
        secretIdBoundCidrs: appRole.boundCidrs,
        tokenBoundCidrs: appRole.boundCidrs,
        tokenPolicies: [policies.require(appRolePolicyName(appRole.name))],
        tokenTtl: profile.vault.workloadTokenTtlSeconds,
        tokenMaxTtl: profile.vault.workloadTokenTtlSeconds,
      },
      ctx.opts,
    );
  }
}

/** GitHub Actions on the catalog's repository and branch may deploy this configuration. */
export function createGithubJwt(ctx: ConfigContext, policies: PolicyNames): void {
  const jwt = ctx.vault.jwt;
  if (!jwt) return;
  const owner = jwt.githubRepository.split("/")[0];
  const backend = new vault.jwt.AuthBackend(
    `${ctx.name}-auth-github`,
    {
      type: "jwt",
      path: "jwt-github",
      description: `GitHub Actions of ${jwt.githubRepository}`,
      oidcDiscoveryUrl: jwt.issuerUrl,
      boundIssuer: jwt.issuerUrl,
    },
    ctx.opts,
  );
  const ttl = ctx.stack.profile.vault.workloadTokenTtlSeconds;
  new vault.jwt.AuthBackendRole(
    `${ctx.name}-auth-github-deploy`,
    {
      backend: jwtMountPath(backend, "jwt-github"),
      roleName: "deploy",
      roleType: "jwt",
      // GitHub's default audience for OIDC tokens is the owner's URL (on GitHub Enterprise
      // Server `https://<host>/<owner>`: set `audience`), unless the workflow asks for another.
      boundAudiences: [jwt.audience ?? `https://github.com/${owner}`],
      boundClaimsType: "string",
      boundClaims: { repository: jwt.githubRepository, ref: `refs/heads/${jwt.githubBranch}` },
      userClaim: "actor",
      tokenPolicies: [policies.require(DEPLOYER_POLICY)],
      tokenTtl: ttl,
      tokenMaxTtl: ttl,
    },
    ctx.opts,
  );
}

export function createOidc(ctx: ConfigContext, policies: PolicyNames): void {
  const oidc = ctx.vault.oidc;
  if (!oidc) return;
  const { profile } = ctx.stack;
  const backend = new vault.jwt.AuthBackend(
    `${ctx.name}-auth-oidc`,
    {
      type: "oidc",
      path: "oidc",
      description: "Operators through the identity provider",
      oidcDiscoveryUrl: oidc.discoveryUrl,
      oidcClientId: oidc.clientId,
      oidcClientSecret: requiredSecret(
        ctx.stack,
        oidc.clientSecretConfigKey,
        "vault.oidc.clientSecretConfigKey",
      ),
      defaultRole: "operator",
    },
    ctx.opts,
  );
  const redirects = [`${ctx.vault.address}/ui/vault/auth/oidc/oidc/callback`, CLI_CALLBACK];
  const humanRole = (
    role: string,
    policy: string,
    ttl: number,
    extra: Partial<vault.jwt.AuthBackendRoleArgs>,
  ) =>
    new vault.jwt.AuthBackendRole(
      `${ctx.name}-auth-oidc-${role}`,
      {
        backend: jwtMountPath(backend, "oidc"),
        roleName: role,
        roleType: "oidc",
        userClaim: "sub",
        groupsClaim: "groups",
        oidcScopes: ["openid", "profile", "email", "groups"],
        allowedRedirectUris: redirects,
        boundClaims: { groups: oidc.operatorGroups.join(",") },
        tokenPolicies: [policies.require(policy)],
        tokenTtl: ttl,
        tokenMaxTtl: ttl,
        ...extra,
      },
      ctx.opts,
    );
  // A working session lasts as long as a dynamic credential of this environment.
  humanRole("operator", OPERATOR_POLICY, profile.dynamicCredential.ttlSeconds, {});
  humanRole("break-glass", BREAK_GLASS_POLICY, profile.vault.breakGlassTokenTtlSeconds, {
    maxAge: BREAK_GLASS_MAX_AUTH_AGE_SECONDS,
    tokenNoDefaultPolicy: true,
    verboseOidcLogging: false,
  });
}
