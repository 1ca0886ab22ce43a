/**
 * Vault's server certificate: issued by cert-manager or provided as a Secret, which holds
 * `tls.crt`, `tls.key` and `ca.crt`. The program never reads that Secret: reading it (a
 * `Secret.get`) would put the server's private key into Pulumi state. The CA bundle clients
 * trust comes from the committed `vault.caCertFile` instead (a CA certificate is public).
 */
import * as fs from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { projectPath } from "../../stacks/loader";
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
  let secretName: string;
  if (vault.tls.source === "cert-manager") {
    secretName = `${RELEASE_NAME}-server-tls`;
    new k8s.apiextensions.CustomResource(
      `${name}-certificate`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: {
          name: secretName,
          namespace: vault.namespace,
          // `up` fails here when the issuer cannot issue, rather than with pods that never start.
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
    );
  } else {
    secretName = vault.tls.secretName;
  }
  if (!vault.caCertFile)
    throw new Error(
      "vault.caCertFile: required to deploy Vault; commit the CA that signs its server certificate",
    );
  return { secretName, caBundle: pulumi.output(fs.readFileSync(projectPath(vault.caCertFile), "utf8")) };
}
