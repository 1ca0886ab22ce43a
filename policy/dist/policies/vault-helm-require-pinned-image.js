// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var vault_helm_require_pinned_image_exports = {};
__export(vault_helm_require_pinned_image_exports, {
  vaultHelmRequirePinnedImage: () => vaultHelmRequirePinnedImage
});
module.exports = __toCommonJS(vault_helm_require_pinned_image_exports);
var import_frameworks = require("../lib/frameworks");
var import_values = require("../lib/values");
var import_vault_helm = require("../lib/vault-helm");
const PINNED_TAG = /^(\d+\.\d+\.\d+(-[\w.]+)?(@sha256:[0-9a-f]{64})?|sha256:[0-9a-f]{64})$/;
function tagOf(image) {
  const at = image.indexOf("@");
  if (at >= 0) return image.slice(at + 1);
  const tag = /:([^/:]+)$/.exec(image);
  return tag ? tag[1] : "latest";
}
const vaultHelmRequirePinnedImage = {
  name: "vault-helm-require-pinned-image",
  description: "The Vault server image must be an exact release or digest, in the Vault Helm chart's values (any release or chart of it) and in every workload container running the Vault image: a floating tag (latest, 1.21, none) upgrades the server without a change to the stack.",
  enforcementLevel: "mandatory",
  severity: "high",
  framework: (0, import_frameworks.soc2)("CC8.1", "Changes to infrastructure and software are authorised, tested and approved."),
  tags: (0, import_frameworks.controls)("pci-dss:6.3.2"),
  remediationSteps: "Set `values.server.image.tag` (or the container's `image`) to the exact Vault version you tested (e.g. 1.21.0) or a digest; in the chart's values it may stay unset to take the one the pinned chart version names.",
  validateResource: [
    ...(0, import_vault_helm.validateVaultHelmValues)((values, _args, report) => {
      const tag = (0, import_values.atPath)(values, "server.image.tag");
      if (tag === void 0) return;
      if (typeof tag !== "string" || !PINNED_TAG.test(tag)) {
        report(`server.image.tag is ${JSON.stringify(tag)}, which is not an exact release or digest.`);
      }
    }),
    ...(0, import_vault_helm.validateVaultContainers)((c, _args, report) => {
      const tag = tagOf(c.image);
      if (!PINNED_TAG.test(tag))
        report(`${c.label} of the ${c.kind}: tag ${JSON.stringify(tag)} is not an exact release or digest.`);
    })
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultHelmRequirePinnedImage
});
