/** What the access derivation yields per cloud: who is granted read on which secret, and what that reader is. */

/** What a reader of a secret turned out to be, from its own configuration in the stack. */
export type Identity =
  /** Assumable only by one Kubernetes service account (`<namespace>/<name>`). */
  | { readonly kind: "workload"; readonly serviceAccount: string }
  /** The platform's rotation function: may read what it rotates and the admin logins it uses. */
  | { readonly kind: "rotation"; readonly rotates: ReadonlySet<string> }
  /** Anything else: why it is not a workload identity. */
  | { readonly kind: "other"; readonly reason: string }
  /** Depends on values unknown during preview: not judged. */
  | { readonly kind: "unknown" };

export interface Reader {
  /** How messages name it (role ARN, GCP member, Azure principal id). */
  readonly label: string;
  /** Identifiers the `operators` setting may match (ARN and name, member, principal id). */
  readonly ids: readonly string[];
  readonly identity: Identity;
}

export interface SecretRef {
  /** Unique per cloud: ARN, `<project>/<secret id>`, Key Vault secret scope (lower case). */
  readonly key: string;
  /** Exact names the `sharedSecrets` setting may give it: ARN and name, secret id, scope. */
  readonly names: readonly string[];
  readonly label: string;
}

/** One grant of read access on one secret. */
export interface Grant {
  readonly secret: SecretRef;
  readonly reader: Reader;
  /** The resource that grants it (role policy, IAM member, role assignment): where to report. */
  readonly urn: string;
}

/** `system:serviceaccount:<namespace>:<name>` → `<namespace>/<name>`; undefined for anything else. */
export function serviceAccountOfSubject(subject: string): string | undefined {
  const m = /^system:serviceaccount:([a-z0-9]([-a-z0-9]*[a-z0-9])?):([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(
    subject,
  );
  return m ? `${m[1]}/${m[3]}` : undefined;
}
