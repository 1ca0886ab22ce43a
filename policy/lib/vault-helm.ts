/** The HashiCorp Vault Helm chart, as a `kubernetes.helm.v3.Release`. */
import * as k8s from "@pulumi/kubernetes";
import {
  validateResourceOfType,
  type ResourceValidation,
  type ReportViolation,
  type ResourceValidationArgs,
} from "@pulumi/policy";
import { isRecord } from "./values";

/** `vault` or `<repo>/vault` (`hashicorp/vault`). */
const VAULT_CHART = /(^|\/)vault$/;

/** A validator of the Helm values of Vault releases; other releases are skipped. */
export function validateVaultHelmValues(
  validate: (values: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  return validateResourceOfType(k8s.helm.v3.Release, (release, args, report) => {
    if (!VAULT_CHART.test(release.chart)) return;
    validate(isRecord(release.values) ? release.values : {}, args, report);
  });
}
