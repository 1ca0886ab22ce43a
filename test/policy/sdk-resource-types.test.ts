/**
 * The resource types some rules cover are derived from the provider SDKs' own type
 * declarations, so that a new SDK version cannot add a type that silently escapes them:
 *
 * - every @pulumi/kubernetes resource whose `spec` holds a pod template (a `template` of
 *   PodTemplateSpec, a CronJob's `jobTemplate`) or is a PodSpec runs containers: the Vault
 *   server rules (`policy/lib/vault-helm.ts` WORKLOAD_TYPES) must cover each;
 * - every @pulumi/kubernetes RBAC resource (Role, ClusterRole and their bindings, in every version,
 *   with their Patch and List forms) is read by the RBAC rule (`policy/lib/kubernetes-rbac.ts`);
 * - every @pulumi/kubernetes resource with a `data`, `stringData` or `binaryData` map of strings
 *   holds files a pod can mount, a Vault server's config among them: the TLS rule reads each
 *   (`policy/lib/vault-config.ts` CONFIG_DATA_FIELDS), with the field's encoding;
 * - every @pulumi/azure-native resource with a `roleDefinitionId` and a `principalId` or
 *   `principalIds` input grants an RBAC role: the admin-role rule (ROLE_GRANT_TYPES) covers
 *   each, but Cosmos DB's data-plane roles and access reviews, which are classified here;
 * - every @pulumi/azure-native resource whose `permissions` input lists `actions` or
 *   `dataActions` defines an RBAC role: the custom-role rule (ROLE_DEFINITION_TYPES) reads each,
 *   but Cosmos DB's own data-plane role definitions and deny assignments, classified here;
 * - every @pulumi/aws resource with an input named `policy`, `inlinePolicy`, `inlinePolicies`,
 *   `policyArn(s)` or `managedPolicyArn(s)` is an identity policy or attachment the wildcard rule
 *   reads (`lib/aws-iam-sources.ts`), a key or secret resource policy the KMS/Secrets Manager
 *   rules read, or classified below as something else;
 * - every @pulumi/gcp IAM member, binding or policy resource of a project, folder,
 *   organisation or secret is read by the GCP rules (`lib/gcp-iam.ts`).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  BROAD_AWS_MANAGED_POLICIES,
  IDENTITY_POLICY_DOCUMENTS,
  KNOWN_SAFE_AWS_MANAGED_POLICIES,
  MANAGED_POLICY_ARNS,
} from "../../policy/lib/aws-iam-sources";
import { ROLE_DEFINITION_TYPES, ROLE_GRANT_TYPES } from "../../policy/lib/azure-roles";
import { SECRET_GRANT_TYPES } from "../../policy/lib/gcp-iam";
import { KEY_POLICY_TYPES } from "../../policy/policies/aws-kms-forbid-wildcard-principal";
import { HIERARCHY_GRANT_TYPES } from "../../policy/policies/gcp-secretmanager-forbid-project-level-roles";
import { WORKLOAD_TYPES } from "../../policy/lib/vault-helm";
import { RBAC_TYPES } from "../../policy/lib/kubernetes-rbac";
import { SECRET_TYPES } from "../../policy/policies/kubernetes-core-forbid-literal-secret-data";
import { CONFIG_DATA_FIELDS } from "../../policy/lib/vault-config";
import { PROJECT_DIR } from "../support/offline";

const MODULES = path.join(PROJECT_DIR, "node_modules", "@pulumi");

/** Resource classes of an SDK: `<dir>/<file>.d.ts` beside a `.js` that declares `__pulumiType`. */
function resourceFiles(sdk: string): Array<{ token: string; dts: string }> {
  const found: Array<{ token: string; dts: string }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "types") walk(full);
      } else if (entry.name.endsWith(".js")) {
        const token = /__pulumiType = '([^']+)'/.exec(fs.readFileSync(full, "utf8"))?.[1];
        const dts = full.replace(/\.js$/, ".d.ts");
        if (token && fs.existsSync(dts)) found.push({ token, dts });
      }
    }
  };
  walk(path.join(MODULES, sdk));
  return found;
}

/** The body of `export interface <name> {…}` in a declaration file (top-level, two-space indent). */
function interfaceBody(text: string, name: string): string | undefined {
  const start = text.indexOf(`export interface ${name} {`);
  if (start < 0) return undefined;
  const end = text.indexOf("\n}", start);
  return text.slice(start, end);
}

/**
 * Interfaces of `types/input.d.ts` by qualified name (`apps.v1.StatefulSetSpec`), from its
 * nested `namespace` blocks (one level of indentation per namespace).
 */
function inputInterfaces(file: string): Map<string, string> {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const byName = new Map<string, string>();
  const stack: Array<{ name: string; indent: number }> = [];
  let current: { name: string; indent: number; body: string[] } | undefined;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (current) {
      current.body.push(line);
      if (line.trim() === "}" && indent === current.indent) {
        byName.set(current.name, current.body.join("\n"));
        current = undefined;
      }
      continue;
    }
    const ns = /^\s*(?:export )?(?:declare )?namespace (\w+) \{/.exec(line);
    if (ns) {
      stack.push({ name: ns[1], indent });
      continue;
    }
    if (line.trim() === "}" && stack.length > 0 && stack[stack.length - 1].indent === indent) {
      stack.pop();
      continue;
    }
    const iface = /^\s*(?:export )?interface (\w+)/.exec(line);
    if (iface) current = { name: [...stack.map((s) => s.name), iface[1]].join("."), indent, body: [line] };
  }
  return byName;
}

describe("resource types derived from the SDKs", () => {
  it("the Vault server rules cover every @pulumi/kubernetes resource that runs containers", function () {
    this.timeout(60_000);
    const inputs = inputInterfaces(path.join(MODULES, "kubernetes", "types", "input.d.ts"));
    const runsPods = (spec: string): boolean => {
      if (/^core\.v1\.PodSpec(Patch)?$/.test(spec)) return true;
      const body = inputs.get(spec) ?? "";
      return /\btemplate\??: pulumi\.Input<inputs\.core\.v1\.PodTemplateSpec(Patch)?>|\bjobTemplate\??: /.test(
        body,
      );
    };
    const expected: string[] = [];
    for (const { token, dts } of resourceFiles("kubernetes")) {
      const kind = token.split(":")[2];
      const body = interfaceBody(fs.readFileSync(dts, "utf8"), `${kind}Args`) ?? "";
      const spec = /\bspec\??: pulumi\.Input<inputs\.([\w.]+)>/.exec(body)?.[1];
      if (spec && runsPods(spec)) expected.push(token);
    }
    assert.ok(expected.length > 20, `found only ${expected.length}`);
    assert.deepEqual([...WORKLOAD_TYPES].sort(), expected.sort());
  });

  it("the literal-data rule reads every @pulumi/kubernetes type that writes a Secret", () => {
    const expected = resourceFiles("kubernetes")
      .map((r) => r.token)
      .filter((t) => /^kubernetes:core\/v1:Secret/.test(t));
    assert.deepEqual([...SECRET_TYPES].sort(), expected.sort());
  });

  it("the RBAC rule reads every @pulumi/kubernetes Role, ClusterRole and binding: objects, patches and lists", () => {
    const expected = resourceFiles("kubernetes")
      .map((r) => r.token)
      .filter((t) => t.startsWith("kubernetes:rbac.authorization.k8s.io/"));
    assert.ok(expected.length >= 24, expected.join(", "));
    assert.deepEqual([...RBAC_TYPES].sort(), expected.sort());
  });

  it("the Vault TLS rule reads every @pulumi/kubernetes resource that holds mountable string data", function () {
    this.timeout(60_000);
    const expected: Record<string, { text: string[]; base64: string[] }> = {};
    for (const { token, dts } of resourceFiles("kubernetes")) {
      const kind = token.split(":")[2];
      const body = interfaceBody(fs.readFileSync(dts, "utf8"), `${kind}Args`) ?? "";
      const fields = [
        ...body.matchAll(
          /^\s+(data|stringData|binaryData)\?: pulumi\.Input<\{\s*\[key: string\]: pulumi\.Input<string>/gm,
        ),
      ].map((m) => m[1]);
      if (fields.length === 0) continue;
      // The declarations say which maps are base64: a Secret's `data`, a ConfigMap's `binaryData`.
      const base64 = fields.filter((f) => f === "binaryData" || (f === "data" && /^Secret/.test(kind)));
      expected[token] = { text: fields.filter((f) => !base64.includes(f)), base64 };
    }
    assert.ok(Object.keys(expected).length >= 4, JSON.stringify(expected));
    assert.deepEqual(CONFIG_DATA_FIELDS, expected);
  });

  it("the admin-role rule covers every @pulumi/azure-native resource that grants an RBAC role", function () {
    this.timeout(120_000);
    const grants: string[] = [];
    const classified = new Set<string>();
    for (const { token, dts } of resourceFiles("azure-native")) {
      const kind = token.split(":")[2];
      const body = interfaceBody(fs.readFileSync(dts, "utf8"), `${kind}Args`) ?? "";
      if (!/\broleDefinitionId\??:/.test(body) || !/\bprincipalIds?\??:/.test(body)) continue;
      // Cosmos DB's own data-plane role system, and access reviews (which grant nothing).
      if (/^azure-native:cosmosdb:/.test(token) || /AccessReview/.test(kind)) classified.add(token);
      else grants.push(token);
    }
    assert.ok(classified.size > 0);
    assert.deepEqual([...ROLE_GRANT_TYPES].sort(), grants.sort());
  });

  it("the custom-role rule reads every @pulumi/azure-native resource that defines an RBAC role", function () {
    this.timeout(120_000);
    const input = fs.readFileSync(path.join(MODULES, "azure-native", "types", "input.d.ts"), "utf8");
    /** `inputs.<module>.<Name>` → whether that interface declares `actions` or `dataActions`. */
    const listsActions = (qualified: string): boolean => {
      const [module, name] = qualified.split(".");
      const ns = input.indexOf(`namespace ${module} {`);
      const start = ns < 0 ? -1 : input.indexOf(`interface ${name} {`, ns);
      if (start < 0) return false;
      const body = input.slice(start, input.indexOf("\n    }", start));
      return /\b(actions|dataActions)\??:/.test(body);
    };
    const definitions: string[] = [];
    const classified: string[] = [];
    for (const { token, dts } of resourceFiles("azure-native")) {
      const kind = token.split(":")[2];
      const body = interfaceBody(fs.readFileSync(dts, "utf8"), `${kind}Args`) ?? "";
      const type = /\bpermissions\??: pulumi\.Input<pulumi\.Input<inputs\.([\w.]+)>\[\]/.exec(body)?.[1];
      if (!type || !listsActions(type)) continue;
      // Cosmos DB's data-plane roles are its own system; a deny assignment can only deny.
      if (/^azure-native:cosmosdb:/.test(token) || kind === "DenyAssignment") classified.push(token);
      else definitions.push(token);
    }
    assert.ok(classified.includes("azure-native:authorization:DenyAssignment"), classified.join(", "));
    assert.ok(
      classified.some((t) => t.startsWith("azure-native:cosmosdb:")),
      classified.join(", "),
    );
    assert.deepEqual([...ROLE_DEFINITION_TYPES].sort(), definitions.sort());
  });

  it("classifies every @pulumi/aws resource that writes a policy document or attaches a policy", function () {
    this.timeout(120_000);
    const FIELD =
      /^\s+(policy|inlinePolicy|inlinePolicies|managedPolicyArns|policyArn|policyArns|managedPolicyArn)\??:/gm;
    /** Resource policies of the secret services, judged by their own rules. */
    const SECRET_RESOURCE_POLICIES = [
      ...KEY_POLICY_TYPES,
      "aws:secretsmanager/secret:Secret",
      "aws:secretsmanager/secretPolicy:SecretPolicy",
    ];
    /** Session policies: they can only narrow what the role they apply to grants. */
    const SESSION_POLICIES = [
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "aws:rolesanywhere/profile:Profile",
      "aws:transfer/access:Access",
      "aws:transfer/user:User",
    ];
    /** Not IAM documents: lifecycle, data-protection, network, OpenSearch, resilience and SES policies; EKS access policies. */
    const NOT_IAM = [
      "aws:ecr/lifecyclePolicy:LifecyclePolicy",
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
      "aws:opensearch/serverlessLifecyclePolicy:ServerlessLifecyclePolicy",
      "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy",
      "aws:resiliencehub/resiliencyPolicy:ResiliencyPolicy",
      "aws:resiliencehub/v2Service:V2Service",
      "aws:resiliencehub/v2UserJourney:V2UserJourney",
      "aws:ses/receiptFilter:ReceiptFilter",
      "aws:sns/dataProtectionPolicy:DataProtectionPolicy",
    ];
    const classified = new Set([
      ...Object.keys(IDENTITY_POLICY_DOCUMENTS),
      ...Object.keys(MANAGED_POLICY_ARNS),
      ...SECRET_RESOURCE_POLICIES,
      ...SESSION_POLICIES,
      ...NOT_IAM,
    ]);
    const otherResourcePolicies: string[] = [];
    for (const { token, dts } of resourceFiles("aws")) {
      const body = interfaceBody(fs.readFileSync(dts, "utf8"), `${token.split(":")[2]}Args`) ?? "";
      if (![...body.matchAll(FIELD)].length || classified.has(token)) continue;
      otherResourcePolicies.push(token);
    }
    // The rest are resource policies of services that hold no secrets (S3, SQS, SNS, ECR, Lambda…).
    assert.ok(otherResourcePolicies.length > 40, `${otherResourcePolicies.length}`);
    assert.deepEqual(
      otherResourcePolicies.filter((t) => /secretsmanager|kms|ssm|iam|ssoadmin|sts/.test(t)),
      [],
    );
    for (const name of Object.keys(BROAD_AWS_MANAGED_POLICIES)) assert.match(name, /^[A-Za-z]+$/);
    // Known-safe policies are keyed by path and name as in their ARN; none is also known broad.
    for (const id of Object.keys(KNOWN_SAFE_AWS_MANAGED_POLICIES)) {
      assert.match(id, /^([\w+=,.@-]+\/)*[\w+=,.@-]+$/);
      assert.ok(!(id.split("/").pop()! in BROAD_AWS_MANAGED_POLICIES), id);
    }
  });

  it("the GCP rules read every IAM member, binding and policy of a project, folder, organisation or secret", () => {
    const tokens = (modules: string[]) =>
      resourceFiles("gcp")
        .map((r) => r.token)
        .filter((t) => modules.includes(t.slice(4).split("/")[0]))
        .filter((t) => /Iam(Member|Binding|Policy)$|IAM(Member|Binding|Policy)$/.test(t));
    assert.deepEqual(
      [...HIERARCHY_GRANT_TYPES].sort(),
      tokens(["projects", "folder", "organizations"]).sort(),
    );
    assert.deepEqual([...SECRET_GRANT_TYPES].sort(), tokens(["secretmanager"]).sort());
  });
});
