/**
 * Vault's server certificate: issued by cert-manager or provided as a Secret. Either way the
 * Secret holds `tls.crt`, `tls.key` and `ca.crt`; the CA bundle clients trust is read back.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DeployedVaultSettings } from "../../stacks/schema";
import { RELEASE_NAME, serverDnsNames } from "./serverNames";

/** Certificate lifetime and renewal margin: short-lived, renewed at two thirds. */
const CERT_DURATION = "2160h";
const CERT_RENEW_BEFORE = "720h";

export interface ServerTls {
  readonly secretName: string;
  /** PEM bundle of the issuing CA. */
  readonly caBundle: pulumi.Output<string>;
}

export function serverTls(
  name: string,
  vault: DeployedVaultSettings,
  namespace: k8s.core.v1.Namespace,
  opts: pulumi.CustomResourceOptions,
): ServerTls {
  const dependsOn: pulumi.Resource[] = [namespace];
  let secretName: string;
  if (vault.tls.source === "cert-manager") {
    secretName = `${RELEASE_NAME}-server-tls`;
    dependsOn.push(
      new k8s.apiextensions.CustomResource(
        `${name}-certificate`,
        {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: {
            name: secretName,
            namespace: vault.namespace,
            // The CA is read from the Secret below, so wait until cert-manager has issued it.
            annotations: { "pulumi.com/waitFor": "condition=Ready" },
          },
          spec: {
            secretName,
            duration: CERT_DURATION,
            renewBefore: CERT_RENEW_BEFORE,
            commonName: new URL(vault.address).hostname,
            dnsNames: serverDnsNames(vault.namespace, vault.address),
            ipAddresses: ["127.0.0.1"],
            usages: ["server auth", "client auth", "digital signature", "key encipherment"],
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
            issuerRef: { name: vault.tls.issuer, kind: "ClusterIssuer", group: "cert-manager.io" },
          },
        },
        { ...opts, dependsOn: [namespace] },
      ),
    );
  } else {
    secretName = vault.tls.secretName;
  }
  const secret = k8s.core.v1.Secret.get(`${name}-tls-secret`, `${vault.namespace}/${secretName}`, {
    ...opts,
    dependsOn,
  });
  // A CA certificate is public; the Secret's data arrives marked secret only because of tls.key.
  const caBundle = pulumi.unsecret(
    secret.data.apply((data) => {
      const encoded = data?.["ca.crt"];
      if (!encoded) {
        throw new Error(
          `vault.tls: Secret ${vault.namespace}/${secretName} has no ca.crt; Vault clients need the CA bundle`,
        );
      }
      return Buffer.from(encoded, "base64").toString("utf8");
    }),
  );
  return { secretName, caBundle };
}
