/**
 * Logins for automation and people: AppRole (CIDR-bound, few secret-id uses), GitHub Actions
 * JWT per kind of job (deploy, pull-request preview, drift check), and OIDC for operators with a separate,
 * short-lived break-glass role.
 */
import * as vault from "@pulumi/vault";
import { vaultNames } from "../../../stacks/naming";
import {
  appRolePolicyName,
  BREAK_GLASS_POLICY,
  DEPLOYER_POLICY,
  OPERATOR_POLICY,
  PREVIEW_POLICY,
} from "../policies";
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
    { type: "approle", path: vaultNames.appRoleMount, description: "Automation outside Kubernetes" },
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

/**
 * GitHub Actions logins, one role per kind of job, each bound to claims GitHub sets and a job
 * cannot choose: `deploy` only for the deploy workflow's jobs in the GitHub environment named
 * after the catalog's environment (its reviewers and branch rules apply) on the deploy branch;
 * `preview` for pull requests into the deploy branch and `drift` for the drift workflow on it,
 * both read-only (`platform-preview`, without the default policy) and short-lived.
 */
export function createGithubJwt(ctx: ConfigContext, policies: PolicyNames): void {
  const jwt = ctx.vault.jwt;
  if (!jwt) return;
  const { catalog, profile } = ctx.stack;
  const repository = jwt.githubRepository;
  const owner = repository.split("/")[0];
  const branchRef = `refs/heads/${jwt.githubBranch}`;
  const mount = vaultNames.githubJwtMount;
  const backend = new vault.jwt.AuthBackend(
    `${ctx.name}-auth-github`,
    {
      type: "jwt",
      path: mount,
      description: `GitHub Actions of ${repository}`,
      oidcDiscoveryUrl: jwt.issuerUrl,
      boundIssuer: jwt.issuerUrl,
    },
    ctx.opts,
  );
  const role = (
    roleName: string,
    boundClaims: Record<string, string>,
    policy: string,
    ttl: number,
    extra: Partial<vault.jwt.AuthBackendRoleArgs> = {},
  ) =>
    new vault.jwt.AuthBackendRole(
      `${ctx.name}-auth-github-${roleName}`,
      {
        backend: jwtMountPath(backend, mount),
        roleName,
        roleType: "jwt",
        // GitHub's default audience for OIDC tokens is the owner's URL (on GitHub Enterprise
        // Server `https://<host>/<owner>`: set `audience`), unless the workflow asks for another.
        boundAudiences: [jwt.audience ?? `https://github.com/${owner}`],
        boundClaimsType: "string",
        boundClaims: { repository, ...boundClaims },
        userClaim: "actor",
        tokenPolicies: [policies.require(policy)],
        tokenTtl: ttl,
        tokenMaxTtl: ttl,
        ...extra,
      },
      ctx.opts,
    );
  const { deploy, preview, drift } = vaultNames.githubRoles;
  role(
    deploy,
    {
      environment: catalog.environment,
      job_workflow_ref: `${repository}/${jwt.deployWorkflow}@${branchRef}`,
      ref: branchRef,
    },
    DEPLOYER_POLICY,
    profile.vault.workloadTokenTtlSeconds,
  );
  const readOnly = { tokenNoDefaultPolicy: true };
  const readTtl = profile.vault.ciReadTokenTtlSeconds;
  role(
    preview,
    { event_name: "pull_request", base_ref: jwt.githubBranch },
    PREVIEW_POLICY,
    readTtl,
    readOnly,
  );
  role(
    drift,
    { ref: branchRef, job_workflow_ref: `${repository}/${jwt.driftWorkflow}@${branchRef}` },
    PREVIEW_POLICY,
    readTtl,
    readOnly,
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
      path: vaultNames.oidcMount,
      description: "Operators through the identity provider",
      oidcDiscoveryUrl: oidc.discoveryUrl,
      oidcClientId: oidc.clientId,
      oidcClientSecret: requiredSecret(
        ctx.stack,
        oidc.clientSecretConfigKey,
        "vault.oidc.clientSecretConfigKey",
      ),
      defaultRole: vaultNames.oidcRoles.operator,
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
        backend: jwtMountPath(backend, vaultNames.oidcMount),
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
  const { operator, breakGlass } = vaultNames.oidcRoles;
  humanRole(operator, OPERATOR_POLICY, profile.dynamicCredential.ttlSeconds, {});
  humanRole(breakGlass, BREAK_GLASS_POLICY, profile.vault.breakGlassTokenTtlSeconds, {
    maxAge: BREAK_GLASS_MAX_AUTH_AGE_SECONDS,
    tokenNoDefaultPolicy: true,
    verboseOidcLogging: false,
  });
}
