/**
 * The real Kubernetes API server scripts/kube-env.sh builds and starts (kube-apiserver and
 * etcd, RBAC and the Node authorizer on, service-account tokens signed with a key kept in
 * .integration/), with a kube-controller-manager running the controllers pods need (namespace,
 * garbage collector, service account, workloads, endpoint slices, ...) and a kube-scheduler.
 * The node (kubelet, containerd, CNI, kube-proxy, CoreDNS) is scripts/kube-node-env.sh's; see
 * ./node.ts.
 *
 * The client is the HTTP API with a bearer token, nothing more. It uses node:https rather than
 * fetch: Node's fetch cannot be given a CA to trust without a dispatcher from the undici
 * package, which the project does not depend on.
 */
import { createPrivateKey, randomBytes, sign } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import * as YAML from "yaml";
import { missingEngine, readSettingsFile } from "../integration/engines";
import { PROJECT_DIR } from "../support/offline";

const KUBE_ENV = path.join(PROJECT_DIR, ".integration", "kube.env");

export interface KubeSettings {
  /** The API server's URL, e.g. https://127.0.0.1:6443. */
  readonly url: string;
  /** PEM of the CA that signed the API server's certificate. */
  readonly caFile: string;
  /** A kubeconfig whose current context is the admin (group system:masters). */
  readonly kubeconfig: string;
  /** The service-account token issuer, also the API's only audience. */
  readonly issuer: string;
  /** The service-account signing key (only the expired-token test reads it). */
  readonly signingKeyFile: string;
  /** kubectl of the same Kubernetes version, for the commands of the runbooks that call it. */
  readonly kubectl: string;
}

const kubeFile = () => readSettingsFile(KUBE_ENV);

/** Settings from the environment first, then .integration/kube.env; undefined when unset. */
export function kubeSettings(): KubeSettings | undefined {
  const file = kubeFile();
  const get = (key: string) => process.env[key] ?? file[key];
  const [url, caFile, kubeconfig, issuer, signingKeyFile, kubectl] = [
    "SP_KUBE_URL",
    "SP_KUBE_CA_FILE",
    "SP_KUBECONFIG",
    "SP_KUBE_ISSUER",
    "SP_KUBE_SA_SIGNING_KEY",
    "SP_KUBECTL",
  ].map(get);
  if (!url || !caFile || !kubeconfig || !issuer || !signingKeyFile || !kubectl) return undefined;
  return { url, caFile, kubeconfig, issuer, signingKeyFile, kubectl };
}

/** A Kubernetes API error: the HTTP status and the server's Status message. */
export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly apiPath: string,
    readonly reason: string,
  ) {
    super(`${method} ${apiPath}: ${status} ${reason}`);
  }
}

type Json = Record<string, unknown>;

export class KubeClient {
  constructor(
    readonly url: string,
    private readonly ca: string,
    /** Bearer token; none for an anonymous request. */
    private readonly token?: string,
  ) {}

  withToken(token: string | undefined): KubeClient {
    return new KubeClient(this.url, this.ca, token);
  }

  /** One API call; a status outside 2xx throws a KubeError (never echoing the token). */
  async request<T = Json>(method: string, apiPath: string, body?: unknown): Promise<T> {
    const { status, text } = await this.send(method, apiPath, body);
    let parsed: unknown = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { message: text.slice(0, 200) };
    }
    if (status >= 200 && status < 300) return parsed as T;
    throw new KubeError(status, method, apiPath, String((parsed as Json).message ?? ""));
  }

  /** A GET whose answer is text, not JSON (a pod's log); a status outside 2xx throws. */
  async getText(apiPath: string): Promise<string> {
    const { status, text } = await this.send("GET", apiPath);
    if (status >= 200 && status < 300) return text;
    throw new KubeError(status, "GET", apiPath, text.slice(0, 200));
  }

  private send(method: string, apiPath: string, body?: unknown): Promise<{ status: number; text: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (payload !== undefined) {
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(apiPath, this.url), { method, headers, ca: this.ca }, (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString("utf8")));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.once("error", reject);
      req.end(payload);
    });
  }

  get<T = Json>(apiPath: string): Promise<T> {
    return this.request<T>("GET", apiPath);
  }

  post<T = Json>(apiPath: string, body: unknown): Promise<T> {
    return this.request<T>("POST", apiPath, body);
  }

  delete(apiPath: string): Promise<Json> {
    return this.request("DELETE", apiPath);
  }
}

export interface Kube {
  readonly settings: KubeSettings;
  /** PEM of the API server's CA (public: a checkout commits it). */
  readonly caPem: string;
  /** The administrator (system:masters), from the kubeconfig. */
  readonly admin: KubeClient;
  /** No credentials at all. */
  readonly anonymous: KubeClient;
}

function adminToken(kubeconfig: string): string {
  const doc = YAML.parse(fs.readFileSync(kubeconfig, "utf8")) as {
    "current-context": string;
    contexts: Array<{ name: string; context: { user: string } }>;
    users: Array<{ name: string; user: { token?: string } }>;
  };
  const context = doc.contexts.find((c) => c.name === doc["current-context"]);
  const token = doc.users.find((u) => u.name === context?.context.user)?.user.token;
  if (!token) throw new Error(`${kubeconfig}: the current context's user has no token`);
  return token;
}

/** Why the API server cannot be used (what to run), thrown by `connectKube`. */
export class KubeUnavailable extends Error {}

/** The API server, ready; throws `KubeUnavailable` saying what to run when it is not. */
export async function connectKube(): Promise<Kube> {
  const settings = kubeSettings();
  if (!settings || !fs.existsSync(settings.caFile) || !fs.existsSync(settings.kubeconfig))
    throw new KubeUnavailable(
      "no Kubernetes API server set up; run scripts/kube-env.sh (or scripts/integration-env.sh)",
    );
  const caPem = fs.readFileSync(settings.caFile, "utf8");
  const anonymous = new KubeClient(settings.url, caPem);
  try {
    await anonymous.get("/readyz");
  } catch (err) {
    throw new KubeUnavailable(
      `the Kubernetes API server at ${settings.url} is not ready (${(err as Error).message}); start it with scripts/kube-env.sh`,
    );
  }
  return { settings, caPem, admin: anonymous.withToken(adminToken(settings.kubeconfig)), anonymous };
}

/**
 * Call from a mocha `before` hook: the API server, ready; or a skip with what to run (a
 * failure under CI=true, where it must be there).
 */
export async function requireKube(ctx: Mocha.Context): Promise<Kube> {
  try {
    return await connectKube();
  } catch (err) {
    if (err instanceof KubeUnavailable) return missingEngine(ctx, err.message);
    throw err;
  }
}

/**
 * A name no other run uses: the API server is shared by the checkouts on a machine, and a
 * deleted namespace lingers (Terminating) until the namespace controller has emptied it.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

/** Creates a namespace (an existing one is kept). */
export async function createNamespace(admin: KubeClient, name: string): Promise<void> {
  try {
    await admin.post("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  } catch (err) {
    if (!(err instanceof KubeError && err.status === 409)) throw err;
  }
}

/** Creates a service account (an existing one is kept); returns its uid. */
export async function createServiceAccount(
  admin: KubeClient,
  namespace: string,
  name: string,
): Promise<string> {
  const apiPath = `/api/v1/namespaces/${namespace}/serviceaccounts`;
  try {
    const created = await admin.post<{ metadata: { uid: string } }>(apiPath, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name },
    });
    return created.metadata.uid;
  } catch (err) {
    if (!(err instanceof KubeError && err.status === 409)) throw err;
    return (await admin.get<{ metadata: { uid: string } }>(`${apiPath}/${name}`)).metadata.uid;
  }
}

/**
 * A token for a service account from the TokenRequest API, as a projected volume would hold it.
 * `audiences` omitted: the API server's own audience (a token that authenticates to it).
 * The API server's minimum lifetime is 600 s.
 */
export async function requestToken(
  admin: KubeClient,
  namespace: string,
  serviceAccount: string,
  options: { audiences?: readonly string[]; expirationSeconds?: number } = {},
): Promise<string> {
  const response = await admin.post<{ status: { token: string } }>(
    `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`,
    {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: {
        ...(options.audiences ? { audiences: [...options.audiences] } : {}),
        expirationSeconds: options.expirationSeconds ?? 3600,
      },
    },
  );
  return response.status.token;
}

export interface TokenReviewStatus {
  readonly authenticated?: boolean;
  readonly user?: { readonly username: string };
  readonly audiences?: readonly string[];
  readonly error?: string;
}

/** A TokenReview of `token` for `audiences`, made by `reviewer` (as Vault makes it). */
export async function reviewToken(
  reviewer: KubeClient,
  token: string,
  audiences: readonly string[],
): Promise<TokenReviewStatus> {
  const review = await reviewer.post<{ status: TokenReviewStatus }>(
    "/apis/authentication.k8s.io/v1/tokenreviews",
    {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenReview",
      spec: { token, audiences: [...audiences] },
    },
  );
  return review.status;
}

/**
 * A reviewer identity: a service account whose only binding is `system:auth-delegator`
 * (create TokenReviews and SubjectAccessReviews), and a token for it with the API's audience.
 * Returns the token and the ClusterRoleBinding's API path (to delete it afterwards).
 */
export async function createReviewer(
  admin: KubeClient,
  namespace: string,
  name: string,
  expirationSeconds = 7200,
): Promise<{ token: string; bindingPath: string }> {
  await createServiceAccount(admin, namespace, name);
  const binding = `${namespace}-${name}-auth-delegator`;
  const bindingPath = `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${binding}`;
  try {
    await admin.post("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: binding },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    });
  } catch (err) {
    if (!(err instanceof KubeError && err.status === 409)) throw err;
  }
  return { token: await requestToken(admin, namespace, name, { expirationSeconds }), bindingPath };
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/**
 * `token` with its times moved by `shiftSeconds` (negative: into the past) and signed again
 * with the API server's service-account key: the same claims (issuer, audience, service account
 * and its uid), only the validity window differs. The TokenRequest API issues nothing shorter
 * than 600 s, so an expired token is made this way; re-signing with a shift of 0 must give a
 * token the API server still accepts, which shows the signing is faithful.
 */
export function resignedToken(token: string, signingKeyFile: string, shiftSeconds: number): string {
  const [header, payload] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  for (const claim of ["iat", "nbf", "exp"])
    if (typeof claims[claim] === "number") claims[claim] = (claims[claim] as number) + shiftSeconds;
  const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
  const key = createPrivateKey(fs.readFileSync(signingKeyFile));
  return `${signingInput}.${base64url(sign("sha256", Buffer.from(signingInput), key))}`;
}

/** The claims of a JWT (not verified: for assertions about what a token says). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

/**
 * Deletes a namespace and waits until it is gone: the controller manager's namespace controller
 * deletes everything in it, then the namespace. One already gone is fine; one still there after
 * `timeoutMs` throws with its phase and conditions.
 */
export async function removeNamespace(admin: KubeClient, name: string, timeoutMs = 60_000): Promise<void> {
  const apiPath = `/api/v1/namespaces/${name}`;
  const missing = (err: unknown): undefined => {
    if (err instanceof KubeError && err.status === 404) return undefined;
    throw err;
  };
  type Namespace = {
    status?: { phase?: string; conditions?: Array<{ type: string; status: string; message?: string }> };
  };
  if ((await admin.delete(apiPath).catch(missing)) === undefined) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const namespace = await admin.get<Namespace>(apiPath).catch(missing);
    if (namespace === undefined) return;
    if (Date.now() > deadline) {
      const conditions = (namespace.status?.conditions ?? [])
        .filter((c) => c.status === "True")
        .map((c) => `${c.type}: ${c.message ?? ""}`);
      throw new Error(
        `namespace ${name} is still ${namespace.status?.phase ?? "there"} ${timeoutMs / 1000} s after its deletion` +
          ` (${conditions.join("; ") || "no conditions"}); is the controller manager of scripts/kube-env.sh running?`,
      );
    }
    await sleep(250);
  }
}
