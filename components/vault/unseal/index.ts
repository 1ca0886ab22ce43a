/** Auto-unseal with the stack's cloud KMS, or another Vault's transit engine. */
import type { UnsealKind } from "../../../stacks/schema";
import { awsUnseal } from "./aws";
import { azureUnseal } from "./azure";
import { gcpUnseal } from "./gcp";
import { transitUnseal } from "./transit";
import type { Unseal, UnsealContext } from "./types";

const UNSEAL: Readonly<Record<UnsealKind, (ctx: UnsealContext) => Unseal>> = {
  aws: awsUnseal,
  gcp: gcpUnseal,
  azure: azureUnseal,
  transit: transitUnseal,
};

export function createUnseal(kind: UnsealKind, ctx: UnsealContext): Unseal {
  return UNSEAL[kind](ctx);
}

export type { Unseal, UnsealContext, UnsealVolume } from "./types";
