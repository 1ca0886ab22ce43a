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
var frameworks_exports = {};
__export(frameworks_exports, {
  KEY_PROTECTION: () => KEY_PROTECTION,
  KEY_VAULT_RECOVERABLE: () => KEY_VAULT_RECOVERABLE,
  LEAST_PRIVILEGE: () => LEAST_PRIVILEGE,
  PERIODIC_CREDENTIAL_CHANGE: () => PERIODIC_CREDENTIAL_CHANGE,
  RESTRICTED_LOGICAL_ACCESS: () => RESTRICTED_LOGICAL_ACCESS,
  cis: () => cis,
  controls: () => controls,
  pciDss: () => pciDss,
  soc2: () => soc2
});
module.exports = __toCommonJS(frameworks_exports);
const soc2 = (reference, specification) => ({
  name: "SOC 2",
  version: "2017 TSC (2022 points of focus)",
  reference,
  specification
});
const pciDss = (reference, specification) => ({
  name: "PCI DSS",
  version: "4.0.1",
  reference,
  specification
});
const CIS_VERSIONS = {
  "AWS Foundations": "3.0.0",
  "Microsoft Azure Foundations": "2.1.0",
  "Google Cloud Platform Foundation": "3.0.0",
  Kubernetes: "1.9.0"
};
const cis = (benchmark, reference, specification) => ({
  name: `CIS ${benchmark} Benchmark`,
  version: CIS_VERSIONS[benchmark],
  reference,
  specification
});
const LEAST_PRIVILEGE = soc2("CC6.3", "Access is authorised on the principle of least privilege.");
const RESTRICTED_LOGICAL_ACCESS = soc2(
  "CC6.1",
  "Logical access is restricted to authorised identities."
);
const PERIODIC_CREDENTIAL_CHANGE = pciDss(
  "8.6.3",
  "Passwords/passphrases for application and system accounts are changed periodically."
);
const KEY_PROTECTION = pciDss(
  "3.6.1",
  "Procedures protect cryptographic keys used to protect stored account data."
);
const KEY_VAULT_RECOVERABLE = cis(
  "Microsoft Azure Foundations",
  "8.5",
  "Ensure the Key Vault is Recoverable."
);
const controls = (...refs) => ["secrets", ...refs];
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  KEY_PROTECTION,
  KEY_VAULT_RECOVERABLE,
  LEAST_PRIVILEGE,
  PERIODIC_CREDENTIAL_CHANGE,
  RESTRICTED_LOGICAL_ACCESS,
  cis,
  controls,
  pciDss,
  soc2
});
