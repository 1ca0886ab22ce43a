/**
 * The AWS component's recorded graph, indexed for tests: roles with their trust and inline
 * policies, secrets with their resource policies, the key and the OIDC providers, with the
 * documents parsed back from the JSON the resources received.
 */
import { AwsSecrets } from "../../components/aws";
import type { PolicyDocument } from "../../components/aws/policies";
import type { Catalog } from "../../stacks/schema";
import type { RecordedResource } from "../../tools/offline/types";
import { loadedStackFor, ofType, recordResources } from "./offline";

export interface GraphRole {
  readonly name: string;
  readonly arn: string;
  readonly trust: PolicyDocument;
  /** Inline policies attached with `aws.iam.RolePolicy`. */
  readonly policies: PolicyDocument[];
}

export interface GraphSecret {
  readonly name: string;
  readonly arn: string;
  readonly kmsKeyId: string;
  readonly tags: Record<string, string>;
  readonly policy: PolicyDocument;
  readonly blockPublicPolicy: boolean;
}

export interface AwsGraph {
  readonly resources: RecordedResource[];
  readonly roles: Map<string, GraphRole>;
  /** By Secrets Manager name. */
  readonly secrets: Map<string, GraphSecret>;
  readonly key: {
    readonly arn: string;
    readonly policy: PolicyDocument;
    readonly inputs: Record<string, unknown>;
  };
  /** Issuer URL → provider ARN. */
  readonly oidcProviders: Map<string, string>;
}

const str = (v: unknown) => String(v);
const doc = (v: unknown) => JSON.parse(str(v)) as PolicyDocument;

export function awsGraph(resources: RecordedResource[]): AwsGraph {
  const roles = new Map<string, GraphRole>(
    ofType(resources, "aws:iam/role:Role").map((r) => [
      str(r.inputs.name),
      {
        name: str(r.inputs.name),
        arn: str(r.outputs.arn),
        trust: doc(r.inputs.assumeRolePolicy),
        policies: [],
      },
    ]),
  );
  for (const p of ofType(resources, "aws:iam/rolePolicy:RolePolicy")) {
    const role = roles.get(str(p.inputs.role));
    if (!role) throw new Error(`role policy ${p.name} names unknown role ${str(p.inputs.role)}`);
    role.policies.push(doc(p.inputs.policy));
  }
  const policies = new Map(
    ofType(resources, "aws:secretsmanager/secretPolicy:SecretPolicy").map((p) => [
      str(p.inputs.secretArn),
      p,
    ]),
  );
  const secrets = new Map<string, GraphSecret>(
    ofType(resources, "aws:secretsmanager/secret:Secret").map((s) => {
      const policy = policies.get(str(s.outputs.arn));
      if (!policy) throw new Error(`secret ${s.name} has no resource policy`);
      return [
        str(s.inputs.name),
        {
          name: str(s.inputs.name),
          arn: str(s.outputs.arn),
          kmsKeyId: str(s.inputs.kmsKeyId),
          tags: s.inputs.tags as Record<string, string>,
          policy: doc(policy.inputs.policy),
          blockPublicPolicy: policy.inputs.blockPublicPolicy === true,
        },
      ];
    }),
  );
  const [key] = ofType(resources, "aws:kms/key:Key");
  return {
    resources,
    roles,
    secrets,
    key: { arn: str(key.outputs.arn), policy: doc(key.inputs.policy), inputs: key.inputs },
    oidcProviders: new Map(
      ofType(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => [
        str(p.inputs.url),
        str(p.outputs.arn),
      ]),
    ),
  };
}

/** Records `new AwsSecrets("aws", …)` for a catalog under the mock runtime. */
export async function recordAws(catalog: Catalog): Promise<AwsGraph> {
  return awsGraph(await recordResources(() => new AwsSecrets("aws", loadedStackFor(catalog)), catalog));
}
