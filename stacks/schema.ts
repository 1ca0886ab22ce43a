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
 * path stays valid on every machine that runs the stack, including in provider state. Not
 * absolute, no `..` step, only word characters, `.`, `/` and `-`. The catalog's file paths and
 * the config key `catalogFile` (stacks/catalog-source.ts) follow it.
 */
export const PROJECT_FILE_PATTERN = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[\w./-]+$/;
export const PROJECT_FILE_RULE = "must be a path relative to the project directory, without '..'";
const projectFile = z.string().regex(PROJECT_FILE_PATTERN, PROJECT_FILE_RULE);
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
const snapshotBucket = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "must be an S3 bucket name (3-63 lower case, digits, '.', '-')",
  );
const snapshotPrefix = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/,
    "must be a key prefix such as vault/prod (no leading or trailing '/')",
  )
  .default("vault-snapshots")
  .describe("Key prefix of the snapshots; the job may write below it and nowhere else.");

/**
 * A Cloud Storage bucket name: 3-63 lower case letters, digits, '-' and '_', starting and ending
 * with a letter or digit, not starting with "goog" nor containing "google" (Google's naming
 * rules). No dots: a dotted name needs a verified domain.
 */
const gcsBucket = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/,
    "must be a Cloud Storage bucket name (3-63 lower case, digits, '-', '_'; no dots)",
  )
  .refine(
    (b) => !b.startsWith("goog") && !b.includes("google"),
    'must not start with "goog" nor contain "google"',
  );
/** A storage account name: 3-24 lower case letters and digits, unique across Azure. */
const storageAccountName = z
  .string()
  .regex(/^[a-z0-9]{3,24}$/, "must be a storage account name (3-24 lower case letters and digits)");
/** A blob container name: 3-63 lower case letters, digits and single '-', starting and ending with a letter or digit. */
const blobContainerName = z
  .string()
  .regex(
    /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    "must be a blob container name (3-63 lower case, digits, single '-', starting and ending with a letter or digit)",
  );

const imageReference = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/,
    "must be an image reference with a registry and a tag, such as registry.example.com/team/image:1.2.3",
  );

export const kubernetesClusterSchema = z
  .object({
    name: resourceName.describe(
      "The cluster's name, referenced by `workloads[].cluster`, `vault.cluster` and `eso`.",
    ),
    cloud: z
      .enum(CLOUDS)
      .optional()
      .describe(
        "Which cloud runs the cluster; decides the workload-identity mechanism (IRSA or Pod Identity, GKE Workload Identity, Azure workload identity). Omitted for a cluster no cloud runs: its workloads read only from Vault.",
      ),
    oidcIssuerUrl: serviceUrl.describe(
      "The cluster's service-account token issuer (EKS/GKE/AKS OIDC issuer URL). https; plain http only on the loopback address, for a cluster without `cloud` (a local cluster's issuer).",
    ),
    context: z
      .string()
      .min(1)
      .optional()
      .describe("kubeconfig context to deploy with; the ambient one when omitted."),
    runsPods: z
      .boolean()
      .default(true)
      .describe(
        "False for an API server without nodes (a control plane whose nodes have not joined, or this repository's test cluster on a machine where its node cannot run): Helm releases on it are installed without waiting for their pods, ESO's controller runs outside the cluster so its chart installs neither its webhook nor the webhook's cert controller (a fail-closed webhook no pod serves would refuse every store), and Vault cannot be deployed there.",
      ),
    singleNode: z
      .boolean()
      .default(false)
      .describe(
        "True for a cluster with one node (a lab machine, kind, minikube): Vault's servers may then share it (their anti-affinity on `kubernetes.io/hostname` becomes a preference), and losing that node stops every server. Default false: each server on a node of its own, required. The policy pack refuses a shared node where raft must survive a failure (staging and prod: vault-helm-require-raft-quorum).",
      ),
    images: z
      .object({
        externalSecrets: imageReference
          .optional()
          .describe("ESO's controller, webhook and cert controller (one image, three commands)."),
        reloader: imageReference.optional().describe("Stakater Reloader's image."),
        vault: imageReference
          .optional()
          .describe(
            "The Vault server (and the snapshot job's save container), when Vault runs here, instead of the version the program pins. An upgrade changes this tag, runs `pulumi up` (the chart's OnDelete strategy replaces no pod) and then `npm run vault:rollout` (docs/runbooks/vault-upgrade.md).",
          ),
        snapshotUploader: imageReference
          .optional()
          .describe(
            "The Vault snapshot job's upload container instead of the image the program pins for its destination: for `s3` and `s3Compatible` an AWS CLI (v1 or v2) image (the job runs `aws s3 cp`); for `gcs` a Google Cloud CLI image (`gcloud storage cp`); for `azureBlob` an Azure CLI (2.x) image (`az login` with the federated token, `az storage blob upload`), required there: Microsoft publishes the Azure CLI only on its own registry, which the program does not name, so give the image your cluster pulls (a mirror of it in your registry).",
          ),
      })
      .strict()
      .optional()
      .describe(
        "Images the platform's releases run on this cluster instead of their charts' defaults (which name public registries): for a cluster that pulls from a registry of its own, or takes only images imported on its nodes. Each reference names a registry, a repository and a tag (`registry/repository:tag`).",
      ),
    apiServer: z
      .object({
        url: serviceUrl.describe(
          "The API server's URL as Vault reaches it, e.g. `https://127.0.0.1:6443`; plain http only on the loopback address.",
        ),
        caCertFile: projectFile
          .optional()
          .describe(
            "PEM of the CA that signed the API server's certificate, as a committed project file (public).",
          ),
        reviewerJwtConfigKey: secretConfigKey
          .optional()
          .describe(
            "Secret config key holding the JWT Vault presents to create TokenReviews: a token of a reviewer service account bound to `system:auth-delegator` and nothing else. Without it each login's own token must be accepted by the API server and allowed to create TokenReviews.",
          ),
      })
      .strict()
      .optional()
      .describe(
        "The cluster's API server as a Vault outside the cluster reaches it, for the TokenReviews of Vault's Kubernetes auth. Without it, workloads of a cluster Vault does not run in log in with the JWT method against `oidcIssuerUrl`.",
      ),
  })
  .strict();

export const vaultSchema = z
  .object({
    deploy: z
      .boolean()
      .default(true)
      .describe(
        "Whether the platform deploys the Vault cluster (true) or configures an existing Vault at `address` (false: `cluster`, `unseal`, `tls` and `operators` are then not used).",
      ),
    cluster: resourceName
      .optional()
      .describe("Kubernetes cluster (from `kubernetes.clusters`) that runs Vault; required when deploying."),
    namespace: dnsLabel.default("vault").describe("Kubernetes namespace of the Vault release."),
    replicas: z
      .int()
      .min(1)
      .max(7)
      .refine(
        (n) => n % 2 === 1,
        "must be odd: raft needs a majority, and an even count adds a voter without surviving one more loss",
      )
      .optional()
      .describe(
        "Vault servers (raft voters) when the platform deploys Vault, above the environment profile's count (dev 1, staging 3, prod 5); never below it. Three in dev rehearse failover and upgrades on the cheapest environment.",
      ),
    address: serviceUrl.describe(
      "Address clients and the Pulumi provider use, e.g. `https://vault.example.internal:8200`; plain http only on the loopback address.",
    ),
    caCertFile: projectFile
      .optional()
      .describe(
        "PEM of the CA that signed Vault's server certificate, as a committed project file (a CA certificate is public). The Pulumi provider trusts exactly this CA, by a path relative to the project, so `refresh` and `destroy` work from any clone. Required when the platform deploys Vault: the program never reads the TLS Secret, whose private key would land in state.",
      ),
    unseal: z
      .enum(UNSEALS)
      .optional()
      .describe(
        "What auto-unseals the cluster: `aws`, `gcp` or `azure`, that cloud's KMS (an enabled backend); or `transit`, another Vault's transit engine (on-premises and air-gapped sites), set up by `transitUnseal`. Required when deploying.",
      ),
    transitUnseal: z
      .object({
        address: z
          .url({ protocol: /^https$/, error: "must be an https:// URL" })
          .describe("The unsealing Vault, over https only: the seal verifies its certificate."),
        mount: z
          .string()
          .regex(/^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/, "must be a mount path such as transit")
          .default("transit")
          .describe("Its transit engine's mount path."),
        keyName: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a transit key name such as sp-prod-unseal")
          .describe("The transit key that wraps this cluster's root key (one key per cluster)."),
        caCertFile: projectFile.describe(
          "PEM of the CA that signed the unsealing Vault's certificate, as a committed project file.",
        ),
        tokenSecretName: dnsLabel
          .default("vault-transit-seal")
          .describe(
            "Kubernetes Secret in Vault's namespace holding the seal's periodic token under the key `token`; an operator creates it (docs/runbooks/vault-transit-unseal.md), so the token never passes through the program, its config or its state. The token may only encrypt and decrypt with `keyName` and renew itself (the policy `npm run -s vault:transit-unseal-policy -- --stack <stack>` prints).",
          ),
      })
      .strict()
      .optional()
      .describe("The unsealing Vault of `unseal: transit` (docs/runbooks/vault-transit-unseal.md)."),
    tls: z
      .discriminatedUnion("source", [
        z
          .object({
            source: z.literal("cert-manager").describe("The server certificate comes from cert-manager."),
            issuer: z.string().min(1).describe("The cert-manager issuer that signs it."),
          })
          .strict(),
        z
          .object({
            source: z
              .literal("secret")
              .describe("The server certificate is in an existing Kubernetes TLS Secret."),
            secretName: dnsLabel.describe("That Secret's name, in Vault's namespace."),
          })
          .strict(),
      ])
      .optional()
      .describe(
        "Where the Vault server's TLS certificate comes from: `source: cert-manager` with `issuer`, or `source: secret` with `secretName`. Required when deploying.",
      ),
    injector: z.boolean().default(false).describe("Install the Vault Agent injector with the chart."),
    configure: z
      .boolean()
      .default(true)
      .describe(
        "Second layer: configure auth methods, engines and policies through the Vault provider. False on the very first `pulumi up`, before the cluster is initialised (docs/vault-cluster.md).",
      ),
    tokenConfigKey: secretConfigKey
      .optional()
      .describe(
        "Secret config key holding the Vault token the provider uses. Unset, the provider takes the ambient token (`VAULT_TOKEN`, or the one `vault login` stored): in CI the job's own GitHub Actions login (`vault.jwt`), for people their own login. Set it only where no such login exists (the `local` stack).",
      ),
    appRoles: z
      .array(
        z
          .object({
            name: resourceName.describe("The AppRole's name."),
            kvPaths: z
              .array(z.string().regex(/^[a-z0-9][a-z0-9/_-]*$/, "must be a relative KV path"))
              .min(1)
              .describe("KV paths (relative to the environment's KV mount) the automation may read."),
            boundCidrs: z.array(cidr).min(1).describe("Networks its logins must come from (IPv4 CIDRs)."),
          })
          .strict(),
      )
      .default([])
      .describe("AppRole logins for automation outside Kubernetes, each bound to its networks."),
    jwt: z
      .object({
        githubRepository: z
          .string()
          .regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/repo")
          .describe("GitHub repository as `owner/repo`; tokens are bound to this repository and branch."),
        githubBranch: gitBranch
          .default("main")
          .describe("The deploy branch: deploys and drift checks run on it, pull requests target it."),
        deployWorkflow: deployWorkflow.describe(
          "The workflow whose jobs deploy a stack (GitHub's `job_workflow_ref`: for a reusable workflow, the called file). Only its jobs, in the GitHub environment named after the catalog's `environment`, on the deploy branch, log in as `deploy`.",
        ),
        driftWorkflow: driftWorkflow.describe(
          "The workflow of the scheduled drift check: only its jobs on the deploy branch log in as `drift`.",
        ),
        issuerUrl: serviceUrl
          .default(GITHUB_ACTIONS_ISSUER)
          .describe(
            "The Actions token issuer: github.com's by default; GitHub Enterprise Server's is `https://<host>/_services/token`.",
          ),
        audience: z
          .string()
          .min(1)
          .optional()
          .describe(
            "The `aud` the workflows' tokens carry; GitHub's default, `https://github.com/<owner>`, when unset.",
          ),
      })
      .strict()
      .optional()
      .describe(
        "GitHub Actions logins (JWT method at `jwt-github`, roles `deploy`, `preview` and `drift`; docs/ci-identities.md).",
      ),
    oidc: z
      .object({
        discoveryUrl: serviceUrl.describe(
          "The identity provider's issuer (its OpenID discovery document); https, plain http only on the loopback address.",
        ),
        clientId: z.string().min(1).describe("The OIDC client id Vault uses."),
        clientSecretConfigKey: secretConfigKey.describe("Secret config key holding the OIDC client secret."),
        operatorGroups: z
          .array(z.string().min(1))
          .min(1)
          .describe("Group claim values that map to the operator policy."),
      })
      .strict()
      .optional()
      .describe("People's logins through an OpenID Connect identity provider."),
    audit: z
      .object({
        syslog: z.boolean().default(false).describe("Also send audit entries to the local syslog."),
        socketAddress: z
          .string()
          .min(1)
          .optional()
          .describe("Also send audit entries to this socket address (`host:port`)."),
        filePath: z
          .string()
          .regex(/^\//, "must be an absolute path on the Vault server")
          .optional()
          .describe("Where the file device writes; the chart's audit volume when Vault is deployed."),
      })
      .strict()
      .default({ syslog: false })
      .describe("Vault's audit devices: a file device always, syslog and a socket when asked."),
    snapshots: z
      .object({
        s3: z
          .object({
            bucket: snapshotBucket.describe("A bucket the platform creates for the snapshots alone."),
            prefix: snapshotPrefix,
          })
          .strict()
          .optional()
          .describe(
            "AWS S3, a bucket the platform creates (the Vault cluster on AWS: the job's role is IRSA-bound to its service account; the bucket keeps each snapshot for the profile's retention).",
          ),
        s3Compatible: z
          .object({
            endpoint: z
              .url({ protocol: /^https$/, error: "must be an https:// URL" })
              .describe(
                "The store's S3 API (MinIO, Ceph RGW, or any S3-compatible service of the site), over https only.",
              ),
            bucket: snapshotBucket.describe(
              "An existing bucket of that store. The platform manages no bucket there: the store's owner keeps snapshots for as long as the site requires (the profile's retention is not applied).",
            ),
            prefix: snapshotPrefix,
            region: z
              .string()
              .regex(/^[a-z0-9-]+$/, "must be a region name such as us-east-1")
              .default("us-east-1")
              .describe("The region the store signs requests for."),
            caCertFile: projectFile
              .optional()
              .describe(
                "PEM of the CA that signed the store's certificate, as a committed project file, when it is a private CA.",
              ),
            credentialsSecretName: dnsLabel
              .default("vault-snapshot-s3")
              .describe(
                "Kubernetes Secret in Vault's namespace holding `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` of an access key that may only put objects below the prefix; an operator creates it (docs/runbooks/vault-snapshots.md), so the key never passes through the program, its config or its state.",
              ),
          })
          .strict()
          .optional()
          .describe(
            "An S3-compatible store the site runs (on-premises and air-gapped sites, with `unseal: transit`), reached with an access key an operator puts in a Secret.",
          ),
        gcs: z
          .object({
            bucket: gcsBucket.describe(
              "A bucket the platform creates for the snapshots alone, in the `gcp` section's project and `region`.",
            ),
            prefix: snapshotPrefix,
          })
          .strict()
          .optional()
          .describe(
            "Google Cloud Storage, a bucket the platform creates (the Vault cluster on GKE: the job's Google service account is bound to its Kubernetes service account through Workload Identity and may only create objects below the prefix; the bucket is encrypted with a Cloud KMS key of the platform and keeps each snapshot for the profile's retention). Needs the `gcp` section.",
          ),
        azureBlob: z
          .object({
            account: storageAccountName.describe(
              "A storage account the platform creates for the snapshots alone, in the `azure` section's resource group and location (the name is unique across Azure).",
            ),
            container: blobContainerName
              .default("vault-snapshots")
              .describe("The blob container the platform creates in that account."),
            prefix: snapshotPrefix,
          })
          .strict()
          .optional()
          .describe(
            "Azure Blob Storage, an account and container the platform creates (the job's managed identity is federated with its Kubernetes service account and holds a custom role that may only write blobs, on that container; a lifecycle policy keeps each snapshot for the profile's retention). Needs the `azure` section and the Vault cluster's `images.snapshotUploader` (an Azure CLI image).",
          ),
      })
      .strict()
      .refine((d) => [d.s3, d.s3Compatible, d.gcs, d.azureBlob].filter((x) => x !== undefined).length === 1, {
        message:
          "set exactly one destination: s3 (AWS S3), s3Compatible (a store of the site), gcs (Google Cloud Storage) or azureBlob (Azure Blob Storage)",
      })
      .optional()
      .describe(
        "Automated raft snapshots of the Vault the platform deploys (docs/runbooks/vault-snapshots.md): where they go; how often (and, on AWS S3, Cloud Storage and Blob Storage, how long they are kept) comes from the environment's profile. Not used with `deploy: false`: an existing Vault's owner takes its snapshots.",
      ),
    operators: z
      .array(
        z
          .object({
            name: z.string().min(1).describe("The operator's name."),
            pgpKeyFile: z
              .string()
              .min(1)
              .describe("Project file of the operator's public PGP key (`gpg --armor --export` or binary)."),
          })
          .strict(),
      )
      .min(1)
      .optional()
      .describe(
        "People who hold PGP-encrypted recovery key shares (docs/runbooks/vault-init.md); required when deploying.",
      ),
  })
  .strict();

export const awsSchema = z
  .object({
    accountId: z
      .string()
      .regex(/^\d{12}$/, "must be a 12-digit AWS account id")
      .describe("The AWS account id."),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1")
      .describe("The region of the secrets and keys."),
    replicaRegions: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/))
      .default([])
      .describe("Regions each secret is replicated to."),
    workloadIdentity: z
      .enum(["irsa", "pod-identity"])
      .default("irsa")
      .describe("How pods assume their IAM role: IRSA or EKS Pod Identity."),
    operatorRoleArns: z
      .array(z.string().regex(/^arn:aws:iam::\d{12}:role\/.+$/, "must be an IAM role ARN"))
      .min(1)
      .describe("IAM role ARNs of the people and pipelines that administer secrets."),
    rotationVpc: z
      .object({
        subnetIds: z
          .array(z.string().regex(/^subnet-[0-9a-f]+$/, "must be a subnet id"))
          .min(1)
          .describe(
            "Subnets of the rotation functions; they need a route to Secrets Manager (an interface endpoint or NAT).",
          ),
        securityGroupIds: z
          .array(z.string().regex(/^sg-[0-9a-f]+$/, "must be a security group id"))
          .min(1)
          .describe("Security groups of the rotation functions."),
      })
      .strict()
      .optional()
      .describe("Subnets and security groups of the database rotation functions, for private databases."),
    github: z
      .object({
        repository: z
          .string()
          .regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/repo")
          .describe("GitHub repository as `owner/repo` whose jobs may take the CI roles."),
        deployBranch: z
          .string()
          .default("main")
          .describe("The deploy branch: the deploy and drift roles trust only jobs on it."),
        deployWorkflow: deployWorkflow.describe(
          "The workflow whose jobs (in the stack's GitHub environment) may take the deploy role.",
        ),
        driftWorkflow: driftWorkflow.describe(
          "The workflow whose jobs on the deploy branch may take the drift role.",
        ),
        configKeyAlias: z
          .string()
          .regex(/^alias\/[\w/-]+$/, "must be a KMS alias name such as alias/secrets-platform-prod-config")
          .optional()
          .describe(
            "Alias of the KMS key of the stack's `awskms://` secrets provider: the drift and deploy roles decrypt the stack config with it (the preview role never). Unset when the stack uses another provider.",
          ),
      })
      .strict()
      .optional()
      .describe(
        "Creates the GitHub Actions OIDC provider and the preview, drift and deploy roles (docs/ci-identities.md).",
      ),
  })
  .strict();

export const gcpSchema = z
  .object({
    project: z
      .string()
      .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a GCP project id")
      .describe("The GCP project id."),
    projectNumber: z
      .string()
      .regex(/^\d{6,}$/, "must be the numeric project number")
      .describe("The project's number (Workload Identity principals name it)."),
    region: z.string().min(1).describe("The region of the rotation functions."),
    replicaLocations: z
      .array(z.string().min(1))
      .default([])
      .describe("Secret replication: user-managed in these locations; automatic when empty."),
  })
  .strict();

export const azureSchema = z
  .object({
    subscriptionId: z.guid().describe("The Azure subscription id."),
    tenantId: z.guid().describe("The Entra tenant id."),
    resourceGroup: z.string().min(1).describe("The resource group of the Key Vault and identities."),
    location: z.string().min(1).describe("The Azure location."),
    allowedIpRanges: z
      .array(cidr)
      .default([])
      .describe("Networks that may reach the Key Vault; everything else is denied."),
    allowedSubnetIds: z
      .array(z.string().startsWith("/subscriptions/"))
      .default([])
      .describe("Subnets (resource ids) that may reach the Key Vault."),
    logAnalyticsWorkspaceId: z
      .string()
      .startsWith("/subscriptions/")
      .describe("Log Analytics workspace receiving the Key Vault's `AuditEvent` logs."),
  })
  .strict();

export const esoSchema = z
  .object({
    clusters: z
      .array(resourceName)
      .min(1)
      .describe("Clusters that get an ESO install; every workload cluster needs one."),
    reloader: z
      .boolean()
      .default(true)
      .describe(
        "Install Stakater Reloader for rolling restarts of workloads that read environment variables.",
      ),
    maxRefreshSeconds: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "Refresh every ExternalSecret at least this often; may only tighten the environment profile's bound (`eso.maxRefreshSeconds` in stacks/profiles.ts).",
      ),
    clusterSecretStores: z
      .array(
        z
          .object({
            name: dnsLabel.describe("The ClusterSecretStore's name."),
            cluster: resourceName.describe("The cluster it is created in."),
            kvPathPrefix: z
              .string()
              .regex(/^[a-z0-9][a-z0-9/_-]*$/)
              .describe("Vault KV path prefix the store reads (read-only, under the environment mount)."),
            namespaces: z.array(dnsLabel).min(1).describe("The only namespaces that may use the store."),
          })
          .strict(),
      )
      .default([])
      .describe("Cluster-wide stores, each restricted to the named namespaces."),
  })
  .strict();

const sqlIdentifier = z.string().regex(/^[a-z_][a-z0-9_]*$/);

export const databaseSchema = z
  .object({
    name: resourceName.describe(
      "The database's name, referenced by secrets (`database`, `rotation.database`).",
    ),
    engine: z.enum(["postgresql", "mysql"]).describe("`postgresql` or `mysql` (MySQL and MariaDB)."),
    host: z.string().min(1).describe("Host name the rotation functions and Vault connect to."),
    port: z.number().int().min(1).max(65535).describe("TCP port."),
    database: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, "must be a plain SQL identifier")
      .describe("The database (schema) name on the server."),
    adminUsername: sqlIdentifier.describe(
      "The administrative login of the cloud rotation functions and, unless `vaultAdmin` names another, of Vault's database connection.",
    ),
    adminPasswordConfigKey: secretConfigKey.describe(
      "Secret config key holding `adminUsername`'s password. For Vault's connection it only seeds it: Vault rotates the password right after (rotate-root).",
    ),
    vaultAdmin: z
      .object({
        username: sqlIdentifier.describe("Vault's own admin login."),
        passwordConfigKey: secretConfigKey.describe(
          "Secret config key holding its password: a seed, removed after the first `pulumi up`.",
        ),
      })
      .strict()
      .optional()
      .describe(
        "Vault's own admin login. Vault rotates its password (rotate-root) once the connection is configured, so a database that a cloud rotation function also uses needs a second login here; its config key only seeds the connection.",
      ),
    tls: z.boolean().default(true).describe("Connect over TLS, verifying the server's certificate."),
    allowSchemaChanges: z
      .boolean()
      .default(false)
      .describe("Let read-write credentials create and alter tables (migrations)."),
  })
  .strict();

const secretName = resourceName.describe("The secret's name, unique within the workload.");
const base = {
  name: secretName,
  description: z
    .string()
    .max(256)
    .optional()
    .describe("What the secret is, for people (at most 256 characters)."),
};

export const vaultKvSecretSchema = z
  .object({
    ...base,
    source: z.literal("vault-kv").describe("A Vault KV v2 secret."),
    path: z
      .string()
      .regex(/^[a-z0-9][a-z0-9/_-]*$/, "must be a relative KV path")
      .describe("(`vault-kv`) The KV path, relative to the environment's KV mount."),
  })
  .strict();

export const vaultDatabaseSecretSchema = z
  .object({
    ...base,
    source: z.literal("vault-database").describe("Database credentials from Vault's database engine."),
    database: resourceName.describe("(`vault-database`) The database, from `databases`."),
    access: z
      .enum(["read-only", "read-write"])
      .describe("(`vault-database`) `read-only` or `read-write` (no DDL unless `allowSchemaChanges`)."),
    credential: z
      .enum(["dynamic", "static"])
      .default("dynamic")
      .describe(
        "(`vault-database`) `dynamic`: a fresh user per lease; `static`: Vault rotates the password of an existing user on the profile's schedule.",
      ),
    username: sqlIdentifier
      .optional()
      .describe(
        "(`vault-database`) For static credentials: the existing database user whose password Vault rotates.",
      ),
  })
  .strict();

const databaseRotation = z
  .object({ database: resourceName.describe("The database (from `databases`) whose login is rotated.") })
  .strict()
  .optional()
  .describe(
    "(`aws`, `gcp`, `azure`) The platform rotates a database login held in the cloud secret manager (alternating users).",
  );
const issuerRotation = z
  .string()
  .min(3)
  .max(200)
  .optional()
  .describe(
    "(`aws`, `gcp`, `azure`) For a credential only its issuer can rotate (a payment provider's API key): who rotates it and how. The secret is tagged as rotated by its issuer instead of getting a function.",
  );
const cloudRotation = { rotation: databaseRotation, issuerRotation };

export const awsSecretSchema = z
  .object({ ...base, source: z.literal("aws").describe("An AWS Secrets Manager secret."), ...cloudRotation })
  .strict();
export const gcpSecretSchema = z
  .object({ ...base, source: z.literal("gcp").describe("A GCP Secret Manager secret."), ...cloudRotation })
  .strict();
export const azureSecretSchema = z
  .object({
    ...base,
    source: z.literal("azure").describe("An Azure Key Vault secret."),
    contentType: z.string().default("text/plain").describe("(`azure`) The secret's content type."),
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
    name: resourceName.describe("The workload's name."),
    namespace: dnsLabel.describe("Its Kubernetes namespace (created by the platform)."),
    serviceAccount: dnsLabel.describe(
      "Its Kubernetes service account (created by the platform): its only identity.",
    ),
    cluster: resourceName.describe("Kubernetes cluster (from `kubernetes.clusters`) the workload runs in."),
    consumes: z
      .enum(["env", "file"])
      .default("env")
      .describe(
        "How the workload consumes secrets: `env` (environment variables) needs a rolling restart on change, done by Reloader; `file` does not.",
      ),
    secrets: z
      .array(workloadSecretSchema)
      .min(1)
      .describe(
        "The secrets it needs, each naming its `source`: `vault-kv`, `vault-database`, `aws`, `gcp` or `azure`; the other fields depend on the source.",
      ),
  })
  .strict();

export const catalogSchema = z
  .object({
    environment: z
      .enum(ENVIRONMENTS)
      .describe("`dev`, `staging` or `prod`: selects the profile (TTLs, rotation, retention)."),
    prefix: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,7}$/, "must be 2-8 lower-case letters or digits, starting with a letter")
      .default("sp")
      .describe(
        "Prefix of every cloud resource name, so several platforms can share an account (2-8 characters).",
      ),
    tags: z
      .record(z.string(), z.string())
      .default({})
      .describe("Tags/labels added to every taggable resource."),
    kubernetes: z
      .object({
        clusters: z
          .array(kubernetesClusterSchema)
          .min(1)
          .describe("The Kubernetes clusters workloads and Vault run in."),
        chartsDirectory: projectFile
          .optional()
          .describe(
            "A project directory holding the pinned Helm charts as `<chart>/` (what `helm pull --untar` of each pinned version writes; stacks/charts.ts), for deployers that cannot reach the public chart repositories: releases install from there, and each chart's Chart.yaml must declare exactly the pinned version. Omitted: the public repositories.",
          ),
      })
      .strict()
      .describe("The Kubernetes side."),
    vault: vaultSchema
      .optional()
      .describe("HashiCorp Vault: deployed by the platform, or an existing one configured."),
    aws: awsSchema.optional().describe("AWS backend (Secrets Manager, KMS, IAM)."),
    gcp: gcpSchema.optional().describe("GCP backend (Secret Manager, Cloud KMS, IAM)."),
    azure: azureSchema.optional().describe("Azure backend (Key Vault, managed identities)."),
    eso: esoSchema.optional().describe("External Secrets Operator: installs, stores, Reloader."),
    databases: z
      .array(databaseSchema)
      .default([])
      .describe("Databases whose credentials Vault or the rotation functions manage."),
    workloads: z
      .array(workloadSchema)
      .min(1)
      .describe("Who needs which secret: everything else is derived from this list."),
  })
  .strict()
  .describe("The stack's catalog: which workload needs which secret, and the backends that hold them.");

export type CatalogInput = z.input<typeof catalogSchema>;
export type Catalog = z.output<typeof catalogSchema>;
export type KubernetesCluster = Catalog["kubernetes"]["clusters"][number];
export type VaultSettings = NonNullable<Catalog["vault"]>;
export type TransitUnsealSettings = NonNullable<VaultSettings["transitUnseal"]>;
export type SnapshotSettings = NonNullable<VaultSettings["snapshots"]>;
export type AwsSnapshotSettings = NonNullable<SnapshotSettings["s3"]>;
export type S3CompatibleSnapshotSettings = NonNullable<SnapshotSettings["s3Compatible"]>;
export type GcsSnapshotSettings = NonNullable<SnapshotSettings["gcs"]>;
export type AzureBlobSnapshotSettings = NonNullable<SnapshotSettings["azureBlob"]>;
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
