/**
 * One ExternalSecret per workload secret, and for Vault database credentials the
 * VaultDynamicSecret generator it draws from, as typed plain objects.
 */
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret" with {
  "resolution-mode": "import",
};
import type { IExternalSecretSpec } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecretSpec" with {
  "resolution-mode": "import",
};
import type { IVaultDynamicSecret } from "@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/VaultDynamicSecret" with {
  "resolution-mode": "import",
};
import type { EnvironmentProfile } from "../../stacks/profiles";
import { backendOf } from "../../stacks/access";
import {
  cloudSecretName,
  databaseCredentialPath,
  kubernetesSecretName,
  vaultNames,
} from "../../stacks/naming";
import type { Catalog, Database, SecretOf, Workload, WorkloadSecret } from "../../stacks/schema";
import { MANAGED_BY_LABELS } from "../kubernetes/manifests";
import { goDuration, refreshIntervalSeconds } from "./refresh";
import { secretStoreName, type VaultEndpoint, vaultLogin } from "./stores";
import { databaseCredentialTemplate } from "./templates";

export const GENERATOR_API_VERSION = "generators.external-secrets.io/v1alpha1";

/** Secret annotation Stakater Reloader matches against Deployments annotated `reloader.stakater.com/search`. */
export const RELOADER_MATCH_ANNOTATION = { "reloader.stakater.com/match": "true" } as const;

/** Key of single-value cloud secrets in the Kubernetes Secret. */
export const VALUE_KEY = "value";

function labels(workload: Workload): Record<string, string> {
  return { ...MANAGED_BY_LABELS, "secrets-platform.io/workload": workload.name };
}

function databaseNamed(catalog: Catalog, name: string, workload: Workload, secret: WorkloadSecret): Database {
  const database = catalog.databases.find((d) => d.name === name);
  if (!database) {
    throw new Error(
      `workload ${workload.name} secret ${secret.name}: unknown database ${JSON.stringify(name)}`,
    );
  }
  return database;
}

export function vaultDynamicSecretManifest(
  catalog: Catalog,
  workload: Workload,
  secret: SecretOf<"vault-database">,
  vault: VaultEndpoint,
): IVaultDynamicSecret {
  return {
    apiVersion: GENERATOR_API_VERSION,
    kind: "VaultDynamicSecret",
    metadata: {
      name: kubernetesSecretName(workload, secret),
      namespace: workload.namespace,
      labels: labels(workload),
    },
    spec: {
      // Both endpoints are reads; the default method would be a write.
      method: "GET",
      path: databaseCredentialPath(catalog, secret),
      resultType: "Data",
      provider: vaultLogin(
        vault,
        workload.cluster,
        vaultNames.workloadRole(workload),
        workload.serviceAccount,
      ),
    },
  };
}

/** Where the value comes from and how it is shaped, by source. */
function sourceSpec(catalog: Catalog, workload: Workload, secret: WorkloadSecret): IExternalSecretSpec {
  switch (secret.source) {
    case "vault-database":
      return {
        dataFrom: [
          {
            sourceRef: {
              generatorRef: {
                apiVersion: GENERATOR_API_VERSION,
                kind: "VaultDynamicSecret",
                name: kubernetesSecretName(workload, secret),
              },
            },
          },
        ],
        target: {
          template: {
            data: databaseCredentialTemplate(databaseNamed(catalog, secret.database, workload, secret)),
          },
        },
      };
    case "vault-kv":
      return {
        secretStoreRef: { kind: "SecretStore", name: secretStoreName(workload, "vault") },
        dataFrom: [{ extract: { key: secret.path } }],
      };
    case "aws":
    case "gcp":
    case "azure": {
      const name = cloudSecretName(catalog, workload, secret);
      // Azure Key Vault holds keys and certificates too; the prefix says "the secret object".
      const key = secret.source === "azure" ? `secret/${name}` : name;
      const secretStoreRef = {
        kind: "SecretStore" as const,
        name: secretStoreName(workload, backendOf(secret)),
      };
      if (secret.rotation) {
        // Rotated database logins are JSON documents (username, password, host, ...).
        const database = databaseNamed(catalog, secret.rotation.database, workload, secret);
        return {
          secretStoreRef,
          dataFrom: [{ extract: { key } }],
          target: { template: { data: databaseCredentialTemplate(database) } },
        };
      }
      return { secretStoreRef, data: [{ secretKey: VALUE_KEY, remoteRef: { key } }] };
    }
  }
}

export function externalSecretManifest(
  catalog: Catalog,
  profile: EnvironmentProfile,
  workload: Workload,
  secret: WorkloadSecret,
): IExternalSecret {
  const source = sourceSpec(catalog, workload, secret);
  const name = kubernetesSecretName(workload, secret);
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name, namespace: workload.namespace, labels: labels(workload) },
    spec: {
      ...source,
      refreshInterval: goDuration(refreshIntervalSeconds(secret, profile, catalog.eso?.maxRefreshSeconds)),
      refreshPolicy: "Periodic",
      target: {
        name,
        creationPolicy: "Owner",
        deletionPolicy: profile.eso.deletionPolicy,
        template: {
          ...source.target?.template,
          engineVersion: "v2",
          mergePolicy: "Replace",
          type: "Opaque",
          metadata: {
            labels: labels(workload),
            // Env-var consumers only see a new value after a restart; file mounts update in place.
            annotations: workload.consumes === "env" ? { ...RELOADER_MATCH_ANNOTATION } : {},
          },
        },
      },
    },
  };
}
