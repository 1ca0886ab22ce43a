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
export function workloadIdentityMember(project: string, workload: Workload): string {
  return `serviceAccount:${project}.svc.id.goog[${workload.namespace}/${workload.serviceAccount}]`;
}

export function createWorkloadServiceAccount(
  name: string,
  parent: pulumi.Resource,
  catalog: Catalog,
  workload: Workload,
): gcp.serviceaccount.Account {
  const { project } = catalog.gcp as GcpSettings;
  const account = new gcp.serviceaccount.Account(
    `${name}-sa-${workload.name}`,
    {
      project,
      accountId: gcpServiceAccountId(catalog, workload),
      displayName: `${workload.name} (${catalog.environment}) secret reader`,
      description: `Reads ${workload.name}'s Secret Manager secrets; impersonated by ${workload.namespace}/${workload.serviceAccount} via Workload Identity.`,
    },
    { parent },
  );
  new gcp.serviceaccount.IAMMember(
    `${name}-wi-${workload.name}`,
    {
      serviceAccountId: account.name,
      role: WORKLOAD_IDENTITY_USER_ROLE,
      member: workloadIdentityMember(project, workload),
    },
    { parent },
  );
  return account;
}
