// Built from the TypeScript sources by `npm run build:policy`: do not edit.
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
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
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var vault_kubernetes_forbid_wildcard_bindings_exports = {};
__export(vault_kubernetes_forbid_wildcard_bindings_exports, {
  vaultKubernetesForbidWildcardBindings: () => vaultKubernetesForbidWildcardBindings
});
module.exports = __toCommonJS(vault_kubernetes_forbid_wildcard_bindings_exports);
var vault = __toESM(require("@pulumi/vault"));
var import_policy = require("@pulumi/policy");
var import_frameworks = require("../lib/frameworks");
var import_policy2 = require("../lib/policy");
var import_values = require("../lib/values");
var import_vault_acl = require("../lib/vault-acl");
function values(value) {
  if (value === void 0 || value === null) return void 0;
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((v) => String(v).split(",")).map((v) => v.trim()).filter((v) => v !== "");
}
function check(field, list, report) {
  if (!list || list.length === 0) report(`${field} is empty.`);
  for (const value of list ?? [])
    if (value.includes("*")) report(`${field} contains "${value}": bind the exact name.`);
}
function checkKubernetes(role, field, report) {
  check(field("boundServiceAccountNames", "bound_service_account_names"), values(role.names), report);
  if (role.selector)
    report(
      `${field("boundServiceAccountNamespaceSelector", "bound_service_account_namespace_selector")} matches namespaces by label: bind exact namespaces.`
    );
  else
    check(
      field("boundServiceAccountNamespaces", "bound_service_account_namespaces"),
      values(role.namespaces),
      report
    );
}
function checkJwt(role, field, report) {
  const claims = (0, import_values.isRecord)(role.claims) ? role.claims : {};
  const subject = typeof role.subject === "string" ? role.subject.trim() : "";
  if (subject === "" && Object.keys(claims).length === 0)
    report(
      `${field("boundSubject", "bound_subject")} and ${field("boundClaims", "bound_claims")} are empty: any token of the mount's issuer with an accepted audience logs in.`
    );
  if (role.claimsType === "glob") {
    for (const [claim, value] of Object.entries(claims))
      for (const v of values(value) ?? [])
        if (v.includes("*"))
          report(
            `${field("boundClaims", "bound_claims")}.${claim} is the glob "${v}" (${field("boundClaimsType", "bound_claims_type")} glob): bind the exact value.`
          );
  }
}
const camel = (c) => c;
function genericRole(type) {
  return (0, import_policy2.validateResourceOfToken)(type, (props, _args, report) => {
    const path = typeof props.path === "string" ? props.path : "";
    if (!/(?:^|\/)auth\/.+\/role\/[^/]+$/.test(path)) return;
    const field = (_c, snake) => `${path} ${snake}`;
    if ((0, import_values.isRedacted)(props.dataJson)) {
      report((0, import_values.redactedMessage)(`${path} dataJson`, "the role's bindings"));
      return;
    }
    let data;
    try {
      data = JSON.parse(String(props.dataJson ?? "{}"));
    } catch {
      return;
    }
    if (!(0, import_values.isRecord)(data)) return;
    if ("bound_service_account_names" in data || "bound_service_account_namespaces" in data || "bound_service_account_namespace_selector" in data)
      checkKubernetes(
        {
          names: data.bound_service_account_names,
          namespaces: data.bound_service_account_namespaces,
          selector: data.bound_service_account_namespace_selector
        },
        field,
        report
      );
    else if (data.role_type === "jwt")
      checkJwt(
        { subject: data.bound_subject, claims: data.bound_claims, claimsType: data.bound_claims_type },
        field,
        report
      );
  });
}
const vaultKubernetesForbidWildcardBindings = {
  name: "vault-kubernetes-forbid-wildcard-bindings",
  description: "Machine logins must bind exactly who logs in. Kubernetes auth roles: exact service accounts and namespaces, never `*`, globs or a namespace label selector. JWT roles (`roleType: jwt`, e.g. service-account tokens of another cluster): a subject or claims, never a glob claim. Checked on every such role, and on the same role written through a generic endpoint/secret (`auth/<mount>/role/<name>`), whatever its name.",
  enforcementLevel: "mandatory",
  severity: "critical",
  framework: import_frameworks.RESTRICTED_LOGICAL_ACCESS,
  tags: (0, import_frameworks.controls)("pci-dss:8.2.2"),
  remediationSteps: "Set `boundServiceAccountNames: [<service account>]` and `boundServiceAccountNamespaces: [<namespace>]` from the catalog workload; for a JWT role, `boundSubject: system:serviceaccount:<namespace>:<service account>` (or exact `boundClaims` with `boundClaimsType: string`).",
  validateResource: [
    (0, import_policy.validateResourceOfType)(
      vault.kubernetes.AuthBackendRole,
      (role, _args, report) => checkKubernetes(
        {
          names: role.boundServiceAccountNames,
          namespaces: role.boundServiceAccountNamespaces,
          selector: role.boundServiceAccountNamespaceSelector
        },
        camel,
        report
      )
    ),
    (0, import_policy.validateResourceOfType)(vault.jwt.AuthBackendRole, (role, _args, report) => {
      if (role.roleType !== "jwt") return;
      checkJwt(
        { subject: role.boundSubject, claims: role.boundClaims, claimsType: role.boundClaimsType },
        camel,
        report
      );
    }),
    ...Object.keys(import_vault_acl.GENERIC_WRITERS).map(genericRole)
  ]
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  vaultKubernetesForbidWildcardBindings
});
