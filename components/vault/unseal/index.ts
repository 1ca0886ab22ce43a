/**
 * Auto-unseal with the stack's cloud KMS, or another Vault's transit engine. Each kind's module
 * loads only when the catalog chooses it: importing all four would load @pulumi/aws,
 * @pulumi/gcp and @pulumi/azure-native into every run of a stack that deploys Vault (about a
 * thousand modules for a transit-unsealed site that uses no cloud; issue 26). Synchronous
 * `require` because the cluster's constructor is synchronous; the types come from `import type`.
 */
import type { UnsealKind } from "../../../stacks/schema";
import type { Unseal, UnsealContext } from "./types";

/* eslint-disable @typescript-eslint/no-require-imports */
const UNSEAL: Readonly<Record<UnsealKind, () => (ctx: UnsealContext) => Unseal>> = {
  aws: () => (require("./aws") as typeof import("./aws")).awsUnseal,
  gcp: () => (require("./gcp") as typeof import("./gcp")).gcpUnseal,
  azure: () => (require("./azure") as typeof import("./azure")).azureUnseal,
  transit: () => (require("./transit") as typeof import("./transit")).transitUnseal,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export function createUnseal(kind: UnsealKind, ctx: UnsealContext): Unseal {
  return UNSEAL[kind]()(ctx);
}

export type { Unseal, UnsealContext, UnsealVolume } from "./types";
