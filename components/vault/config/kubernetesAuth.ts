/**
 * Workload logins: one auth mount per cluster running Vault-reading workloads, one role per
 * workload bound to exactly its namespace and service account and granting only its policy.
 *
 * Vault's own cluster uses the Kubernetes method (TokenReview through the in-cluster API).
 * Other clusters' API servers are not in the catalog, so their mounts use the JWT method on
 * the cluster's service-account issuer: the login request (`role` + `jwt` at
 * `auth/<mount>/login`) is the same, and the token's subject pins namespace and account.
 */
import * as vault from "@pulumi/vault";
import { vaultNames } from "../../../stacks/naming";
import type { Workload } from "../../../stacks/schema";
import { vaultClusters, vaultWorkloads } from "../plan";
import { type ConfigContext, jwtMountPath } from "./context";
import type { PolicyNames } from "./policies";

const IN_CLUSTER_API = "https://kubernetes.default.svc";

export function createKubernetesAuth(ctx: ConfigContext, policies: PolicyNames): void {
  const { catalog, profile } = ctx.stack;
  const ttl = profile.vault.workloadTokenTtlSeconds;
  const audience = vaultNames.kubernetesAuthAudience;
  const policyOf = (w: Workload) => policies.require(vaultNames.workloadPolicy(w));

  for (const clusterName of vaultClusters(catalog)) {
    const cluster = catalog.kubernetes.clusters.find((c) => c.name === clusterName)!;
    const mount = vaultNames.kubernetesAuthMount(clusterName);
    const workloads = vaultWorkloads(catalog).filter((w) => w.cluster === clusterName);
    const resource = `${ctx.name}-auth-${clusterName}`;
    if (clusterName === ctx.vault.cluster) {
      const backend = new vault.AuthBackend(
        resource,
        { type: "kubernetes", path: mount, description: `Workloads in ${clusterName}` },
        ctx.opts,
      );
      new vault.kubernetes.AuthBackendConfig(
        `${resource}-config`,
        { backend: backend.path, kubernetesHost: IN_CLUSTER_API },
        ctx.opts,
      );
      for (const w of workloads) {
        new vault.kubernetes.AuthBackendRole(
          `${resource}-role-${w.name}`,
          {
            backend: backend.path,
            roleName: vaultNames.workloadRole(w),
            boundServiceAccountNames: [w.serviceAccount],
            boundServiceAccountNamespaces: [w.namespace],
            audience,
            tokenPolicies: [policyOf(w)],
            tokenTtl: ttl,
            tokenMaxTtl: ttl,
          },
          ctx.opts,
        );
      }
    } else {
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
      for (const w of workloads) {
        new vault.jwt.AuthBackendRole(
          `${resource}-role-${w.name}`,
          {
            backend: jwtMountPath(backend, mount),
            roleName: vaultNames.workloadRole(w),
            roleType: "jwt",
            boundAudiences: [audience],
            boundSubject: `system:serviceaccount:${w.namespace}:${w.serviceAccount}`,
            userClaim: "sub",
            tokenPolicies: [policyOf(w)],
            tokenTtl: ttl,
            tokenMaxTtl: ttl,
          },
          ctx.opts,
        );
      }
    }
  }
}
