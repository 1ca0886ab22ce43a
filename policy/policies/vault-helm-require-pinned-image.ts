import { controls, soc2 } from "../lib/frameworks";
import type { PlatformResourcePolicy } from "../lib/policy";
import { atPath } from "../lib/values";
import { validateVaultContainers, validateVaultHelmValues } from "../lib/vault-helm";

/** An exact release (`1.21.0`, `1.21.0-ent`), optionally with its digest, or a digest alone. */
const PINNED_TAG = /^(\d+\.\d+\.\d+(-[\w.]+)?(@sha256:[0-9a-f]{64})?|sha256:[0-9a-f]{64})$/;

/** The tag (or `sha256:…` digest) of an image reference; `latest` when it names neither. */
function tagOf(image: string): string {
  const at = image.indexOf("@");
  if (at >= 0) return image.slice(at + 1);
  const tag = /:([^/:]+)$/.exec(image);
  return tag ? tag[1] : "latest";
}

export const vaultHelmRequirePinnedImage: PlatformResourcePolicy = {
  name: "vault-helm-require-pinned-image",
  description:
    "The Vault server image must be an exact release or digest, in the Vault Helm chart's values (any release or chart of it) and in every workload container running the Vault image: a floating tag (latest, 1.21, none) upgrades the server without a change to the stack.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: soc2("CC8.1", "Changes to infrastructure and software are authorised, tested and approved."),
  tags: controls("pci-dss:6.3.2"),
  remediationSteps:
    "Set `values.server.image.tag` (or the container's `image`) to the exact Vault version you tested (e.g. 1.21.0) or a digest; in the chart's values it may stay unset to take the one the pinned chart version names.",
  validateResource: [
    ...validateVaultHelmValues((values, _args, report) => {
      const tag = atPath(values, "server.image.tag");
      // Unset: the chart's default, which the pinned chart version fixes.
      if (tag === undefined) return;
      if (typeof tag !== "string" || !PINNED_TAG.test(tag)) {
        report(`server.image.tag is ${JSON.stringify(tag)}, which is not an exact release or digest.`);
      }
    }),
    ...validateVaultContainers((c, _args, report) => {
      const tag = tagOf(c.image);
      if (!PINNED_TAG.test(tag))
        report(`${c.label} of the ${c.kind}: tag ${JSON.stringify(tag)} is not an exact release or digest.`);
    }),
  ],
};
