/**
 * The settings every storage account of the platform takes: reachable over https with TLS 1.2
 * at least, no anonymous blob access, and no shared keys (account keys, SAS), so that only
 * Entra ID identities holding a role on it get in.
 */
import type * as azure from "@pulumi/azure-native";

export const IDENTITY_ONLY_STORAGE = {
  kind: "StorageV2",
  enableHttpsTrafficOnly: true,
  minimumTlsVersion: "TLS1_2",
  allowBlobPublicAccess: false,
  allowSharedKeyAccess: false,
} as const satisfies Partial<azure.storage.StorageAccountArgs>;
