/**
 * A workload's Google service account and its Workload Identity binding: only the
 * workload's own Kubernetes service account may impersonate it.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { Catalog, GcpSettings, Workload } from "../../stacks/schema";
import { gcpServiceAccountId } from "./names";

export const WORKLOAD_IDENTITY_USER_ROLE = "roles/iam.workloadIdentityUser";

/**
 * The principal GKE gives a Kubernetes service account. The pool is the project's, so the
 * GKE cluster must run in the catalog's GCP project (or share its workload identity pool).
 */
export function kubernetesServiceAccountMember(
  project: string,
  namespace: string,
  serviceAccount: string,
): string {
  return `serviceAccount:${project}.svc.id.goog[${namespace}/${serviceAccount}]`;
}

export function workloadIdentityMember(project: string, workload: Workload): string {
  return kubernetesServiceAccountMember(project, workload.namespace, workload.serviceAccount);
}

/**
 * A Google service account only one Kubernetes service account may impersonate
 * (`roles/iam.workloadIdentityUser` on that account alone). Children: `${name}-sa${suffix}` and
 * `${name}-wi${suffix}`.
 */
export function createKubernetesServiceAccountIdentity(
  name: string,
  suffix: string,
  parent: pulumi.Resource,
  args: {
    readonly project: string;
    readonly accountId: string;
    readonly displayName: string;
    readonly description: string;
    readonly namespace: string;
    readonly serviceAccount: string;
  },
): gcp.serviceaccount.Account {
  const { project } = args;
  const account = new gcp.serviceaccount.Account(
    `${name}-sa${suffix}`,
    { project, accountId: args.accountId, displayName: args.displayName, description: args.description },
    { parent },
  );
  new gcp.serviceaccount.IAMMember(
    `${name}-wi${suffix}`,
    {
      serviceAccountId: account.name,
      role: WORKLOAD_IDENTITY_USER_ROLE,
      member: kubernetesServiceAccountMember(project, args.namespace, args.serviceAccount),
    },
    { parent },
  );
  return account;
}

export function createWorkloadServiceAccount(
  name: string,
  parent: pulumi.Resource,
  catalog: Catalog,
  workload: Workload,
): gcp.serviceaccount.Account {
  return createKubernetesServiceAccountIdentity(name, `-${workload.name}`, parent, {
    project: (catalog.gcp as GcpSettings).project,
    accountId: gcpServiceAccountId(catalog, workload),
    displayName: `${workload.name} (${catalog.environment}) secret reader`,
    description: `Reads ${workload.name}'s Secret Manager secrets; impersonated by ${workload.namespace}/${workload.serviceAccount} via Workload Identity.`,
    namespace: workload.namespace,
    serviceAccount: workload.serviceAccount,
  });
}
