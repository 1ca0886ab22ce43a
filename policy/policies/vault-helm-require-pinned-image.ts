import { controls, soc2 } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";
import { atPath } from "../lib/values";
import { validateVaultHelmValues } from "../lib/vault-helm";

/** An exact release (`1.21.0`, `1.21.0-ent`), optionally with its digest, or a digest alone. */
const PINNED_TAG = /^(\d+\.\d+\.\d+(-[\w.]+)?(@sha256:[0-9a-f]{64})?|sha256:[0-9a-f]{64})$/;

export const vaultHelmRequirePinnedImage: PlatformResourcePolicy = {
  name: "vault-helm-require-pinned-image",
  description:
    "The Vault server image must be an exact release or digest: a floating tag (latest, 1.21) upgrades the server without a change to the stack.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: soc2("CC8.1", "Changes to infrastructure and software are authorised, tested and approved."),
  tags: controls("pci-dss:6.3.2"),
  remediationSteps:
    "Set `values.server.image.tag` to the exact Vault version you tested (e.g. 1.21.0), or leave it unset to take the one the pinned chart version names.",
  validateResource: validateVaultHelmValues((values, _args, report) => {
    const tag = atPath(values, "server.image.tag");
    // Unset: the chart's default, which the pinned chart version fixes.
    if (tag === undefined) return;
    if (typeof tag !== "string" || !PINNED_TAG.test(tag)) {
      report(`server.image.tag is ${JSON.stringify(tag)}, which is not an exact release or digest.`);
    }
  }),
};
