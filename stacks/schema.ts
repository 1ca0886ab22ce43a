/**
 * The stack catalog: the one declaration of which workload needs which secret.
 *
 * Everything the platform provisions is derived from a value of this schema. Objects are
 * `.strict()` so a misspelt key is an error with its path rather than a silently ignored
 * setting. Cross-field rules (references, uniqueness, enabled backends) live in
 * `validate.ts`, because zod reports them better with the whole catalog in view.
 */
import { z } from "zod";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const CLOUDS = ["aws", "gcp", "azure"] as const;
export type Cloud = (typeof CLOUDS)[number];

/** How the Vault the platform deploys auto-unseals: a cloud KMS, or another Vault's transit engine. */
export const UNSEALS = [...CLOUDS, "transit"] as const;
export type UnsealKind = (typeof UNSEALS)[number];

/** DNS-1123 label: what Kubernetes accepts for namespaces and service accounts. */
const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS-1123 label (lower case, digits, '-')");

/** Names we turn into cloud resource names; short enough for every provider's limits. */
const resourceName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/,
    "must be 3-32 chars of lower case, digits and '-', starting with a letter",
  );

const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR such as 10.0.0.0/16");
/**
 * A server the platform talks to: HTTPS, or plain HTTP only on this machine's loopback (a
 * local Vault or API server to try the platform against, as the `local` stack does).
 */
const serviceUrl = z
  .url({ protocol: /^https?$/ })
  .refine(
    (u) => u.startsWith("https://") || ["127.0.0.1", "localhost", "[::1]"].includes(new URL(u).hostname),
    "must be an https:// URL (plain http:// only on the loopback address)",
  );
/** GitHub Actions' token issuer on github.com (`vault.jwt.issuerUrl` names another). */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
/**
 * A file of the project, relative to the directory holding Pulumi.yaml, committed with it: the
 * path stays valid on every machine that runs the stack, including in provider state.
 */
const projectFile = z
  .string()
  .regex(
    /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[\w./-]+$/,
    "must be a path relative to the project directory, without '..'",
  );
/** How to set a secret config key: never with the value as an argument, which the process list shows. */
export function setSecretHint(key: string): string {
  return `run \`pulumi config set --secret ${key}\`, which prompts for the value or reads it from stdin (never pass it as an argument: the process list shows arguments)`;
}

/**
 * A Git branch as Vault's JWT roles bind it. No comma: Vault reads a comma-separated bound
 * claim as a list of accepted values, so a comma would admit a second branch.
 */
const gitBranch = z
  .string()
  .regex(/^(?!\/)(?!.*\/\/)[\w./-]+(?<!\/)$/, "must be a branch name (letters, digits, '.', '_', '-', '/')");
/** A workflow file of the repository, as GitHub names it in `job_workflow_ref`. */
const workflowFile = z
  .string()
  .regex(
    /^\.github\/workflows\/[\w.-]+\.ya?ml$/,
    "must be a file under .github/workflows/ such as deploy-stack.yml",
  );
/** This repository's workflows whose jobs take the deploy and drift identities (Vault and AWS). */
const deployWorkflow = workflowFile.default(".github/workflows/deploy-stack.yml");
const driftWorkflow = workflowFile.default(".github/workflows/drift.yml");
/** The name of a Pulumi config key that holds a secret (set with `pulumi config set --secret`). */
const secretConfigKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]*$/, "must be a config key name such as ordersDbAdminPassword");

/** registry/repository:tag (an image reference with a tag, no digest). */
const imageReference = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/,
    "must be an image reference with a registry and a tag, such as registry.example.com/team/image:1.2.3",
  );

export const kubernetesClusterSchema = z
  .object({
    name: resourceName,
    /**
     * Which cloud runs the cluster; decides the workload-identity mechanism. Omitted for a
     * cluster no cloud runs (its workloads read only from Vault).
     */
    cloud: z.enum(CLOUDS).optional(),
    /**
     * The cluster's service-account token issuer (EKS/GKE/AKS OIDC issuer URL). Plain http only
     * on the loopback address, for a cluster without `cloud` (a local cluster's issuer).
     */
    oidcIssuerUrl: serviceUrl,
    /** kubeconfig context to deploy with; the ambient one when omitted. */
    context: z.string().min(1).optional(),
    /**
     * False for an API server without nodes (a control plane whose nodes have not joined; the
     * `local` stack keeps it on scripts/kube-env.sh's cluster until the platform's releases are
     * verified running there as pods): pods there never
     * run, so Helm releases on it are installed without waiting for their pods, and ESO there
     * runs outside the cluster, its controller talking to the API server, so the chart installs
     * neither its webhook nor the webhook's cert controller (a fail-closed webhook no pod
     * serves would refuse every store). Vault cannot be deployed to such a cluster.
     */
    runsPods: z.boolean().default(true),
    /**
     * Images the platform's releases run on this cluster instead of their charts' defaults
     * (which name public registries): for a cluster that pulls from a registry of its own, or
     * takes only images imported on its nodes (scripts/kube-node-env.sh's). Each reference
     * names a registry, a repository and a tag.
     */
    images: z
      .object({
        /** ESO's controller, webhook and cert controller (one image, three commands). */
        externalSecrets: imageReference.optional(),
        reloader: imageReference.optional(),
        /**
         * The Vault server (and the snapshot job's save container), when Vault runs here,
         * instead of the version the program pins. An upgrade changes this tag, runs `pulumi up`
         * (the chart's OnDelete strategy replaces no pod) and then `npm run vault:rollout`
         * (docs/runbooks/vault-upgrade.md).
         */
        vault: imageReference.optional(),
      })
      .strict()
      .optional(),
    /**
     * The cluster's API server as a Vault outside the cluster reaches it, for the TokenReviews
     * of Vault's Kubernetes auth. Without it, workloads of a cluster Vault does not run in log
     * in with the JWT method against `oidcIssuerUrl`.
     */
    apiServer: z
      .object({
        url: serviceUrl,
        /** PEM of the CA that signed the API server's certificate (public; committed). */
        caCertFile: projectFile.optional(),
        /**
         * Secret config key holding the JWT Vault presents to create TokenReviews: a token of a
         * reviewer service account bound to `system:auth-delegator` and nothing else. Without
         * it each login's own token must be allowed to review itself.
         */
        reviewerJwtConfigKey: secretConfigKey.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const vaultSchema = z
  .object({
    /**
     * Whether the platform deploys the Vault cluster (true) or configures an existing Vault at
     * `address` (false: `cluster`, `unseal`, `tls` and `operators` are then not used).
     */
    deploy: z.boolean().default(true),
    /** Kubernetes cluster (from `kubernetes.clusters`) that runs Vault; required when deploying. */
    cluster: resourceName.optional(),
    namespace: dnsLabel.default("vault"),
    /** Address clients and the Pulumi provider use, e.g. https://vault.example.internal:8200. */
    address: serviceUrl,
    /**
     * PEM of the CA that signed Vault's server certificate, as a project file (a CA certificate
     * is public: commit it). The Pulumi provider trusts exactly this CA; its path, not a copy in
     * a temporary directory, is what provider state records. Required when the platform deploys
     * Vault: the program never reads the TLS Secret, whose private key would land in state.
     */
    caCertFile: projectFile.optional(),
    /**
     * What auto-unseals the cluster: a cloud KMS (an enabled backend), or `transit`, another
     * Vault's transit engine (on-premises and air-gapped sites), set up by `transitUnseal`.
     * Required when deploying.
     */
    unseal: z.enum(UNSEALS).optional(),
    /** The unsealing Vault of `unseal: transit` (docs/runbooks/vault-transit-unseal.md). */
    transitUnseal: z
      .object({
        /** The unsealing Vault, over https: the seal verifies its certificate. */
        address: z.url({ protocol: /^https$/, error: "must be an https:// URL" }),
        /** Its transit engine's mount path. */
        mount: z
          .string()
          .regex(/^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/, "must be a mount path such as transit")
          .default("transit"),
        /** The transit key that wraps this cluster's root key (one key per cluster). */
        keyName: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a transit key name such as sp-prod-unseal"),
        /** PEM of the CA that signed the unsealing Vault's certificate, as a committed project file. */
        caCertFile: projectFile,
        /**
         * Secret config key holding the periodic token the seal uses: it may only encrypt and
         * decrypt with `keyName` and renew itself (the policy `npm run vault:transit-unseal-policy` prints).
         */
        tokenConfigKey: secretConfigKey,
      })
      .strict()
      .optional(),
    tls: z
      .discriminatedUnion("source", [
        z.object({ source: z.literal("cert-manager"), issuer: z.string().min(1) }).strict(),
        z.object({ source: z.literal("secret"), secretName: dnsLabel }).strict(),
      ])
      .optional(),
    injector: z.boolean().default(false),
    /**
     * Second layer: configure auth methods, engines and policies through the Vault provider.
     * False on the very first `pulumi up`, before the cluster is initialised (see the runbook).
     */
    configure: z.boolean().default(true),
    /**
     * Config key holding the Vault token the provider uses (a secret). Unset, the provider takes
     * the ambient token (`VAULT_TOKEN`, or the one `vault login` stored): in CI the job's own
     * GitHub Actions login (`vault.jwt`), for people their own login. Set it only where no such
     * login exists (the `local` stack).
     */
    tokenConfigKey: secretConfigKey.optional(),
    appRoles: z
      .array(
        z
          .object({
            name: resourceName,
            /** KV paths (relative to the environment's KV mount) the automation may read. */
            kvPaths: z.array(z.string().regex(/^[a-z0-9][a-z0-9/_-]*$/, "must be a relative KV path")).min(1),
            boundCidrs: z.array(cidr).min(1),
          })
          .strict(),
      )
      .default([]),
    jwt: z
      .object({
        /** GitHub Actions: `owner/repo`; tokens are bound to this repository and branch. */
        githubRepository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/repo"),
        /** The deploy branch: deploys and drift checks run on it, pull requests target it. */
        githubBranch: gitBranch.default("main"),
        /**
         * The workflow whose jobs deploy a stack (GitHub's `job_workflow_ref`: for a reusable
         * workflow, the called file). Only its jobs, in the GitHub environment named after the
         * catalog's `environment`, on the deploy branch, log in as `deploy`.
         */
        deployWorkflow,
        /** The workflow of the scheduled drift check: only its jobs on the deploy branch log in as `drift`. */
        driftWorkflow,
        /**
         * The Actions token issuer: github.com's by default; GitHub Enterprise Server's is
         * `https://<host>/_services/token`.
         */
        issuerUrl: serviceUrl.default(GITHUB_ACTIONS_ISSUER),
        /** The `aud` the deploy workflow's tokens carry; GitHub's default, the owner's URL, when unset. */
        audience: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    oidc: z
      .object({
        /** The identity provider's issuer (its OpenID discovery document); http only on loopback. */
        discoveryUrl: serviceUrl,
        clientId: z.string().min(1),
        clientSecretConfigKey: secretConfigKey,
        /** Group claim values that map to the operator policy. */
        operatorGroups: z.array(z.string().min(1)).min(1),
      })
      .strict()
      .optional(),
    audit: z
      .object({
        syslog: z.boolean().default(false),
        socketAddress: z.string().min(1).optional(),
        /** Where the file device writes; the chart's audit volume when Vault is deployed. */
        filePath: z.string().regex(/^\//, "must be an absolute path on the Vault server").optional(),
      })
      .strict()
      .default({ syslog: false }),
    /**
     * Automated raft snapshots of the Vault the platform deploys (docs/runbooks/vault-snapshots.md):
     * where they go; how often and how long they are kept come from the environment's profile.
     * S3 (the Vault cluster on AWS: the job's role is IRSA-bound to its service account). Not
     * used with `deploy: false`: an existing Vault's owner takes its snapshots.
     */
    snapshots: z
      .object({
        s3: z
          .object({
            /** A bucket the platform creates for the snapshots alone. */
            bucket: z
              .string()
              .regex(
                /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
                "must be an S3 bucket name (3-63 lower case, digits, '.', '-')",
              ),
            /** Key prefix of the snapshots; the job's role may write below it and nowhere else. */
            prefix: z
              .string()
              .regex(
                /^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/,
                "must be a key prefix such as vault/prod (no leading or trailing '/')",
              )
              .default("vault-snapshots"),
          })
          .strict(),
      })
      .strict()
      .optional(),
    /** People who hold PGP-encrypted recovery key shares (the init runbook); required when deploying. */
    operators: z
      .array(z.object({ name: z.string().min(1), pgpKeyFile: z.string().min(1) }).strict())
      .min(1)
      .optional(),
  })
  .strict();

export const awsSchema = z
  .object({
    accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1"),
    replicaRegions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/)).default([]),
    /** How pods assume their IAM role. */
    workloadIdentity: z.enum(["irsa", "pod-identity"]).default("irsa"),
    /** IAM role ARNs of the people and pipelines that administer secrets. */
    operatorRoleArns: z
      .array(z.string().regex(/^arn:aws:iam::\d{12}:role\/.+$/, "must be an IAM role ARN"))
      .min(1),
    /** Subnets and security groups of the database rotation functions (private databases). */
    rotationVpc: z
      .object({
        subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, "must be a subnet id")).min(1),
        securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]+$/, "must be a security group id")).min(1),
      })
      .strict()
      .optional(),
    github: z
      .object({
        repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/repo"),
        deployBranch: z.string().default("main"),
        /** The workflow whose jobs (in the stack's GitHub environment) may take the deploy role. */
        deployWorkflow,
        /** The workflow whose jobs on the deploy branch may take the drift role. */
        driftWorkflow,
        /**
         * Alias of the KMS key of the stack's `awskms://` secrets provider: both CI roles
         * decrypt the stack config with it. Unset when the stack uses another provider.
         */
        configKeyAlias: z
          .string()
          .regex(/^alias\/[\w/-]+$/, "must be a KMS alias name such as alias/secrets-platform-prod-config")
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const gcpSchema = z
  .object({
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a GCP project id"),
    projectNumber: z.string().regex(/^\d{6,}$/, "must be the numeric project number"),
    region: z.string().min(1),
    /** Secret replication: automatic, or these locations (user-managed). */
    replicaLocations: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const azureSchema = z
  .object({
    subscriptionId: z.guid(),
    tenantId: z.guid(),
    resourceGroup: z.string().min(1),
    location: z.string().min(1),
    /** Networks that may reach the Key Vault; everything else is denied. */
    allowedIpRanges: z.array(cidr).default([]),
    allowedSubnetIds: z.array(z.string().startsWith("/subscriptions/")).default([]),
    /** Log Analytics workspace receiving Key Vault AuditEvent logs. */
    logAnalyticsWorkspaceId: z.string().startsWith("/subscriptions/"),
  })
  .strict();

export const esoSchema = z
  .object({
    /** Clusters that get an ESO install; every workload cluster needs one. */
    clusters: z.array(resourceName).min(1),
    /** Install Stakater Reloader for rolling restarts of env-var consumers. */
    reloader: z.boolean().default(true),
    /**
     * Refresh every ExternalSecret at least this often, tighter than the environment
     * profile's bound (`eso.maxRefreshSeconds` in stacks/profiles.ts), which it may not exceed.
     */
    maxRefreshSeconds: z.number().int().min(1).optional(),
    /** Cluster-wide stores, each restricted to the named namespaces. */
    clusterSecretStores: z
      .array(
        z
          .object({
            name: dnsLabel,
            cluster: resourceName,
            /** Vault KV path prefix the store reads (read-only, under the environment mount). */
            kvPathPrefix: z.string().regex(/^[a-z0-9][a-z0-9/_-]*$/),
            namespaces: z.array(dnsLabel).min(1),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export const databaseSchema = z
  .object({
    name: resourceName,
    engine: z.enum(["postgresql", "mysql"]),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    database: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a plain SQL identifier"),
    /**
     * The administrative login of the cloud rotation functions and, unless `vaultAdmin` names
     * another, of Vault's database connection.
     */
    adminUsername: z.string().regex(/^[a-z_][a-z0-9_]*$/),
    adminPasswordConfigKey: secretConfigKey,
    /**
     * Vault's own admin login. Vault rotates its password (rotate-root) once the connection is
     * configured, so a database that a cloud rotation function also uses needs a second login
     * here; its config key only seeds the connection.
     */
    vaultAdmin: z
      .object({ username: z.string().regex(/^[a-z_][a-z0-9_]*$/), passwordConfigKey: secretConfigKey })
      .strict()
      .optional(),
    tls: z.boolean().default(true),
    /** Let read-write credentials create and alter tables (migrations). Off by default. */
    allowSchemaChanges: z.boolean().default(false),
  })
  .strict();

const secretName = resourceName;
const base = { name: secretName, description: z.string().max(256).optional() };

export const vaultKvSecretSchema = z
  .object({
    ...base,
    source: z.literal("vault-kv"),
    path: z.string().regex(/^[a-z0-9][a-z0-9/_-]*$/, "must be a relative KV path"),
  })
  .strict();

export const vaultDatabaseSecretSchema = z
  .object({
    ...base,
    source: z.literal("vault-database"),
    database: resourceName,
    access: z.enum(["read-only", "read-write"]),
    /** dynamic: a fresh user per lease; static: Vault rotates the password of an existing user. */
    credential: z.enum(["dynamic", "static"]).default("dynamic"),
    /** For static credentials: the existing database user whose password Vault rotates. */
    username: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .optional(),
  })
  .strict();

/** Rotation of a database credential held in a cloud secret manager (alternating users). */
const databaseRotation = z.object({ database: resourceName }).strict().optional();
/**
 * For credentials only their issuer can rotate (a payment provider's API key): who rotates
 * it and how. The secret is tagged as rotated by its issuer instead of getting a function.
 */
const issuerRotation = z.string().min(3).max(200).optional();
const cloudRotation = { rotation: databaseRotation, issuerRotation };

export const awsSecretSchema = z.object({ ...base, source: z.literal("aws"), ...cloudRotation }).strict();
export const gcpSecretSchema = z.object({ ...base, source: z.literal("gcp"), ...cloudRotation }).strict();
export const azureSecretSchema = z
  .object({
    ...base,
    source: z.literal("azure"),
    contentType: z.string().default("text/plain"),
    ...cloudRotation,
  })
  .strict();

export const workloadSecretSchema = z.discriminatedUnion("source", [
  vaultKvSecretSchema,
  vaultDatabaseSecretSchema,
  awsSecretSchema,
  gcpSecretSchema,
  azureSecretSchema,
]);
export const SECRET_SOURCES = ["vault-kv", "vault-database", "aws", "gcp", "azure"] as const;
export type SecretSource = (typeof SECRET_SOURCES)[number];

export const workloadSchema = z
  .object({
    name: resourceName,
    namespace: dnsLabel,
    serviceAccount: dnsLabel,
    /** Kubernetes cluster (from `kubernetes.clusters`) the workload runs in. */
    cluster: resourceName,
    /** How the workload consumes secrets: env vars need a rolling restart on change, files do not. */
    consumes: z.enum(["env", "file"]).default("env"),
    secrets: z.array(workloadSecretSchema).min(1),
  })
  .strict();

export const catalogSchema = z
  .object({
    environment: z.enum(ENVIRONMENTS),
    /** Prefix for every cloud resource name, so several platforms can share an account. */
    prefix: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,7}$/, "must be 2-8 lower-case letters or digits, starting with a letter")
      .default("sp"),
    tags: z.record(z.string(), z.string()).default({}),
    kubernetes: z
      .object({
        clusters: z.array(kubernetesClusterSchema).min(1),
        /**
         * A project directory holding the pinned Helm charts as `<chart>/` (what `helm pull
         * --untar` of each pinned version writes), for deployers that cannot reach the public
         * chart repositories: releases install from there, and each chart's Chart.yaml must
         * declare exactly the pinned version. Omitted: the public repositories.
         */
        chartsDirectory: projectFile.optional(),
      })
      .strict(),
    vault: vaultSchema.optional(),
    aws: awsSchema.optional(),
    gcp: gcpSchema.optional(),
    azure: azureSchema.optional(),
    eso: esoSchema.optional(),
    databases: z.array(databaseSchema).default([]),
    workloads: z.array(workloadSchema).min(1),
  })
  .strict();

export type CatalogInput = z.input<typeof catalogSchema>;
export type Catalog = z.output<typeof catalogSchema>;
export type KubernetesCluster = Catalog["kubernetes"]["clusters"][number];
export type VaultSettings = NonNullable<Catalog["vault"]>;
export type TransitUnsealSettings = NonNullable<VaultSettings["transitUnseal"]>;
export type SnapshotSettings = NonNullable<VaultSettings["snapshots"]>;
/** The settings of a Vault the platform deploys: validate.ts guarantees these fields then. */
export type DeployedVaultSettings = VaultSettings &
  Required<Pick<VaultSettings, "cluster" | "unseal" | "tls" | "operators">>;
export type AwsSettings = NonNullable<Catalog["aws"]>;
export type GcpSettings = NonNullable<Catalog["gcp"]>;
export type AzureSettings = NonNullable<Catalog["azure"]>;
export type EsoSettings = NonNullable<Catalog["eso"]>;
export type Database = Catalog["databases"][number];
export type Workload = Catalog["workloads"][number];
export type WorkloadSecret = Workload["secrets"][number];
export type SecretOf<S extends SecretSource> = Extract<WorkloadSecret, { source: S }>;
