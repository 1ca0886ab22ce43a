/**
 * The CrossGuard pack: `pulumi preview --policy-pack ./policy`. The only file that constructs
 * the `PolicyPack` (which starts the policy server); everything else imports `./policies`.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL } from "./lib/policy";
import { policies } from "./policies";

new PolicyPack("secrets-platform", {
  description: "Least-privilege secrets across Vault, AWS, GCP, Azure and External Secrets Operator.",
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
  policies: [...policies],
});
