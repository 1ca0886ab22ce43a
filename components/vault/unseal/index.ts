/** Auto-unseal with the stack's cloud KMS. */
import type { Cloud } from "../../../stacks/schema";
import { awsUnseal } from "./aws";
import { azureUnseal } from "./azure";
import { gcpUnseal } from "./gcp";
import type { Unseal, UnsealContext } from "./types";

const UNSEAL: Readonly<Record<Cloud, (ctx: UnsealContext) => Unseal>> = {
  aws: awsUnseal,
  gcp: gcpUnseal,
  azure: azureUnseal,
};

export function createUnseal(cloud: Cloud, ctx: UnsealContext): Unseal {
  return UNSEAL[cloud](ctx);
}

export type { Unseal, UnsealContext } from "./types";
