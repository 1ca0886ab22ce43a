/**
 * Evaluates IAM requests against our documents with `@cloud-copilot/iam-simulate`, combining
 * identity policies, the resource policy (secret policy, key policy or role trust) the way
 * AWS does for a same-account request.
 *
 * Two passes: `runSimulation` validates the documents, the action and the resource ARN and
 * fails the test on any error; `runUnsafeSimulation` then decides with every context key the
 * request carries. The validated pass silently drops keys its catalogue does not know (an EKS
 * issuer's `:sub`/`:aud`, GitHub's `:sub`/`:aud`, and `kms:EncryptionContext:<key>`, whose
 * variable part it only matches after a `/`), which would turn every condition on them into
 * a deny and make "allowed" cases impossible to prove. When no key was dropped, both passes
 * must agree.
 */
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../../components/aws/policies";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface IamRequest {
  /** A role ARN (the caller is a session of it), an OIDC provider ARN or a service principal. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly accountId: string;
  readonly identityPolicies?: readonly PolicyDocument[];
  readonly resourcePolicy?: PolicyDocument;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/** What AWS puts in the request context of a role session, besides the caller's own keys. */
function principalContext(principal: string): { caller: string; context: Record<string, string> } {
  const role = ROLE_ARN.exec(principal);
  if (!role) return { caller: principal, context: {} };
  return {
    caller: `arn:aws:sts::${role[1]}:assumed-role/${role[2]}/simulated-session`,
    context: {
      "aws:PrincipalArn": principal,
      "aws:PrincipalAccount": role[1],
      "aws:PrincipalIsAWSService": "false",
    },
  };
}

export async function decide(r: IamRequest): Promise<Decision> {
  const { caller, context } = principalContext(r.principal);
  const identityPolicies = (r.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy }));
  const simulation = {
    request: {
      principal: caller,
      action: r.action,
      resource: { resource: r.resource, accountId: r.accountId },
      contextVariables: { ...context, ...r.context },
    },
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  const validated = await runSimulation({ ...simulation, resourcePolicy: r.resourcePolicy }, {});
  if (validated.resultType === "error") {
    throw new Error(`simulation rejected ${r.action} on ${r.resource}: ${JSON.stringify(validated.errors)}`);
  }
  // `runUnsafeSimulation` names the resource policy from its metadata; a ValidatedPolicy carries it.
  const resourcePolicy = r.resourcePolicy && {
    __validated: true,
    policyDocument: r.resourcePolicy,
    metadata: { name: "resource-policy" },
    errors: [],
  };
  const decision = runUnsafeSimulation({ ...simulation, resourcePolicy }, {}) as Decision;
  const dropped = validated.resultType === "single" ? (validated.result.ignoredContextKeys ?? []) : [];
  if (dropped.length === 0 && validated.overallResult !== decision) {
    throw new Error(
      `simulator passes disagree on ${r.action} ${r.resource}: ${validated.overallResult} vs ${decision}`,
    );
  }
  return decision;
}
