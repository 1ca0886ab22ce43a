/**
 * Kubernetes logins: one auth mount per cluster with Vault readers, one role per workload
 * (and per catalog ClusterSecretStore) bound to exactly its namespaces and service account
 * and granting only its policy.
 *
 * Vault's own cluster uses the Kubernetes method (TokenReview through the in-cluster API), and
 * so does a cluster whose API server the catalog names (`apiServer`: Vault outside it asks that
 * server). Other clusters' mounts use the JWT method on the cluster's service-account issuer:
 * the login request (`role` + `jwt` at `auth/<mount>/login`) is the same, and the token's
 * subject pins namespace and account.
 */
import * as fs from "node:fs";
import * as vault from "@pulumi/vault";
import { projectPath } from "../../../stacks/loader";
import { vaultNames } from "../../../stacks/naming";
import { type KubernetesLogin, kubernetesLogins } from "../plan";
import { type ConfigContext, jwtMountPath, requiredSecret } from "./context";
import type { PolicyNames } from "./policies";

const IN_CLUSTER_API = "https://kubernetes.default.svc";

function subjectsOf(login: KubernetesLogin): string[] {
  return login.namespaces.map((ns) => `system:serviceaccount:${ns}:${login.serviceAccount}`);
}

export function createKubernetesAuth(ctx: ConfigContext, policies: PolicyNames): void {
  const { catalog, profile } = ctx.stack;
  const ttl = profile.vault.workloadTokenTtlSeconds;
  const audience = vaultNames.kubernetesAuthAudience;
  const logins = kubernetesLogins(catalog);

  for (const clusterName of [...new Set(logins.map((l) => l.cluster))]) {
    const cluster = catalog.kubernetes.clusters.find((c) => c.name === clusterName)!;
    const mount = vaultNames.kubernetesAuthMount(clusterName);
    const resource = `${ctx.name}-auth-${clusterName}`;
    const tokenSettings = (login: KubernetesLogin) => ({
      roleName: login.roleName,
      tokenPolicies: [policies.require(login.policy)],
      tokenTtl: ttl,
      tokenMaxTtl: ttl,
    });
    const clusterLogins = logins.filter((l) => l.cluster === clusterName);
    const inCluster = ctx.vault.deploy && clusterName === ctx.vault.cluster;
    if (inCluster || cluster.apiServer) {
      const backend = new vault.AuthBackend(
        resource,
        { type: "kubernetes", path: mount, description: `Workloads in ${clusterName}` },
        ctx.opts,
      );
      new vault.kubernetes.AuthBackendConfig(
        `${resource}-config`,
        inCluster || !cluster.apiServer
          ? { backend: backend.path, kubernetesHost: IN_CLUSTER_API }
          : {
              backend: backend.path,
              kubernetesHost: cluster.apiServer.url,
              kubernetesCaCert: cluster.apiServer.caCertFile
                ? fs.readFileSync(projectPath(cluster.apiServer.caCertFile), "utf8")
                : undefined,
              // Outside a pod there is no mounted reviewer token. With a reviewer JWT from the
              // catalog (a service account bound to system:auth-delegator only), Vault reviews
              // every login with it; without one Vault keeps no Kubernetes credential and
              // reviews each login with the token presented, which must then be accepted by the
              // API server and allowed to create TokenReviews.
              disableLocalCaJwt: true,
              tokenReviewerJwt: cluster.apiServer.reviewerJwtConfigKey
                ? requiredSecret(
                    ctx.stack,
                    cluster.apiServer.reviewerJwtConfigKey,
                    `kubernetes.clusters[${catalog.kubernetes.clusters.indexOf(cluster)}].apiServer.reviewerJwtConfigKey`,
                  )
                : undefined,
            },
        ctx.opts,
      );
      for (const login of clusterLogins) {
        new vault.kubernetes.AuthBackendRole(
          `${resource}-role-${login.roleName}`,
          {
            ...tokenSettings(login),
            backend: backend.path,
            boundServiceAccountNames: [login.serviceAccount],
            boundServiceAccountNamespaces: [...login.namespaces],
            audience,
          },
          ctx.opts,
        );
      }
      continue;
    }
    const backend = new vault.jwt.AuthBackend(
      resource,
      {
        type: "jwt",
        path: mount,
        description: `Workloads in ${clusterName} (service-account tokens verified against the cluster's issuer)`,
        oidcDiscoveryUrl: cluster.oidcIssuerUrl,
        boundIssuer: cluster.oidcIssuerUrl,
      },
      ctx.opts,
    );
    for (const login of clusterLogins) {
      const subjects = subjectsOf(login);
      new vault.jwt.AuthBackendRole(
        `${resource}-role-${login.roleName}`,
        {
          ...tokenSettings(login),
          backend: jwtMountPath(backend, mount),
          roleType: "jwt",
          boundAudiences: [audience],
          // One subject pins it exactly; a store in several namespaces lists each (any may match).
          ...(subjects.length === 1
            ? { boundSubject: subjects[0] }
            : { boundClaimsType: "string", boundClaims: { sub: subjects.join(",") } }),
          userClaim: "sub",
        },
        ctx.opts,
      );
    }
  }
}
