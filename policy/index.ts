/**
 * The CrossGuard pack: `pulumi preview --policy-pack ./policy`. The only file that constructs
 * the `PolicyPack` (which starts the policy server); everything else imports `./policies`.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("secrets-platform", {
  description: "Least-privilege secrets across Vault, AWS, GCP, Azure and External Secrets Operator.",
  enforcementLevel: "mandatory",
  policies: [...policies],
});
