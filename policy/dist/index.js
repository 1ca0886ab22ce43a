// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var import_policy = require("@pulumi/policy");
var import_policy2 = require("./lib/policy");
var import_policies = require("./policies");
new import_policy.PolicyPack("secrets-platform", {
  description: "Least-privilege secrets across Vault, AWS, GCP, Azure and External Secrets Operator.",
  enforcementLevel: import_policy2.PACK_ENFORCEMENT_LEVEL,
  policies: [...import_policies.policies]
});
